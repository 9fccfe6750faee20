//! What the container offers besides the vault itself: backups (the same container, sealed
//! under a fresh key and the backup's password), and reading a container's header without any
//! key (`tessera-cli inspect`, the fuzz target).

use std::path::Path;

use super::codec::{DerivedKeys, Unlocker, decode, encode};
use super::error::VaultError;
use super::format::{self, Slot, b64};
use super::keys::{self, KdfParams, Key};
use super::model::Entry;
use crate::otp::Account;

/// What a vault or backup file's container says about itself, read without any key: for
/// `tessera-cli inspect`, and for fuzzing the container parser without running a KDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    /// The format version (major, minor).
    pub version: (u8, u8),
    /// The slot types in order (`password`, `keystore`, or a newer type's name).
    pub slots: Vec<String>,
    /// Key-derivation work the password slots ask for (KiB of memory times passes, summed).
    pub kdf_work_kib: u64,
    /// Bytes of sealed payload.
    pub sealed_len: usize,
}

/// Reads a container's header (checksum, version, slots) without any key.
pub fn inspect_container(file: &Path, bytes: &[u8]) -> Result<ContainerInfo, VaultError> {
    let parsed = format::parse(file, bytes)?;
    let mut kdf_work_kib = 0u64;
    let slots = parsed
        .header
        .slots
        .iter()
        .map(|slot| match slot {
            Slot::Password { kdf, .. } => {
                kdf_work_kib = kdf_work_kib.saturating_add(u64::from(kdf.m_kib) * u64::from(kdf.t));
                "password".to_owned()
            }
            Slot::Keystore { .. } => "keystore".to_owned(),
            Slot::Biometric { .. } => "biometric".to_owned(),
            Slot::Unknown(fields) => fields
                .get("type")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("unknown")
                .to_owned(),
        })
        .collect();
    Ok(ContainerInfo {
        version: (bytes[format::MAGIC.len()], bytes[format::MAGIC.len() + 1]),
        slots,
        kdf_work_kib,
        sealed_len: parsed.sealed.len(),
    })
}

/// An account and, if it is in the trash, since when: what backups carry.
pub type BackupEntry = (Account, Option<u64>);

/// A sealed backup: the file's bytes, and the key its password derived, so that the file can be
/// read back and checked without running the key derivation again.
pub struct SealedBackup {
    /// The whole backup file.
    pub bytes: Vec<u8>,
    derived: (Vec<u8>, KdfParams, Key),
}

impl std::fmt::Debug for SealedBackup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedBackup({} bytes)", self.bytes.len())
    }
}

impl SealedBackup {
    /// Seals `entries` in a new container: a fresh random master key, one password slot.
    pub fn seal(
        entries: &[BackupEntry],
        password: &[u8],
        kdf: KdfParams,
    ) -> Result<SealedBackup, VaultError> {
        let master = keys::new_master_key();
        let salt = keys::random::<16>();
        let slot_key = keys::derive_slot_key(password, &salt, kdf)?;
        let (nonce, wrapped) = keys::wrap(&slot_key, "password", &master);
        let slots = [Slot::Password {
            kdf,
            salt: b64(&salt),
            nonce: b64(&nonce),
            wrapped: b64(&wrapped),
        }];
        let entries: Vec<Entry> = entries
            .iter()
            .map(|(account, trashed)| Entry::new(account.clone(), *trashed))
            .collect();
        Ok(SealedBackup {
            bytes: encode(&master, &slots, &entries),
            derived: (salt.to_vec(), kdf, slot_key),
        })
    }

    /// Reads `bytes` (as written to `file`) back with the key derived when sealing.
    pub fn read_back(&self, file: &Path, bytes: &[u8]) -> Result<Vec<BackupEntry>, VaultError> {
        let derived = DerivedKeys::new(vec![self.derived.clone()]);
        let unlocker = Unlocker::Password(b"", &derived);
        let (_, _, entries) = decode(file, bytes, &unlocker)?;
        Ok(entries
            .into_iter()
            .map(|e| (e.account, e.trashed))
            .collect())
    }
}

/// Opens a backup file (or a vault file: they share the container) with its password.
pub fn open_backup(
    file: &Path,
    bytes: &[u8],
    password: &[u8],
) -> Result<Vec<BackupEntry>, VaultError> {
    let (_, _, entries) = decode(
        file,
        bytes,
        &Unlocker::Password(password, &DerivedKeys::default()),
    )?;
    Ok(entries
        .into_iter()
        .map(|e| (e.account, e.trashed))
        .collect())
}
