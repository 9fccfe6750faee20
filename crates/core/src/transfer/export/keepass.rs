//! KeePass databases (KDBX 4, through the `keepass` crate), for a colleague who keeps codes in
//! KeePassXC: one group per tenant (accounts without one in the root), each account an entry
//! titled with its issuer, the account as the user name, the code in KeePassXC's `otp`
//! attribute (`otpauth://`, Steam as `encoder=steam`; HOTP, which KeePassXC does not compute,
//! in KeePass 2's `HmacOtp-Secret-Base32` and `HmacOtp-Counter`), the note as the notes and
//! the tags as tags, the tenant also in a `Tenant` attribute. Encrypted with the password given (Argon2id, 64 MiB, 10 passes).
//! Tessera's KeePass import reads every field back.

use keepass::config::{DatabaseConfig, KdfConfig};
use keepass::{Database, DatabaseKey};
use zeroize::Zeroizing;

use crate::otp::{Account, OtpKind, to_otpauth};
use crate::transfer::{TESSERA_OTP, TransferError};

const NAME: &str = "KeePass";

/// The database holding `accounts`, encrypted with `password`.
pub fn export(accounts: &[&Account], password: &[u8]) -> Result<Zeroizing<Vec<u8>>, TransferError> {
    let password = std::str::from_utf8(password).map_err(|_| TransferError::Refused {
        format: NAME,
        what: "KeePass passwords are text; choose a password without raw bytes".into(),
    })?;
    let mut config = DatabaseConfig::default();
    // The crate's default Argon2 version, with Argon2id and a cost like KeePassXC's.
    if let KdfConfig::Argon2 { version, .. } = config.kdf_config {
        config.kdf_config = KdfConfig::Argon2id {
            iterations: 10,
            memory: 64 * 1024 * 1024,
            parallelism: 2,
            version,
        };
    }
    let mut db = Database::with_config(config);
    db.meta.database_name = Some("Tessera".into());
    let mut tenants: Vec<&str> = accounts
        .iter()
        .map(|a| a.tenant.trim())
        .filter(|t| !t.is_empty())
        .collect();
    tenants.sort_unstable();
    tenants.dedup();
    {
        let mut root = db.root_mut();
        root.name = "Tessera".into();
        for a in accounts.iter().filter(|a| a.tenant.trim().is_empty()) {
            fill(&mut root.add_entry(), a);
        }
        for tenant in tenants {
            let mut group = root.add_group();
            group.name = tenant.to_owned();
            for a in accounts.iter().filter(|a| a.tenant.trim() == tenant) {
                fill(&mut group.add_entry(), a);
            }
        }
    }
    let mut bytes = Zeroizing::new(Vec::new());
    db.save(&mut *bytes, DatabaseKey::new().with_password(password))
        .map_err(|e| TransferError::Refused {
            format: NAME,
            what: e.to_string(),
        })?;
    Ok(bytes)
}

/// One account's entry.
fn fill(entry: &mut keepass::db::EntryMut<'_>, a: &Account) {
    let title = if a.issuer.is_empty() {
        &a.name
    } else {
        &a.issuer
    };
    entry.set_unprotected(keepass::db::fields::TITLE, title.as_str());
    entry.set_unprotected(keepass::db::fields::USERNAME, a.name.as_str());
    if !a.note.is_empty() {
        entry.set_unprotected("Notes", a.note.as_str());
    }
    if !a.tenant.is_empty() {
        entry.set_unprotected("Tenant", a.tenant.as_str());
    }
    match a.otp.kind() {
        OtpKind::Hotp { counter } => {
            entry.set_protected("HmacOtp-Secret-Base32", a.otp.secret().to_base32().as_str());
            entry.set_unprotected("HmacOtp-Counter", counter.to_string());
        }
        OtpKind::Steam => {
            let uri = format!(
                "otpauth://totp/Steam:{}?secret={}&issuer=Steam&encoder=steam&digits=5&period=30",
                percent_encoding::utf8_percent_encode(&a.name, percent_encoding::NON_ALPHANUMERIC),
                a.otp.secret().to_base32().as_str()
            );
            entry.set_protected("otp", uri);
        }
        OtpKind::Totp { .. } => {
            entry.set_protected("otp", to_otpauth(&a.enrolment()).as_str());
        }
        // KeePassXC cannot compute these: an `otp` it cannot read would show wrong codes, so
        // the link (with the PIN) goes into an attribute of its own, which Tessera reads back.
        OtpKind::Yandex { .. } | OtpKind::Motp { .. } => {
            entry.set_protected(TESSERA_OTP, to_otpauth(&a.enrolment()).as_str());
        }
    }
    entry.tags = a.tags.clone();
}
