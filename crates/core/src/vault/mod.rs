//! The encrypted vault: seeds at rest, crash-safe writes, previous generations kept.
//!
//! Losing seeds is the worst thing an authenticator can do, so every save writes a complete new
//! file beside the old one and renames it into place, the three previous files are kept, and a
//! damaged newest file opens from the newest good generation. The format (docs/vault-format.md)
//! authenticates every header byte: the header is the associated data of the AES-256-GCM
//! payload, and a SHA-256 checksum finds accidental damage before any key is derived.
//!
//! Two programs may have one vault open: saves take a lock beside the vault and merge what the
//! other program saved in between (see [`Vault`]), so neither loses the other's changes.

mod biometric;
mod codec;
mod error;
mod format;
mod keys;
mod keystore;
mod model;
mod reconcile;
mod sealed;
mod store;
mod unlocked;

pub use biometric::{
    BiometricError, BiometricKind, BiometricStore, GCM_TAG_LEN, MemoryBiometric, PromptAnswer,
    SealedKey,
};
pub use codec::{MAX_KDF_WORK_KIB, MAX_PASSWORD_SLOTS};
pub use error::VaultError;
pub use format::{MAGIC, VERSION};
pub use keys::KdfParams;
// The key schedule's pieces, for the sync folder's files (crate::transfer::sync).
pub(crate) use keys::{Key, derive_slot_key, random, unwrap as unwrap_key, wrap as wrap_key};
// An account in the vault's stored form, as the sync folder's records carry it.
pub(crate) use codec::to_zeroizing_json;
#[cfg(feature = "os-keystore")]
pub use keystore::OsKeystore;
pub use keystore::{CredentialStoreKeystore, Keystore, MemoryKeystore};
pub(crate) use model::{entry_from_json, entry_to_json};
pub use reconcile::MergeReport;
pub use sealed::{BackupEntry, ContainerInfo, SealedBackup, inspect_container, open_backup};
pub use store::{FailPoint, GENERATIONS, MAX_VAULT_BYTES, generation_path, lock_path};
pub use unlocked::{
    Edit, NewBiometricSlot, NewPassword, OpenReport, PasswordCheck, Resealer, SidecarLock, Vault,
};
