//! The encrypted vault: seeds at rest, crash-safe writes, previous generations kept.
//!
//! Losing seeds is the worst thing an authenticator can do, so every save writes a complete new
//! file beside the old one and renames it into place, the three previous files are kept, and a
//! damaged newest file opens from the newest good generation. The format (docs/vault-format.md)
//! authenticates every header byte: the header is the associated data of the AES-256-GCM
//! payload, and a SHA-256 checksum finds accidental damage before any key is derived.

mod error;
mod format;
mod keys;
mod keystore;
mod model;
mod store;
mod unlocked;

pub use error::VaultError;
pub use format::{MAGIC, VERSION};
pub use keys::KdfParams;
#[cfg(feature = "os-keystore")]
pub use keystore::OsKeystore;
pub use keystore::{Keystore, MemoryKeystore};
pub use store::{FailPoint, GENERATIONS, generation_path};
pub use unlocked::{BackupEntry, Edit, OpenReport, SealedBackup, Vault, open_backup};
