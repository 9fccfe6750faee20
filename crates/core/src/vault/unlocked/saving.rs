//! Saving an unlocked vault: the write lock, telling another program's save apart from this
//! one's last (the file's checksum), merging it ([`crate::vault::reconcile`]), and which saves
//! shift the generations.

use std::path::Path;
use std::time::SystemTime;

use super::super::codec::{encode, open_entries};
use super::super::error::VaultError;
use super::super::format::{self, Slot};
use super::super::keys::Key;
use super::super::model::Entry;
use super::super::reconcile::{self, MergeReport};
use super::super::sealed::BackupEntry;
use super::super::store;
use super::Vault;

/// What a save changes, which decides how it treats the generations and another program's save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    /// Accounts: the current file becomes generation `.1`.
    Content,
    /// Only when a code was used (last use, an HOTP counter): replaces the newest file without
    /// shifting the generations, so they keep real history.
    Bookkeeping,
    /// The key slots (keystore on or off, a new password): refused if another program changed
    /// the slots too.
    Slots,
}

/// The file as this program last read or wrote it: what another program's save is told apart
/// from, and the base of the merge.
pub(super) struct Synced {
    /// The file's trailing SHA-256 checksum.
    pub(super) sum: Vec<u8>,
    /// The master key the file is sealed under.
    master: Key,
    slots: Vec<Slot>,
    entries: Vec<BackupEntry>,
    /// Size and modification time, to notice a change without reading the file.
    stamp: Option<(u64, SystemTime)>,
}

impl Synced {
    pub(super) fn of(
        path: &Path,
        bytes: &[u8],
        master: &Key,
        slots: &[Slot],
        entries: &[Entry],
    ) -> Synced {
        Synced {
            sum: bytes[bytes.len().saturating_sub(32)..].to_vec(),
            master: master.clone(),
            slots: slots.to_vec(),
            entries: entries
                .iter()
                .map(|e| (e.account.clone(), e.trashed))
                .collect(),
            stamp: stamp(path),
        }
    }
}

fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// What the file on disk holds now, compared with [`Synced`].
enum OnDisk {
    /// What this program last read or wrote (or no file at all).
    Unchanged,
    /// Another program saved: its slots and accounts, readable with our master key.
    Changed(Vec<Slot>, Vec<Entry>),
    /// Damaged (or not a vault): a save replaces it, keeping it as generation `.1`.
    Damaged,
}

impl Vault {
    /// The older copy that opened because the newest file is damaged, until confirmed.
    pub fn unconfirmed_copy(&self) -> Option<&Path> {
        self.unconfirmed_copy.as_deref()
    }

    /// Accepts the older copy that opened: the next save makes it the current vault (the
    /// damaged file is kept as generation `.1`).
    pub fn confirm_copy(&mut self) {
        self.unconfirmed_copy = None;
    }

    /// What the last save or [`Vault::refresh`] took over from another program's save, once.
    pub fn take_merge_report(&mut self) -> Option<MergeReport> {
        self.merged.take()
    }

    /// Whether the file's size or time differs from when this program last read or wrote it
    /// (another program probably saved; [`Vault::refresh`] reads it).
    pub fn changed_on_disk(&self) -> bool {
        stamp(&self.path) != self.synced.stamp
    }

    /// Reads what another program saved since this one last read or wrote the file, if
    /// anything (a cheap check of size and time first). Returns whether the accounts changed.
    /// Fails with [`VaultError::ChangedElsewhere`] when the file now has other keys (the
    /// password was changed): lock, and unlock again.
    pub fn refresh(&mut self) -> Result<bool, VaultError> {
        if self.unconfirmed_copy.is_some() || stamp(&self.path) == self.synced.stamp {
            return Ok(false);
        }
        let _lock = store::lock(&self.path)?;
        let Some(bytes) = store::read_current(&self.path)? else {
            return Ok(false);
        };
        match self.on_disk(&bytes)? {
            OnDisk::Unchanged | OnDisk::Damaged => {
                self.synced.stamp = stamp(&self.path);
                Ok(false)
            }
            OnDisk::Changed(slots, theirs) => {
                let (entries, report) =
                    reconcile::merge(&self.synced.entries, &self.entries, theirs);
                self.entries = entries;
                self.slots = slots;
                self.synced =
                    Synced::of(&self.path, &bytes, &self.master, &self.slots, &self.entries);
                self.saved_count = self.entries.len();
                self.merged = Some(report);
                Ok(true)
            }
        }
    }

    /// Compares the file's `bytes` with what this program last read or wrote.
    fn on_disk(&self, bytes: &[u8]) -> Result<OnDisk, VaultError> {
        if bytes.len() >= 32 && bytes[bytes.len() - 32..] == self.synced.sum[..] {
            return Ok(OnDisk::Unchanged);
        }
        let parsed = match format::parse(&self.path, bytes) {
            Ok(parsed) => parsed,
            Err(VaultError::Damaged { .. } | VaultError::NotAVault(_)) => {
                return Ok(OnDisk::Damaged);
            }
            Err(_) => return Err(VaultError::ChangedElsewhere(self.path.clone())),
        };
        match open_entries(&self.path, &parsed, &self.synced.master) {
            Ok(Some(entries)) => Ok(OnDisk::Changed(parsed.header.slots, entries)),
            _ => Err(VaultError::ChangedElsewhere(self.path.clone())),
        }
    }

    /// Encrypts and writes the vault (fresh salt and nonce every time), holding the write lock;
    /// merges first if another program saved since this one last read or wrote the file.
    /// Memory changes only once the file is written.
    pub(super) fn write(&mut self, change: Change, allow_empty: bool) -> Result<(), VaultError> {
        if let Some(copy) = &self.unconfirmed_copy {
            return Err(VaultError::CopyNotConfirmed(copy.clone()));
        }
        let _lock = store::lock(&self.path)?;
        let on_disk = match store::read_current(&self.path)? {
            Some(bytes) => self.on_disk(&bytes)?,
            None => OnDisk::Unchanged,
        };
        let mut slots = None;
        let mut merged = None;
        let mut rotate = change != Change::Bookkeeping;
        match on_disk {
            OnDisk::Unchanged => {}
            OnDisk::Damaged => rotate = true,
            OnDisk::Changed(disk_slots, theirs) => {
                if change == Change::Slots && disk_slots != self.synced.slots {
                    return Err(VaultError::ChangedElsewhere(self.path.clone()));
                }
                if change != Change::Slots {
                    slots = Some(disk_slots);
                }
                merged = Some(reconcile::merge(
                    &self.synced.entries,
                    &self.entries,
                    theirs,
                ));
                rotate = true;
            }
        }
        let entries = merged.as_ref().map_or(&self.entries, |(e, _)| e);
        if entries.is_empty() && self.saved_count > 0 && !allow_empty {
            return Err(VaultError::WouldEmpty(self.saved_count));
        }
        let slots_now = slots.as_ref().unwrap_or(&self.slots);
        let bytes = encode(&self.master, slots_now, entries);
        store::write_atomic(&self.path, &bytes, rotate, self.fail)?;
        if let Some(slots) = slots {
            self.slots = slots;
        }
        if let Some((entries, report)) = merged {
            self.entries = entries;
            self.merged = Some(report);
        }
        self.synced = Synced::of(&self.path, &bytes, &self.master, &self.slots, &self.entries);
        self.saved_count = self.entries.len();
        Ok(())
    }

    /// Saves now. Refuses to replace a vault that had accounts with an empty one.
    pub fn save(&mut self) -> Result<(), VaultError> {
        self.write(Change::Content, false)
    }

    /// Saves even if that leaves the vault empty (only when the user asked for exactly that).
    pub fn save_allowing_empty(&mut self) -> Result<(), VaultError> {
        self.write(Change::Content, true)
    }

    /// Saves (`allow_empty` as in [`Vault::save_allowing_empty`]); if that fails, `undo` puts
    /// the in-memory state back as it was, so memory never claims what the file does not hold.
    pub(super) fn save_or_undo(
        &mut self,
        change: Change,
        allow_empty: bool,
        undo: impl FnOnce(&mut Vault),
    ) -> Result<(), VaultError> {
        let result = self.write(change, allow_empty);
        if result.is_err() {
            undo(self);
        }
        result
    }
}
