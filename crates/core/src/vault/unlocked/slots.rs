//! The key slots of an unlocked vault (keystore unlock on and off, a new password) and what the
//! session hands out to check the password again or to seal older copies under the new one.

use std::path::{Path, PathBuf};

use super::super::codec::{DerivedKeys, Unlocker, decode, encode, open_entries, password_slot};
use super::super::error::VaultError;
use super::super::format::{self, Slot, b64};
use super::super::keys::{self, KdfParams, Key};
use super::super::keystore::Keystore;
use super::super::store;
use super::Vault;
use super::saving::Change;

/// Checks that someone at an unlocked session knows the vault's password (re-authentication
/// before a seed leaves the vault). Holds copies of the slots and the key, so it can run the
/// slow key derivation on another thread while the vault stays in use.
pub struct PasswordCheck {
    pub(super) path: PathBuf,
    pub(super) slots: Vec<Slot>,
    pub(super) master: Key,
}

impl std::fmt::Debug for PasswordCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PasswordCheck({:?})", self.path)
    }
}

impl PasswordCheck {
    /// The first password slot's key-derivation settings (what [`PasswordCheck::verify`]
    /// costs, for a time estimate).
    pub fn kdf(&self) -> Option<KdfParams> {
        self.slots.iter().find_map(|slot| match slot {
            Slot::Password { kdf, .. } => Some(*kdf),
            _ => None,
        })
    }

    /// Succeeds when `password` opens a password slot that holds this session's master key;
    /// [`VaultError::WrongPassword`] otherwise.
    pub fn verify(&self, password: &[u8]) -> Result<(), VaultError> {
        let unlocker = Unlocker::Password(password, &DerivedKeys::default());
        let key = unlocker.master_key(&self.path, &self.slots)?;
        if key[..] == self.master[..] {
            Ok(())
        } else {
            Err(VaultError::WrongPassword)
        }
    }
}

/// A new password's key and slot, made off the UI thread by [`PasswordCheck::prepare_new`] (the
/// slow part of a password change: two key derivations) and applied by
/// [`Vault::apply_password`] (fast), so the vault stays open and in use meanwhile.
pub struct NewPassword {
    /// The master key of the session it was prepared for.
    replaces: Key,
    master: Key,
    slots: Vec<Slot>,
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword")
    }
}

impl PasswordCheck {
    /// The slow part of a password change: checks `old_password` (it must be the vault's), then
    /// makes a new master key wrapped by `new_password`. Nothing is written until
    /// [`Vault::apply_password`].
    pub fn prepare_new(
        &self,
        old_password: &[u8],
        new_password: &[u8],
        kdf: KdfParams,
    ) -> Result<NewPassword, VaultError> {
        self.verify(old_password)?;
        let master = keys::new_master_key();
        let slots = vec![password_slot(new_password, kdf, &master)?];
        Ok(NewPassword {
            replaces: self.master.clone(),
            master,
            slots,
        })
    }
}

/// Seals copies of a vault made under an earlier password (automatic backups) again under the
/// vault's current key and password slots, in place, so the old password opens none of them.
/// Holds copies of the key and slots, so it can work on another thread.
pub struct Resealer {
    slots: Vec<Slot>,
    master: Key,
}

impl std::fmt::Debug for Resealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Resealer")
    }
}

impl Resealer {
    /// Seals each of `files` again, in order: `Ok(false)` for one that already opens with the
    /// current key, [`VaultError::WrongPassword`] for one that `old_password` does not open
    /// either. The old password's key is derived once for all copies that share its slot.
    pub fn reseal(&self, files: &[PathBuf], old_password: &[u8]) -> Vec<Result<bool, VaultError>> {
        let derived = DerivedKeys::default();
        let unlocker = Unlocker::Password(old_password, &derived);
        files
            .iter()
            .map(|file| self.reseal_one(file, &unlocker))
            .collect()
    }

    fn reseal_one(&self, file: &Path, unlocker: &Unlocker) -> Result<bool, VaultError> {
        let bytes = store::read_capped(file)?;
        let parsed = format::parse(file, &bytes)?;
        if let Ok(Some(_)) = open_entries(file, &parsed, &self.master) {
            return Ok(false);
        }
        let (_, _, entries) = decode(file, &bytes, unlocker)?;
        store::write_atomic(
            file,
            &encode(&self.master, &self.slots, &entries),
            false,
            None,
        )?;
        Ok(true)
    }
}

impl Vault {
    /// What checks the password again (see [`PasswordCheck`]).
    pub fn password_check(&self) -> PasswordCheck {
        PasswordCheck {
            path: self.path.clone(),
            slots: self.slots.clone(),
            master: self.master.clone(),
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

    /// Changes the password: a new master key, a new password slot, and saves (both key
    /// derivations run here; an app runs [`PasswordCheck::prepare_new`] off its UI thread and
    /// then [`Vault::apply_password`] instead). See [`Vault::apply_password`].
    pub fn change_password(
        &mut self,
        new_password: &[u8],
        kdf: KdfParams,
        keystore: Option<&dyn Keystore>,
    ) -> Result<usize, VaultError> {
        let master = keys::new_master_key();
        let slots = vec![password_slot(new_password, kdf, &master)?];
        let new = NewPassword {
            replaces: self.master.clone(),
            master,
            slots,
        };
        self.apply_password(new, keystore)
    }

    /// Applies a prepared password change and saves. Other slots (the keystore's) are
    /// dropped, since they wrapped the old key, and their entries are deleted from `keystore`;
    /// make the keystore slot again if wanted. [`VaultError::ChangedElsewhere`] when the
    /// change was prepared for another key (the vault was re-keyed meanwhile): nothing changes.
    ///
    /// The generations kept beside the vault are sealed again under the new key and slots, so
    /// the old password opens nothing on this device any more. Returns how many were.
    pub fn apply_password(
        &mut self,
        new: NewPassword,
        keystore: Option<&dyn Keystore>,
    ) -> Result<usize, VaultError> {
        if new.replaces[..] != self.master[..] {
            return Err(VaultError::ChangedElsewhere(self.path.clone()));
        }
        let NewPassword { master, slots, .. } = new;
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
        self.reseal_sidecars(&old_key)?;
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
