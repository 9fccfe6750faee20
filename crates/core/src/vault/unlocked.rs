//! The unlocked vault: accounts in memory, saved encrypted after every change.
//!
//! Another program (`tessera-cli`, a second window) may save the same file while this one has it
//! open. Every save therefore takes the vault's write lock, compares the file with what this
//! program last read or wrote (its checksum: every save draws a fresh nonce, so no two saves
//! share one), and if another program saved in between, merges this program's changes into
//! that file account by account ([`super::reconcile`]) instead of writing over it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::codec::{BackupEntry, Unlocker, decode, encode, open_entries, password_slot};
use super::error::VaultError;
use super::format::{self, Slot, b64};
use super::keys::{self, KdfParams, Key};
use super::keystore::Keystore;
use super::model::Entry;
use super::reconcile::{self, MergeReport};
use super::store::{self, FailPoint};
use crate::otp::{Account, AccountId, Enrolment};

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

/// Changes to an account's descriptive fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    /// New issuer.
    pub issuer: Option<String>,
    /// New account name.
    pub name: Option<String>,
    /// New tenant.
    pub tenant: Option<String>,
    /// New note.
    pub note: Option<String>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
    /// Pin or unpin.
    pub pinned: Option<bool>,
    /// Marks a conflict version as resolved (clears [`Account::conflict_of`]).
    pub resolve_conflict: bool,
}

/// What a save changes, which decides how it treats the generations and another program's save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
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
struct Synced {
    /// The file's trailing SHA-256 checksum.
    sum: Vec<u8>,
    /// The master key the file is sealed under.
    master: Key,
    slots: Vec<Slot>,
    entries: Vec<BackupEntry>,
    /// Size and modification time, to notice a change without reading the file.
    stamp: Option<(u64, SystemTime)>,
}

impl Synced {
    fn of(path: &Path, bytes: &[u8], master: &Key, slots: &[Slot], entries: &[Entry]) -> Synced {
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

/// Checks that someone at an unlocked session knows the vault's password (re-authentication
/// before a seed leaves the vault). Holds copies of the slots and the key, so it can run the
/// slow key derivation on another thread while the vault stays in use.
pub struct PasswordCheck {
    path: PathBuf,
    slots: Vec<Slot>,
    master: Key,
}

impl std::fmt::Debug for PasswordCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PasswordCheck({:?})", self.path)
    }
}

impl PasswordCheck {
    /// Succeeds when `password` opens a password slot that holds this session's master key;
    /// [`VaultError::WrongPassword`] otherwise.
    pub fn verify(&self, password: &[u8]) -> Result<(), VaultError> {
        let unlocker = Unlocker::Password(password, Default::default());
        let key = unlocker.master_key(&self.path, &self.slots)?;
        if key[..] == self.master[..] {
            Ok(())
        } else {
            Err(VaultError::WrongPassword)
        }
    }
}

/// Seals copies of a vault made under an earlier password (automatic backups) again under the
/// vault's current key and password slots, in place, so the old password opens none of them.
/// Holds copies of the key and slots, so it can work on another thread; the old password's key
/// is derived once for all copies that share its slot.
pub struct Resealer {
    slots: Vec<Slot>,
    master: Key,
    derived: std::cell::RefCell<Vec<(Vec<u8>, KdfParams, Key)>>,
}

impl std::fmt::Debug for Resealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Resealer")
    }
}

impl Resealer {
    /// Seals `file` again. Returns false when it already opens with the current key; fails with
    /// [`VaultError::WrongPassword`] when `old_password` does not open it either.
    pub fn reseal(&self, file: &Path, old_password: &[u8]) -> Result<bool, VaultError> {
        let bytes = store::read_capped(file)?;
        let parsed = format::parse(file, &bytes)?;
        if let Ok(Some(_)) = open_entries(file, &parsed, &self.master) {
            return Ok(false);
        }
        let unlocker = Unlocker::Password(old_password, self.derived.clone());
        let (_, _, entries) = decode(file, &bytes, &unlocker)?;
        if let Unlocker::Password(_, derived) = unlocker {
            *self.derived.borrow_mut() = derived.into_inner();
        }
        store::write_atomic(
            file,
            &encode(&self.master, &self.slots, &entries),
            false,
            None,
        )?;
        Ok(true)
    }
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

    /// Opens the vault with its password. If the newest file is damaged, the newest good
    /// generation opens instead, the report says so, and the vault writes nothing until
    /// [`Vault::confirm_copy`]. A wrong password or a read error never falls back.
    pub fn unlock(path: &Path, password: &[u8]) -> Result<(Vault, OpenReport), VaultError> {
        Vault::open_newest(path, &Unlocker::Password(password, Default::default()))
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

    /// What checks the password again (see [`PasswordCheck`]).
    pub fn password_check(&self) -> PasswordCheck {
        PasswordCheck {
            path: self.path.clone(),
            slots: self.slots.clone(),
            master: self.master.clone(),
        }
    }

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

    /// Whether the vault has an OS-keystore slot.
    pub fn has_keystore_slot(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s, Slot::Keystore { .. }))
    }

    /// Adds (or re-makes) the OS-keystore slot: a fresh random key stored in the keystore wraps
    /// the master key. Saves.
    pub fn enable_keystore(&mut self, keystore: &dyn Keystore) -> Result<(), VaultError> {
        let entry = format!("vault-{}", uuid::Uuid::new_v4());
        let slot_key = keys::new_master_key();
        keystore
            .set(&entry, slot_key.as_ref())
            .map_err(VaultError::Keystore)?;
        let (nonce, wrapped) = keys::wrap(&slot_key, "keystore", &self.master);
        let old_slots = self.slots.clone();
        let old_entries: Vec<String> = self.keystore_entries();
        self.slots.retain(|s| !matches!(s, Slot::Keystore { .. }));
        self.slots.push(Slot::Keystore {
            entry: entry.clone(),
            nonce: b64(&nonce),
            wrapped: b64(&wrapped),
        });
        self.save_or_undo(Change::Slots, true, |v| {
            v.slots = old_slots;
            let _ = keystore.delete(&entry);
        })?;
        for old in old_entries {
            let _ = keystore.delete(&old);
        }
        Ok(())
    }

    /// Removes the OS-keystore slot and its keystore entry. Saves.
    pub fn disable_keystore(&mut self, keystore: &dyn Keystore) -> Result<(), VaultError> {
        let entries = self.keystore_entries();
        let old_slots = self.slots.clone();
        self.slots.retain(|s| !matches!(s, Slot::Keystore { .. }));
        self.save_or_undo(Change::Slots, true, |v| v.slots = old_slots)?;
        for entry in entries {
            keystore.delete(&entry).map_err(VaultError::Keystore)?;
        }
        Ok(())
    }

    /// After a password unlock: if the vault has a keystore slot that the keystore can no longer
    /// open (entry gone or changed), makes it again. Returns whether it did.
    pub fn repair_keystore(&mut self, keystore: &dyn Keystore) -> Result<bool, VaultError> {
        if !self.has_keystore_slot()
            || Unlocker::Keystore(keystore)
                .master_key(&self.path, &self.slots)
                .is_ok()
        {
            return Ok(false);
        }
        self.enable_keystore(keystore)?;
        Ok(true)
    }

    fn keystore_entries(&self) -> Vec<String> {
        self.slots
            .iter()
            .filter_map(|s| match s {
                Slot::Keystore { entry, .. } => Some(entry.clone()),
                _ => None,
            })
            .collect()
    }

    /// Encrypts and writes the vault (fresh salt and nonce every time), holding the write lock;
    /// merges first if another program saved since this one last read or wrote the file.
    /// Memory changes only once the file is written.
    fn write(&mut self, change: Change, allow_empty: bool) -> Result<(), VaultError> {
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

    /// Adds an account made from an enrolment at `now` and saves. See [`Vault::add_account`].
    pub fn add(&mut self, enrolment: Enrolment, now: u64) -> Result<AccountId, VaultError> {
        self.add_account(Account::new(enrolment, now))
    }

    /// Adds an account (with its tenant, tags and note) and saves, in one write. The same secret,
    /// parameters and label again is a duplicate; the same label with another secret is a
    /// second, independent authenticator for the same account and is kept.
    pub fn add_account(&mut self, account: Account) -> Result<AccountId, VaultError> {
        if let Some(existing) = self.entries.iter().find(|e| {
            e.account.otp == account.otp
                && e.account.issuer == account.issuer
                && e.account.name == account.name
        }) {
            return Err(VaultError::Duplicate {
                label: existing.account.label(),
            });
        }
        let id = account.id;
        self.entries.push(Entry::new(account, None));
        self.save_or_undo(Change::Content, false, |v| {
            v.entries.pop();
        })?;
        Ok(id)
    }

    /// Adds an account in memory only, without the duplicate check or a save (for benchmarks
    /// and bulk loads that call [`Vault::save`] once at the end).
    #[doc(hidden)]
    pub fn push_unsaved(&mut self, account: Account) {
        self.entries.push(Entry::new(account, None));
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

    fn index(&self, id: AccountId) -> Result<usize, VaultError> {
        self.entries
            .iter()
            .position(|e| e.account.id == id)
            .ok_or_else(|| VaultError::NoSuchAccount(id.to_string()))
    }

    /// Runs a change, saves, and undoes the change in memory if the save fails.
    fn change(
        &mut self,
        id: AccountId,
        change: Change,
        apply: impl FnOnce(&mut Entry),
    ) -> Result<(), VaultError> {
        let i = self.index(id)?;
        let before = Entry::new(self.entries[i].account.clone(), self.entries[i].trashed);
        apply(&mut self.entries[i]);
        self.entries[i].reindex();
        self.save_or_undo(change, false, move |v| v.entries[i] = before)
    }

    /// Saves (`allow_empty` as in [`Vault::save_allowing_empty`]); if that fails, `undo` puts
    /// the in-memory state back as it was, so memory never claims what the file does not hold.
    fn save_or_undo(
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

    /// Edits issuer, name, tenant, tags, note or pin, and saves.
    pub fn edit(&mut self, id: AccountId, edit: Edit, now: u64) -> Result<(), VaultError> {
        self.change(id, Change::Content, |e| {
            let a = &mut e.account;
            if let Some(v) = edit.issuer {
                a.issuer = v;
            }
            if let Some(v) = edit.name {
                a.name = v;
            }
            if let Some(v) = edit.tenant {
                a.tenant = v;
            }
            if let Some(v) = edit.note {
                a.note = v;
            }
            a.tags.retain(|t| !edit.remove_tags.contains(t));
            for tag in edit.add_tags {
                if !a.tags.contains(&tag) {
                    a.tags.push(tag);
                }
            }
            if let Some(v) = edit.pinned {
                a.pinned = v;
            }
            if edit.resolve_conflict {
                a.conflict_of = None;
            }
            a.updated = now;
        })
    }

    /// Moves the HOTP counter on (after its code was used) and saves.
    pub fn advance_counter(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, Change::Bookkeeping, |e| {
            e.account.otp.increment_counter();
            e.account.updated = now;
        })
    }

    /// Records that a code of the account was just used (copied) and saves. Not a change of
    /// the account: `updated` stays.
    pub fn mark_used(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, Change::Bookkeeping, |e| e.account.last_used = Some(now))
    }

    /// Moves an account to the trash (kept until purged) and saves.
    pub fn trash_account(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, Change::Content, |e| e.trashed = Some(now))
    }

    /// Brings an account back from the trash and saves.
    pub fn restore(&mut self, id: AccountId) -> Result<(), VaultError> {
        self.change(id, Change::Content, |e| e.trashed = None)
    }

    /// Deletes a trashed account for good and saves. Live accounts must be trashed first.
    pub fn purge(&mut self, id: AccountId) -> Result<(), VaultError> {
        let i = self.index(id)?;
        if self.entries[i].trashed.is_none() {
            return Err(VaultError::NoSuchAccount(format!(
                "{id} (not in the trash; move it to the trash first)"
            )));
        }
        let removed = self.entries.remove(i);
        self.save_or_undo(Change::Content, true, move |v| v.entries.insert(i, removed))
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

    /// Adds many accounts (each live or trashed) and saves once; nothing is added if the save
    /// fails. An id already in the vault gets a fresh one. No duplicate check: callers decide
    /// (see `transfer::merge`).
    pub fn insert_all(&mut self, items: Vec<BackupEntry>) -> Result<Vec<AccountId>, VaultError> {
        let before = self.entries.len();
        let mut ids = Vec::with_capacity(items.len());
        let mut taken: std::collections::HashSet<AccountId> =
            self.entries.iter().map(|e| e.account.id).collect();
        for (mut account, trashed) in items {
            while !taken.insert(account.id) {
                account.id = AccountId::random();
            }
            ids.push(account.id);
            self.entries.push(Entry::new(account, trashed));
        }
        self.save_or_undo(Change::Content, false, move |v| v.entries.truncate(before))?;
        Ok(ids)
    }

    /// Changes the password: a new master key, a new password slot, and saves. Other slots
    /// (the keystore's) are dropped, since they wrapped the old key, and their entries are
    /// deleted from `keystore`; make the keystore slot again if wanted.
    ///
    /// The generations kept beside the vault are sealed again under the new key and slots, so
    /// the old password opens nothing on this device any more. Returns how many were.
    pub fn change_password(
        &mut self,
        new_password: &[u8],
        kdf: KdfParams,
        keystore: Option<&dyn Keystore>,
    ) -> Result<usize, VaultError> {
        let master = keys::new_master_key();
        let slots = vec![password_slot(new_password, kdf, &master)?];
        let old_entries = self.keystore_entries();
        let old_master = std::mem::replace(&mut self.master, master);
        let old_slots = std::mem::replace(&mut self.slots, slots);
        let old_key = old_master.clone();
        self.save_or_undo(Change::Slots, true, move |v| {
            v.master = old_master;
            v.slots = old_slots;
        })?;
        if let Some(keystore) = keystore {
            for entry in old_entries {
                let _ = keystore.delete(&entry);
            }
        }
        self.reseal_generations(&old_key)
    }

    /// What seals copies of this vault made under an earlier password again (see
    /// [`Resealer`]).
    pub fn resealer(&self) -> Resealer {
        Resealer {
            slots: self
                .slots
                .iter()
                .filter(|s| matches!(s, Slot::Password { .. }))
                .cloned()
                .collect(),
            master: self.master.clone(),
            derived: Default::default(),
        }
    }

    /// Seals every kept generation that `old` opens again under the current key and slots.
    fn reseal_generations(&self, old: &Key) -> Result<usize, VaultError> {
        let _lock = store::lock(&self.path)?;
        let mut resealed = 0;
        for n in 1..=store::GENERATIONS {
            let file = store::generation_path(&self.path, n);
            let Ok(bytes) = store::read_capped(&file) else {
                continue;
            };
            let Ok(parsed) = format::parse(&file, &bytes) else {
                continue;
            };
            if let Ok(Some(entries)) = open_entries(&file, &parsed, old) {
                let sealed = encode(&self.master, &self.slots, &entries);
                store::write_atomic(&file, &sealed, false, None)?;
                resealed += 1;
            }
        }
        Ok(resealed)
    }
}
