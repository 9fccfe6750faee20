//! This device's side of a sync, kept sealed beside the vault (the vault's `sync-state`
//! sidecar, under the vault's key): the device's id and name, the sync key and its join slot,
//! its own records, and what the last sync left in the vault, which tells this device's own
//! changes apart from the ones it took from others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::SyncError;
use super::fields::Values;
use super::file::{DeviceInfo, JoinSlot, SyncKey};
use super::record::{Book, DeviceId, Dot, Record};
use crate::vault::Vault;

/// The vault sidecar that holds the state.
pub(crate) const SIDECAR: &str = "sync-state";
const STATE_VERSION: u8 = 1;

/// What the last sync left in the vault for one account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Applied {
    pub fields: Values,
    pub book: Book,
    /// Moved to this device's trash because another device purged it: it stays in the trash
    /// until the user empties it here.
    #[serde(default)]
    pub purged_elsewhere: bool,
}

/// A conflict copy this device made: the account it is a copy of, and the value it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CopyOf {
    pub original: uuid::Uuid,
    pub field: String,
    pub dot: Dot,
}

/// The state (docs/sync-format.md, "This device's state").
#[derive(Serialize, Deserialize)]
pub(crate) struct LocalState {
    pub version: u8,
    pub device: DeviceId,
    pub name: String,
    key: Zeroizing<String>,
    pub join: JoinSlot,
    pub folder: PathBuf,
    pub counter: u64,
    pub own: Vec<Record>,
    pub applied: BTreeMap<uuid::Uuid, Applied>,
    #[serde(default)]
    pub copies: BTreeMap<uuid::Uuid, CopyOf>,
    /// Every device this one knows of, with the names they gave.
    #[serde(default)]
    pub devices: BTreeMap<DeviceId, DeviceInfo>,
    /// Devices removed from the sync (their files are ignored for good).
    #[serde(default)]
    pub removed: BTreeSet<DeviceId>,
    #[serde(default)]
    pub last_sync: Option<u64>,
}

impl LocalState {
    pub fn new(name: &str, key: &SyncKey, join: JoinSlot, folder: PathBuf) -> LocalState {
        LocalState {
            version: STATE_VERSION,
            device: DeviceId::random(),
            name: name.to_owned(),
            key: key.to_b64(),
            join,
            folder,
            counter: 0,
            own: Vec::new(),
            applied: BTreeMap::new(),
            copies: BTreeMap::new(),
            devices: BTreeMap::new(),
            removed: BTreeSet::new(),
            last_sync: None,
        }
    }

    pub fn key(&self) -> Result<SyncKey, SyncError> {
        SyncKey::from_b64(&self.key).ok_or(SyncError::StateDamaged)
    }

    pub fn set_key(&mut self, key: &SyncKey, join: JoinSlot) {
        self.key = key.to_b64();
        self.join = join;
    }

    /// The state beside `vault`, if this vault syncs.
    pub fn load(vault: &Vault) -> Result<Option<LocalState>, SyncError> {
        let Some(plain) = vault.read_sidecar(SIDECAR)? else {
            return Ok(None);
        };
        let state: LocalState =
            serde_json::from_slice(&plain).map_err(|_| SyncError::StateDamaged)?;
        if state.version != STATE_VERSION {
            return Err(SyncError::StateDamaged);
        }
        Ok(Some(state))
    }

    pub fn save(&self, vault: &Vault) -> Result<(), SyncError> {
        let plain = crate::vault::to_zeroizing_json(self);
        vault.write_sidecar(SIDECAR, &plain)?;
        Ok(())
    }
}
