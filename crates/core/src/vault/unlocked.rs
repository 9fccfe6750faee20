//! The unlocked vault: accounts in memory, saved encrypted after every change.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::error::VaultError;
use super::format::{self, Header, Slot, b64, unb64};
use super::keys::{self, KdfParams, Key};
use super::keystore::Keystore;
use super::model::{Entry, Payload, StoredAccount};
use super::store::{self, FailPoint};
use crate::otp::{Account, AccountId, Enrolment};

/// What opening found: which generation was used and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReport {
    /// 0 for the vault itself, N for the generation `.N` beside it.
    pub generation: usize,
    /// Why newer files were passed over (each: path and error), empty when the vault itself opened.
    pub skipped: Vec<(PathBuf, VaultError)>,
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
}

/// An unlocked vault. Dropping it (or [`Vault::lock`]) zeroizes every decrypted secret.
pub struct Vault {
    path: PathBuf,
    master: Key,
    slots: Vec<Slot>,
    entries: Vec<Entry>,
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

/// How a vault is being opened.
enum Unlocker<'a> {
    /// The password, and the slot keys already derived from it (salt, settings, key): the
    /// generations of one vault share their password slot, so falling back to an older one
    /// does not run the KDF again.
    Password(&'a [u8], std::cell::RefCell<Vec<(Vec<u8>, KdfParams, Key)>>),
    Keystore(&'a dyn Keystore),
}

impl Unlocker<'_> {
    /// Recovers the master key from the first slot this unlocker opens.
    fn master_key(&self, file: &Path, slots: &[Slot]) -> Result<Key, VaultError> {
        match self {
            Unlocker::Password(password, derived) => {
                for slot in slots {
                    if let Slot::Password {
                        kdf,
                        salt,
                        nonce,
                        wrapped,
                    } = slot
                    {
                        let salt = unb64(file, salt)?;
                        let known = derived
                            .borrow()
                            .iter()
                            .find(|(s, k, _)| *s == salt && k == kdf)
                            .map(|(_, _, key)| key.clone());
                        let slot_key = match known {
                            Some(key) => key,
                            None => {
                                let key = keys::derive_slot_key(password, &salt, *kdf)?;
                                derived.borrow_mut().push((salt, *kdf, key.clone()));
                                key
                            }
                        };
                        if let Some(key) = keys::unwrap(
                            &slot_key,
                            "password",
                            &unb64(file, nonce)?,
                            &unb64(file, wrapped)?,
                        ) {
                            return Ok(key);
                        }
                    }
                }
                Err(VaultError::WrongPassword)
            }
            Unlocker::Keystore(keystore) => {
                let (entry, nonce, wrapped) = slots
                    .iter()
                    .find_map(|s| match s {
                        Slot::Keystore {
                            entry,
                            nonce,
                            wrapped,
                        } => Some((entry, nonce, wrapped)),
                        Slot::Password { .. } => None,
                    })
                    .ok_or_else(|| {
                        VaultError::Keystore("keystore unlock is not set up for this vault".into())
                    })?;
                let stored = keystore
                    .get(entry)
                    .map_err(VaultError::Keystore)?
                    .ok_or_else(|| VaultError::Keystore("the keystore entry is gone".into()))?;
                let slot_key = <[u8; 32]>::try_from(stored.as_slice())
                    .map(Zeroizing::new)
                    .map_err(|_| VaultError::Keystore("the keystore entry was changed".into()))?;
                keys::unwrap(
                    &slot_key,
                    "keystore",
                    &unb64(file, nonce)?,
                    &unb64(file, wrapped)?,
                )
                .ok_or_else(|| VaultError::Keystore("the keystore entry was changed".into()))
            }
        }
    }
}

/// A whole file: header with `slots`, and `entries` sealed under `master` with a fresh salt and
/// nonce.
fn encode(master: &Key, slots: &[Slot], entries: &[Entry]) -> Vec<u8> {
    let salt = keys::random::<32>();
    let nonce = keys::random::<12>();
    let header = Header {
        slots: slots.to_vec(),
        payload_salt: b64(&salt),
        payload_nonce: b64(&nonce),
    };
    let aad = format::header_bytes(&header);
    let payload = Payload {
        accounts: entries.iter().map(StoredAccount::from_entry).collect(),
    };
    let plain = Zeroizing::new(serde_json::to_vec(&payload).expect("accounts always serialize"));
    let sealed = keys::seal_payload(master, &salt, &nonce, &aad, &plain);
    format::file_bytes(&aad, &sealed)
}

/// Reads a whole file (`file` names it in errors): the master key from the first slot the
/// unlocker opens, the slots, and the entries.
fn decode(
    file: &Path,
    bytes: &[u8],
    unlocker: &Unlocker,
) -> Result<(Key, Vec<Slot>, Vec<Entry>), VaultError> {
    let parsed = format::parse(file, bytes)?;
    let damaged = |what| VaultError::Damaged {
        path: file.to_owned(),
        what,
    };
    let master = unlocker.master_key(file, &parsed.header.slots)?;
    let salt = unb64(file, &parsed.header.payload_salt)?;
    let nonce = unb64(file, &parsed.header.payload_nonce)?;
    let plain = keys::open_payload(&master, &salt, &nonce, &parsed.aad, &parsed.sealed)
        .ok_or_else(|| damaged("the accounts do not authenticate"))?;
    let payload: Payload =
        serde_json::from_slice(&plain).map_err(|_| damaged("the accounts are not valid"))?;
    let entries = payload
        .accounts
        .into_iter()
        .map(StoredAccount::into_entry)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| damaged("an account is not valid"))?;
    Ok((master, parsed.header.slots, entries))
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
        let unlocker = Unlocker::Password(b"", std::cell::RefCell::new(vec![self.derived.clone()]));
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
        &Unlocker::Password(password, Default::default()),
    )?;
    Ok(entries
        .into_iter()
        .map(|e| (e.account, e.trashed))
        .collect())
}

fn password_slot(password: &[u8], kdf: KdfParams, master: &Key) -> Result<Slot, VaultError> {
    let salt = keys::random::<16>();
    let slot_key = keys::derive_slot_key(password, &salt, kdf)?;
    let (nonce, wrapped) = keys::wrap(&slot_key, "password", master);
    Ok(Slot::Password {
        kdf,
        salt: b64(&salt),
        nonce: b64(&nonce),
        wrapped: b64(&wrapped),
    })
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
        let mut vault = Vault {
            path: path.to_owned(),
            master,
            slots,
            entries: Vec::new(),
            saved_count: 0,
            fail: None,
        };
        vault.write(true)?;
        Ok(vault)
    }

    /// Opens the vault with its password. If the newest file is damaged, the newest good
    /// generation opens instead and the report says so. A wrong password never falls back.
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
                Ok(vault) => {
                    return Ok((
                        vault,
                        OpenReport {
                            generation,
                            skipped,
                        },
                    ));
                }
                Err(error @ (VaultError::Damaged { .. } | VaultError::Io { .. })) => {
                    first_error.get_or_insert_with(|| error.clone());
                    skipped.push((file, error));
                }
                Err(error) => return Err(error),
            }
        }
        Err(first_error.expect("at least one candidate failed"))
    }

    fn open_file(vault_path: &Path, file: &Path, unlocker: &Unlocker) -> Result<Vault, VaultError> {
        let bytes = std::fs::read(file).map_err(|e| VaultError::io(file, e))?;
        let (master, slots, entries) = decode(file, &bytes, unlocker)?;
        Ok(Vault {
            path: vault_path.to_owned(),
            master,
            slots,
            saved_count: entries.len(),
            entries,
            fail: None,
        })
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
        self.save_or_undo(true, |v| {
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
        self.save_or_undo(true, |v| v.slots = old_slots)?;
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
                Slot::Password { .. } => None,
            })
            .collect()
    }

    /// Encrypts and writes the vault (fresh salt and nonce every time).
    fn write(&mut self, allow_empty: bool) -> Result<(), VaultError> {
        if self.entries.is_empty() && self.saved_count > 0 && !allow_empty {
            return Err(VaultError::WouldEmpty(self.saved_count));
        }
        let bytes = encode(&self.master, &self.slots, &self.entries);
        store::write_atomic(&self.path, &bytes, self.fail)?;
        self.saved_count = self.entries.len();
        Ok(())
    }

    /// Saves now. Refuses to replace a vault that had accounts with an empty one.
    pub fn save(&mut self) -> Result<(), VaultError> {
        self.write(false)
    }

    /// Saves even if that leaves the vault empty (only when the user asked for exactly that).
    pub fn save_allowing_empty(&mut self) -> Result<(), VaultError> {
        self.write(true)
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
        self.save_or_undo(false, |v| {
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
    fn change(&mut self, id: AccountId, apply: impl FnOnce(&mut Entry)) -> Result<(), VaultError> {
        let i = self.index(id)?;
        let before = Entry::new(self.entries[i].account.clone(), self.entries[i].trashed);
        apply(&mut self.entries[i]);
        self.entries[i].reindex();
        self.save_or_undo(false, move |v| v.entries[i] = before)
    }

    /// Saves (`allow_empty` as in [`Vault::save_allowing_empty`]); if that fails, `undo` puts
    /// the in-memory state back as it was, so memory never claims what the file does not hold.
    fn save_or_undo(
        &mut self,
        allow_empty: bool,
        undo: impl FnOnce(&mut Vault),
    ) -> Result<(), VaultError> {
        let result = self.write(allow_empty);
        if result.is_err() {
            undo(self);
        }
        result
    }

    /// Edits issuer, name, tenant, tags, note or pin, and saves.
    pub fn edit(&mut self, id: AccountId, edit: Edit, now: u64) -> Result<(), VaultError> {
        self.change(id, |e| {
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
            a.updated = now;
        })
    }

    /// Moves the HOTP counter on (after its code was used) and saves.
    pub fn advance_counter(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, |e| {
            e.account.otp.increment_counter();
            e.account.updated = now;
        })
    }

    /// Records that a code of the account was just used (copied) and saves. Not a change of
    /// the account: `updated` stays.
    pub fn mark_used(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, |e| e.account.last_used = Some(now))
    }

    /// Moves an account to the trash (kept until purged) and saves.
    pub fn trash_account(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, |e| e.trashed = Some(now))
    }

    /// Brings an account back from the trash and saves.
    pub fn restore(&mut self, id: AccountId) -> Result<(), VaultError> {
        self.change(id, |e| e.trashed = None)
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
        self.save_or_undo(true, move |v| v.entries.insert(i, removed))
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
        let salt = unb64(file, &parsed.header.payload_salt)?;
        let nonce = unb64(file, &parsed.header.payload_nonce)?;
        let plain = keys::open_payload(&self.master, &salt, &nonce, &parsed.aad, &parsed.sealed)
            .ok_or(VaultError::Damaged {
                path: file.to_owned(),
                what: "the accounts do not authenticate",
            })?;
        let payload: Payload = serde_json::from_slice(&plain).map_err(|_| VaultError::Damaged {
            path: file.to_owned(),
            what: "the accounts are not valid",
        })?;
        Ok(payload.accounts.len())
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
        self.save_or_undo(false, move |v| v.entries.truncate(before))?;
        Ok(ids)
    }

    /// Changes the password: a new master key, a new password slot, and saves. Other slots
    /// (the keystore's) are dropped and must be made again, since they wrapped the old key.
    pub fn change_password(
        &mut self,
        new_password: &[u8],
        kdf: KdfParams,
    ) -> Result<(), VaultError> {
        let master = keys::new_master_key();
        let slots = vec![password_slot(new_password, kdf, &master)?];
        let old_master = std::mem::replace(&mut self.master, master);
        let old_slots = std::mem::replace(&mut self.slots, slots);
        self.save_or_undo(true, move |v| {
            v.master = old_master;
            v.slots = old_slots;
        })
    }
}
