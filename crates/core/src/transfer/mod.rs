//! Moving accounts in and out: Tessera backups, restore with a merge preview, automatic
//! backups, import from other authenticators and export to them.
//!
//! Every path ends in the same two steps. Something produces accounts (a backup, an importer),
//! then [`merge::plan`] sorts them against the vault into new accounts, exact duplicates
//! (skipped) and independent authenticators for an account the vault already has (kept and
//! tagged). Nothing is written until the plan is applied. A restore or import never deletes or
//! overwrites an account.

pub mod autobackup;
pub mod backup;
mod crypto;
mod error;
pub mod export;
pub mod handover;
pub mod import;
pub mod merge;
pub mod sync;

/// The KeePass attribute holding the link of a Yandex or mOTP account (with its PIN), which
/// KeePass cannot compute: Tessera's KeePass export writes it and its import reads it back.
pub const TESSERA_OTP: &str = "Tessera-OTP";

pub use error::TransferError;

/// Import files larger than this are refused: every real export is far smaller, and a file
/// this big is a mistake or an attack (decompression bombs count their unpacked size).
pub const MAX_IMPORT_SIZE: usize = 32 * 1024 * 1024;
