//! The biometric slot of an unlocked vault: turning biometric unlock on and off, and checking
//! the user again with it (see [`crate::vault::BiometricStore`]).

use super::super::biometric::{BiometricError, BiometricStore};
use super::super::codec::{OpenedSlotKeys, Unlocker};
use super::super::error::VaultError;
use super::super::format::{Slot, b64};
use super::super::keys::{self, Key};
use super::Vault;
use super::saving::Change;
use super::slots::PasswordCheck;

impl Vault {
    /// Whether the vault has a biometric slot.
    pub fn has_biometric_slot(&self) -> bool {
        self.biometric_entry().is_some()
    }

    /// The phone-key name of the biometric slot, if there is one (to delete the phone's key
    /// after a password change dropped the slot).
    pub fn biometric_entry(&self) -> Option<String> {
        self.slots.iter().find_map(|s| match s {
            Slot::Biometric { entry, .. } => Some(entry.clone()),
            _ => None,
        })
    }

    /// Adds (or re-makes) the biometric slot: [`PasswordCheck::prepare_biometric`] (the phone's
    /// prompt) then [`Vault::apply_biometric`] (saves). Call off the UI thread.
    pub fn enable_biometric(&mut self, store: &dyn BiometricStore) -> Result<(), VaultError> {
        let slot = self.password_check().prepare_biometric(store)?;
        self.apply_biometric(slot, store)
    }

    /// Puts a prepared biometric slot in place of any earlier one and saves (fast); the
    /// earlier slot's phone key is deleted. [`VaultError::ChangedElsewhere`] when the slot was
    /// made for another key (the password changed meanwhile): nothing changes, and the new
    /// phone key is deleted.
    pub fn apply_biometric(
        &mut self,
        slot: NewBiometricSlot,
        store: &dyn BiometricStore,
    ) -> Result<(), VaultError> {
        let NewBiometricSlot { wraps, slot, entry } = slot;
        if wraps[..] != self.master[..] {
            let _ = store.delete(&entry);
            return Err(VaultError::ChangedElsewhere(self.path.clone()));
        }
        let old_slots = self.slots.clone();
        let old_entry = self.biometric_entry();
        self.slots.retain(|s| !matches!(s, Slot::Biometric { .. }));
        self.slots.push(slot);
        self.save_or_undo(Change::Slots, true, |v| {
            v.slots = old_slots;
            let _ = store.delete(&entry);
        })?;
        if let Some(old) = old_entry {
            let _ = store.delete(&old);
        }
        Ok(())
    }

    /// Removes the biometric slot (saves), then the phone's key. The password slot stays.
    pub fn disable_biometric(&mut self, store: &dyn BiometricStore) -> Result<(), VaultError> {
        let Some(entry) = self.biometric_entry() else {
            return Ok(());
        };
        let old_slots = self.slots.clone();
        self.slots.retain(|s| !matches!(s, Slot::Biometric { .. }));
        self.save_or_undo(Change::Slots, true, |v| v.slots = old_slots)?;
        store
            .delete(&entry)
            .map_err(|why| VaultError::Biometric(BiometricError::Failed(why)))
    }
}

/// A biometric slot made off the UI thread by [`PasswordCheck::prepare_biometric`] (the slow
/// part: the phone's prompt) and put in place by [`Vault::apply_biometric`].
pub struct NewBiometricSlot {
    wraps: Key,
    slot: Slot,
    entry: String,
}

impl std::fmt::Debug for NewBiometricSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewBiometricSlot")
    }
}

impl PasswordCheck {
    /// Makes a biometric slot for this session's key: a fresh slot key, sealed by the phone
    /// (its prompt shows; call off the UI thread), wrapping the master key. Nothing is written;
    /// on failure the phone's new key is deleted.
    pub fn prepare_biometric(
        &self,
        store: &dyn BiometricStore,
    ) -> Result<NewBiometricSlot, VaultError> {
        let entry = format!("vault-biometric-{}", uuid::Uuid::new_v4());
        let slot_key = keys::new_master_key();
        let sealed = match store.seal(&entry, slot_key.as_ref()) {
            Ok(sealed) => sealed,
            Err(error) => {
                let _ = store.delete(&entry);
                return Err(VaultError::Biometric(error));
            }
        };
        let (nonce, wrapped) = keys::wrap(&slot_key, "biometric", &self.master);
        Ok(NewBiometricSlot {
            wraps: self.master.clone(),
            slot: Slot::Biometric {
                entry: entry.clone(),
                sealed: b64(&sealed),
                nonce: b64(&nonce),
                wrapped: b64(&wrapped),
            },
            entry,
        })
    }

    /// Whether the vault this check was made from has a biometric slot.
    pub fn has_biometric(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s, Slot::Biometric { .. }))
    }

    /// Re-authentication by the biometric slot instead of the password: succeeds when the
    /// phone releases the slot key (after its prompt) and that key unwraps this session's
    /// master key.
    pub fn verify_biometric(&self, store: &dyn BiometricStore) -> Result<(), VaultError> {
        let opened = OpenedSlotKeys::default();
        let key = Unlocker::Biometric(store, &opened).master_key(&self.path, &self.slots)?;
        if key[..] == self.master[..] {
            Ok(())
        } else {
            Err(VaultError::Biometric(BiometricError::Damaged))
        }
    }
}
