//! The unlocked vault: accounts in memory, saved encrypted after every change.
//!
//! Another program (`tessera-cli`, a second window) may save the same file while this one has it
//! open. Every save therefore takes the vault's write lock, compares the file with what this
//! program last read or wrote (its checksum: every save draws a fresh nonce, so no two saves
//! share one), and if another program saved in between, merges this program's changes into
//! that file account by account ([`super::reconcile`]) instead of writing over it.

mod accounts;
mod biometric_slot;
mod saving;
mod sidecar;
mod slots;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::biometric::BiometricStore;
use super::codec::{DerivedKeys, OpenedSlotKeys, Unlocker, decode, open_entries, password_slot};
use super::error::VaultError;
use super::format::{self, Slot};
use super::keys::{self, KdfParams, Key};
use super::keystore::Keystore;
use super::model::Entry;
use super::reconcile::MergeReport;
use super::sealed::BackupEntry;
use super::store::{self, FailPoint};
use crate::otp::{Account, AccountId};
pub use accounts::Edit;
pub use biometric_slot::NewBiometricSlot;
use saving::{Change, Synced};
pub use sidecar::SidecarLock;
pub use slots::{NewPassword, PasswordCheck, Resealer};

/// What opening found: which generation was used and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReport {
    /// 0 for the vault itself, N for the generation `.N` beside it.
    pub generation: usize,
    /// Why newer files were passed over (each: path and error), empty when the vault itself opened.
    pub skipped: Vec<(PathBuf, VaultError)>,
    /// When the file that opened was written (its modification time), if the system says.
    pub written: Option<SystemTime>,
}

/// An unlocked vault. Dropping it (or [`Vault::lock`]) zeroizes every decrypted secret.
pub struct Vault {
    path: PathBuf,
    master: Key,
    slots: Vec<Slot>,
    entries: Vec<Entry>,
    synced: Synced,
    /// Set when an older generation opened because the newest file is damaged: nothing is
    /// written until [`Vault::confirm_copy`].
    unconfirmed_copy: Option<PathBuf>,
    /// What the last save or refresh took from another program's save.
    merged: Option<MergeReport>,
    saved_count: usize,
    fail: Option<FailPoint>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .field("accounts", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Creates a new, empty vault at `path` protected by `password` (Argon2id with `kdf`; use
    /// [`KdfParams::calibrate`] for real vaults). Refuses to overwrite an existing file.
    pub fn create(path: &Path, password: &[u8], kdf: KdfParams) -> Result<Vault, VaultError> {
        if path.exists() {
            return Err(VaultError::AlreadyExists(path.to_owned()));
        }
        let master = keys::new_master_key();
        let slots = vec![password_slot(password, kdf, &master)?];
        let mut vault = Vault::assemble(path, master, slots, Vec::new(), &[]);
        vault.write(Change::Content, true)?;
        Ok(vault)
    }

    fn assemble(
        path: &Path,
        master: Key,
        slots: Vec<Slot>,
        entries: Vec<Entry>,
        bytes: &[u8],
    ) -> Vault {
        Vault {
            path: path.to_owned(),
            synced: Synced::of(path, bytes, &master, &slots, &entries),
            master,
            slots,
            saved_count: entries.len(),
            entries,
            unconfirmed_copy: None,
            merged: None,
            fail: None,
        }
    }

    /// The key-derivation settings of the vault file's first password slot, read from its
    /// header without a key: what an unlock will cost, for a time estimate. `None` when the
    /// file is missing or unreadable (the unlock then says why).
    pub fn password_kdf(path: &Path) -> Option<KdfParams> {
        let bytes = store::read_current(path).ok()??;
        let parsed = super::format::parse(path, &bytes).ok()?;
        parsed.header.slots.iter().find_map(|slot| match slot {
            super::format::Slot::Password { kdf, .. } => Some(*kdf),
            _ => None,
        })
    }

    /// Whether the vault file has a biometric slot, read from its header without a key (the
    /// unlock screen offers the fingerprint or face only then).
    pub fn file_has_biometric_slot(path: &Path) -> bool {
        let Ok(Some(bytes)) = store::read_current(path) else {
            return false;
        };
        super::format::parse(path, &bytes).is_ok_and(|parsed| {
            parsed
                .header
                .slots
                .iter()
                .any(|slot| matches!(slot, Slot::Biometric { .. }))
        })
    }

    /// Opens the vault with its password. If the newest file is damaged, the newest good
    /// generation opens instead, the report says so, and the vault writes nothing until
    /// [`Vault::confirm_copy`]. A wrong password or a read error never falls back.
    pub fn unlock(path: &Path, password: &[u8]) -> Result<(Vault, OpenReport), VaultError> {
        Vault::open_newest(path, &Unlocker::Password(password, &DerivedKeys::default()))
    }

    /// Opens the vault through its OS-keystore slot, without the password. Fails with
    /// [`VaultError::Keystore`] when there is no such slot or the keystore entry is gone or
    /// changed: then unlock with the password and call [`Vault::enable_keystore`] again.
    pub fn unlock_with_keystore(
        path: &Path,
        keystore: &dyn Keystore,
    ) -> Result<(Vault, OpenReport), VaultError> {
        Vault::open_newest(path, &Unlocker::Keystore(keystore))
    }

    /// Opens the vault through its biometric slot: the phone shows its fingerprint or face
    /// prompt (call this off the UI thread). Fails with [`VaultError::Biometric`] when there is
    /// no such slot, the user cancels, or the phone's key was invalidated: then unlock with the
    /// password (nothing is lost) and call [`Vault::enable_biometric`] again.
    pub fn unlock_with_biometric(
        path: &Path,
        store: &dyn BiometricStore,
    ) -> Result<(Vault, OpenReport), VaultError> {
        Vault::open_newest(
            path,
            &Unlocker::Biometric(store, &OpenedSlotKeys::default()),
        )
    }

    fn open_newest(path: &Path, unlocker: &Unlocker) -> Result<(Vault, OpenReport), VaultError> {
        let candidates = store::candidates(path);
        if candidates.is_empty() {
            return Err(VaultError::NotFound(path.to_owned()));
        }
        let mut skipped = Vec::new();
        let mut first_error = None;
        for (generation, file) in candidates {
            match Vault::open_file(path, &file, unlocker) {
                Ok(mut vault) => {
                    if generation > 0 {
                        vault.unconfirmed_copy = Some(file.clone());
                    }
                    let written = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
                    let report = OpenReport {
                        generation,
                        skipped,
                        written,
                    };
                    return Ok((vault, report));
                }
                // Only damage falls back: a read error may be passing, and opening an older
                // copy that the next save makes current would lose the newest changes.
                Err(error @ VaultError::Damaged { .. }) => {
                    first_error.get_or_insert_with(|| error.clone());
                    skipped.push((file, error));
                }
                Err(error) => return Err(error),
            }
        }
        Err(first_error.expect("at least one candidate failed"))
    }

    fn open_file(vault_path: &Path, file: &Path, unlocker: &Unlocker) -> Result<Vault, VaultError> {
        let bytes = store::read_capped(file)?;
        let (master, slots, entries) = decode(file, &bytes, unlocker)?;
        let mut vault = Vault::assemble(vault_path, master, slots, entries, &bytes);
        if file != vault_path {
            // The base of later merges is the newest file, whatever it holds (it is damaged).
            vault.synced.sum.clear();
        }
        Ok(vault)
    }

    /// Makes the next saves stop at `point`, as a crash would (tests only).
    #[doc(hidden)]
    pub fn inject_failure(&mut self, point: Option<FailPoint>) {
        self.fail = point;
    }

    /// Locks: drops and zeroizes every decrypted secret and the master key.
    pub fn lock(self) {}

    /// The vault file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Live accounts, pinned first, then by issuer and name (case-insensitive).
    pub fn accounts(&self) -> Vec<&Account> {
        self.sorted(|_| true)
    }

    /// Live entries passing `keep`, pinned first, then by issuer and name (case-insensitive).
    fn sorted(&self, keep: impl Fn(&Entry) -> bool) -> Vec<&Account> {
        let mut live: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.trashed.is_none() && keep(e))
            .collect();
        live.sort_by(|a, b| {
            (!a.account.pinned, &a.sort_key, a.account.created).cmp(&(
                !b.account.pinned,
                &b.sort_key,
                b.account.created,
            ))
        });
        live.into_iter().map(|e| &e.account).collect()
    }

    /// Accounts in the trash with when they went there.
    pub fn trash(&self) -> Vec<(&Account, u64)> {
        self.entries
            .iter()
            .filter_map(|e| e.trashed.map(|t| (&e.account, t)))
            .collect()
    }

    /// Live accounts whose issuer, name, tenant, tags or note contain every word of `query`
    /// (case-insensitive).
    pub fn search(&self, query: &str) -> Vec<&Account> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.sorted(|e| words.iter().all(|w| e.haystack.contains(w.as_str())))
    }

    /// Finds a live or trashed account by full id or unique id prefix.
    pub fn find(&self, id: &str) -> Result<AccountId, VaultError> {
        let id = id.trim().to_lowercase();
        let matches: Vec<AccountId> = self
            .entries
            .iter()
            .map(|e| e.account.id)
            .filter(|a| !id.is_empty() && a.to_string().starts_with(&id))
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(VaultError::NoSuchAccount(id)),
            _ => Err(VaultError::Ambiguous(id)),
        }
    }

    /// The account with this id, live or trashed.
    pub fn get(&self, id: AccountId) -> Option<&Account> {
        self.entries
            .iter()
            .find(|e| e.account.id == id)
            .map(|e| &e.account)
    }

    /// Every account, live and trashed, with its trash time (what a backup carries).
    pub fn backup_entries(&self) -> Vec<BackupEntry> {
        self.entries
            .iter()
            .map(|e| (e.account.clone(), e.trashed))
            .collect()
    }

    /// Decrypts `bytes` (a copy of this vault's file) with this vault's key and returns how many
    /// accounts it holds: checks a copy without asking for the password.
    pub fn check_copy(&self, file: &Path, bytes: &[u8]) -> Result<usize, VaultError> {
        let parsed = format::parse(file, bytes)?;
        open_entries(file, &parsed, &self.master)?
            .map(|entries| entries.len())
            .ok_or(VaultError::Damaged {
                path: file.to_owned(),
                what: "the accounts do not authenticate",
            })
    }

    /// How many accounts, live and trashed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the vault holds no account at all (not even in the trash).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
