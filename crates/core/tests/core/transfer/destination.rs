//! Backups and exports to a destination that is not a path: what Android's document dialog
//! gives (a URI whose bytes go through the system). The backup's check reads back from the
//! destination itself.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use tessera_core::file::{Destination, WriteError};
use tessera_core::otp::{Account, Algorithm, Enrolment, Otp, OtpKind, Secret};
use tessera_core::transfer::TransferError;
use tessera_core::transfer::backup::{content_hash, write_backup_to};
use tessera_core::transfer::export::{ExportFormat, write_to};
use tessera_core::vault::{BackupEntry, KdfParams, open_backup};

/// A document in memory; `damage` flips a byte of what is read back (a provider that
/// stored something else).
#[derive(Default)]
struct Document {
    bytes: RefCell<Option<Vec<u8>>>,
    damage: bool,
    discarded: RefCell<bool>,
}

impl Destination for Document {
    fn name(&self) -> PathBuf {
        PathBuf::from("tessera-backup.tessera (Downloads)")
    }

    fn put(&self, bytes: &[u8]) -> Result<(), WriteError> {
        *self.bytes.borrow_mut() = Some(bytes.to_vec());
        Ok(())
    }

    fn get(&self, max: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = self
            .bytes
            .borrow()
            .clone()
            .ok_or(std::io::ErrorKind::NotFound)?;
        assert!(bytes.len() <= max);
        if self.damage {
            let n = bytes.len() / 2;
            bytes[n] ^= 1;
        }
        Ok(bytes)
    }

    fn discard(&self) {
        *self.discarded.borrow_mut() = true;
        *self.bytes.borrow_mut() = None;
    }
}

fn entries() -> Vec<BackupEntry> {
    let secret = Secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap();
    let otp = Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret).unwrap();
    let mut a = Account::new(
        Enrolment {
            issuer: "Microsoft".into(),
            name: "admin@contoso.com".into(),
            tenant: String::new(),
            otp,
        },
        1_700_000_000,
    );
    a.tenant = "Contoso".into();
    a.note = "Anna's phone".into();
    vec![(a, None)]
}

#[test]
fn a_backup_to_a_document_is_checked_by_reading_the_document_back() {
    let document = Document::default();
    let entries = entries();
    let written = write_backup_to(&document, &entries, b"pw", KdfParams::MINIMUM).unwrap();
    assert_eq!(written.accounts, 1);
    assert_eq!(
        written.path,
        Path::new("tessera-backup.tessera (Downloads)")
    );
    let bytes = document.bytes.borrow().clone().unwrap();
    assert_eq!(written.bytes, bytes.len());
    let back = open_backup(Path::new("document"), &bytes, b"pw").unwrap();
    assert_eq!(content_hash(&back), content_hash(&entries));
}

#[test]
fn a_document_that_reads_back_wrong_is_discarded() {
    let document = Document {
        damage: true,
        ..Document::default()
    };
    let error = write_backup_to(&document, &entries(), b"pw", KdfParams::MINIMUM).unwrap_err();
    assert!(
        matches!(error, TransferError::BackupCheckFailed { .. }),
        "{error}"
    );
    assert!(
        *document.discarded.borrow(),
        "a bad backup is not left to be trusted"
    );
}

#[test]
fn exports_go_to_a_document_except_googles_several_images() {
    let document = Document::default();
    let accounts = entries();
    let refs: Vec<&Account> = accounts.iter().map(|(a, _)| a).collect();
    let exported = write_to(ExportFormat::Uris, &refs, &document, None).unwrap();
    assert_eq!(exported.accounts, 1);
    let text = String::from_utf8(document.bytes.borrow().clone().unwrap()).unwrap();
    assert!(
        text.starts_with("otpauth://totp/"),
        "the links went to the document"
    );
    let error = write_to(ExportFormat::GoogleQr, &refs, &Document::default(), None).unwrap_err();
    assert!(error.to_string().contains("several files"), "{error}");
}
