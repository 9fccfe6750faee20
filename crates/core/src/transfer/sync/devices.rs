//! A vault's sync as the user sees it: joining a folder (a new sync group, or one that other
//! devices already write to, with its sync password), syncing, the status (devices seen, last
//! sync, open conflicts, files not merged), removing a device by re-keying, and leaving.

use std::path::PathBuf;

use super::error::SyncError;
use super::file::MAX_FILE_BYTES;
use super::file::{DeviceInfo, JoinSlot, SyncFileError, SyncKey, read_header};
use super::folder::{SyncFolder, classify, read_folder};
use super::local::{LocalState, SIDECAR};
use super::record::DeviceId;
use super::replica::Replica;
use super::run::{SyncReport, run};
use crate::vault::{KdfParams, Vault};

/// The shortest sync password accepted for a new sync.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A sync key with its join slot, made or found by the (slow) key derivation of the sync
/// password, apart from the vault so that an app runs it off its UI thread.
#[derive(Clone, Debug)]
pub struct JoinKey {
    key: SyncKey,
    join: JoinSlot,
    /// Whether the folder had no device file: a new sync.
    pub new: bool,
}

/// The sync key of the files already in `folder` that `password` opens, or a new one if the
/// folder has none (the password then becomes the sync password). Slow: the key derivation.
pub fn prepare_join<F: SyncFolder + ?Sized>(
    folder: &F,
    password: &[u8],
    kdf: KdfParams,
) -> Result<JoinKey, SyncError> {
    check_folder(folder)?;
    match key_in(folder, password)? {
        Some((key, join)) => Ok(JoinKey {
            key,
            join,
            new: false,
        }),
        None => new_key(password, kdf),
    }
}

/// A new sync key under `password` (a new sync, or a re-key after removing a device). Slow.
pub fn new_key(password: &[u8], kdf: KdfParams) -> Result<JoinKey, SyncError> {
    if String::from_utf8_lossy(password).chars().count() < MIN_PASSWORD_CHARS {
        return Err(SyncError::WeakPassword);
    }
    let key = SyncKey::random();
    let join = key.join_slot(password, kdf)?;
    Ok(JoinKey {
        key,
        join,
        new: true,
    })
}

/// Joins `folder` as the device `name` with a key from [`prepare_join`], then syncs.
pub fn join<F: SyncFolder + ?Sized>(
    vault: &mut Vault,
    folder: &F,
    name: &str,
    key: &JoinKey,
    now: u64,
) -> Result<SyncReport, SyncError> {
    let _lock = vault.lock_sidecar(SIDECAR)?;
    vault.refresh()?;
    if let Some(state) = LocalState::load(vault)? {
        return Err(SyncError::AlreadySetUp(state.folder));
    }
    check_folder(folder)?;
    let mut state = LocalState::new(name, &key.key, key.join.clone(), folder.location());
    run(vault, &mut state, folder, now, false)
}

/// Syncs with `folder` (the one joined, or another copy of it). With `key` (from
/// [`prepare_join`] with the current sync password), files sealed under it are this sync's from
/// now on: another device removed a device and re-keyed.
pub fn sync<F: SyncFolder + ?Sized>(
    vault: &mut Vault,
    folder: &F,
    key: Option<&JoinKey>,
    now: u64,
) -> Result<SyncReport, SyncError> {
    let _lock = vault.lock_sidecar(SIDECAR)?;
    vault.refresh()?;
    let mut state = LocalState::load(vault)?.ok_or(SyncError::NotSetUp)?;
    check_folder(folder)?;
    let mut rekeyed = false;
    if let Some(key) =
        key.filter(|k| !k.new && k.key.id() != state.key().map(|k| k.id()).ok().unwrap_or_default())
    {
        state.set_key(&key.key, key.join.clone());
        rekeyed = true;
    }
    // After a re-key, every file of this device is written again under the new key.
    run(vault, &mut state, folder, now, rekeyed)
}

/// The folder this vault syncs with, if it does.
pub fn folder_of(vault: &Vault) -> Result<Option<PathBuf>, SyncError> {
    Ok(LocalState::load(vault)?.map(|s| s.folder))
}

/// One device of the sync as the status shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSeen {
    /// Its id.
    pub id: DeviceId,
    /// The name its user gave it.
    pub name: String,
    /// When it last wrote its file (Unix seconds), if its file is in the folder.
    pub last_change: Option<u64>,
    /// This device.
    pub this: bool,
    /// Removed from the sync.
    pub removed: bool,
}

/// The sync's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    /// The folder.
    pub folder: PathBuf,
    /// Every device known, this one first.
    pub devices: Vec<DeviceSeen>,
    /// When this device last synced.
    pub last_sync: Option<u64>,
    /// Conflict copies waiting for the user.
    pub conflicts: usize,
    /// Files of the folder not merged, and why.
    pub problems: Vec<(PathBuf, SyncFileError)>,
}

/// The status of this vault's sync with `folder` (no change is made).
pub fn status<F: SyncFolder + ?Sized>(vault: &Vault, folder: &F) -> Result<SyncStatus, SyncError> {
    let state = LocalState::load(vault)?.ok_or(SyncError::NotSetUp)?;
    check_folder(folder)?;
    let read = read_folder(folder, &state.key()?).map_err(|e| folder_error(folder, e))?;
    let mut devices = vec![DeviceSeen {
        id: state.device,
        name: state.name.clone(),
        last_change: None,
        this: true,
        removed: false,
    }];
    for (id, info) in &state.devices {
        devices.push(DeviceSeen {
            id: *id,
            name: info.name.clone(),
            last_change: None,
            this: false,
            removed: state.removed.contains(id),
        });
    }
    let mut problems = super::run::mark_removed(read.problems, &state.removed);
    for (path, file) in read.files {
        if state.removed.contains(&file.device) {
            problems.push((path, SyncFileError::Removed));
            continue;
        }
        let seen = match devices.iter_mut().find(|d| d.id == file.device) {
            Some(seen) => seen,
            None => {
                devices.push(DeviceSeen {
                    id: file.device,
                    name: file.name.clone(),
                    last_change: None,
                    this: false,
                    removed: false,
                });
                devices.last_mut().expect("just pushed")
            }
        };
        seen.last_change = seen.last_change.max(Some(file.written));
    }
    Ok(SyncStatus {
        folder: folder.location(),
        devices,
        last_sync: state.last_sync,
        conflicts: state.copies.len(),
        problems,
    })
}

/// What removing a device did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// The device's name.
    pub name: String,
    /// Live accounts whose seeds it already holds: they stay valid on it until re-enrolled.
    pub accounts: usize,
}

/// Removes the device matching `who` (its name, or the start of its id): syncs, takes every
/// account into this device's file, and re-keys the sync with `key` (from [`new_key`] with the
/// new sync password). The other devices sync again with the new password; the removed
/// device's files are ignored for good.
pub fn remove_device<F: SyncFolder + ?Sized>(
    vault: &mut Vault,
    folder: &F,
    who: &str,
    key: &JoinKey,
    now: u64,
) -> Result<Removed, SyncError> {
    let _lock = vault.lock_sidecar(SIDECAR)?;
    vault.refresh()?;
    let mut state = LocalState::load(vault)?.ok_or(SyncError::NotSetUp)?;
    let matches: Vec<(DeviceId, DeviceInfo)> = state
        .devices
        .iter()
        .filter(|(id, info)| {
            !state.removed.contains(id)
                && (info.name.eq_ignore_ascii_case(who)
                    || (who.len() >= 4 && id.to_string().starts_with(&who.to_lowercase())))
        })
        .map(|(id, info)| (*id, info.clone()))
        .collect();
    let [(device, info)] = matches.as_slice() else {
        return Err(SyncError::NoSuchDevice(who.chars().take(64).collect()));
    };
    run(vault, &mut state, folder, now, false)?;
    // Every account into this device's own file: the devices that join the new key find them
    // all, whichever device changed them last.
    let old_key = state.key()?;
    let read = read_folder(folder, &old_key).map_err(|e| folder_error(folder, e))?;
    let mut replica = Replica::new(state.device);
    replica.own = state.own.drain(..).map(|r| (r.id(), r)).collect();
    replica.read = read
        .files
        .into_iter()
        .filter(|(_, f)| f.device != state.device)
        .map(|(_, f)| (f.device, f.records))
        .collect();
    let view = replica.view();
    let accounts = view.values().filter(|m| !m.state.is_deleted()).count();
    for (id, merged) in view {
        replica
            .own
            .entry(id)
            .or_insert_with(|| super::record::Record {
                account: id.0,
                vv: merged.vv.clone(),
                fields: merged.fields.clone(),
                book: merged.book,
            });
    }
    state.own = replica.own.into_values().collect();
    state.removed.insert(*device);
    state.set_key(&key.key, key.join.clone());
    // Written under the new key at once.
    run(vault, &mut state, folder, now, true)?;
    Ok(Removed {
        name: info.name.clone(),
        accounts,
    })
}

/// Stops syncing this vault: its state goes; the accounts stay, and so does this device's file
/// in the folder (the other devices keep what it sent).
pub fn leave(vault: &Vault) -> Result<bool, SyncError> {
    let _lock = vault.lock_sidecar(SIDECAR)?;
    Ok(vault.remove_sidecar(SIDECAR)?)
}

fn check_folder<F: SyncFolder + ?Sized>(folder: &F) -> Result<(), SyncError> {
    folder.check().map_err(|e| folder_error(folder, e))
}

fn folder_error<F: SyncFolder + ?Sized>(folder: &F, error: std::io::Error) -> SyncError {
    SyncError::Folder {
        path: folder.location(),
        message: error.to_string(),
    }
}

/// The sync key that `password` opens from the folder's files, newest first; `None` when the
/// folder has no device file. [`SyncError::WrongPassword`] when it has some and none opens.
fn key_in<F: SyncFolder + ?Sized>(
    folder: &F,
    password: &[u8],
) -> Result<Option<(SyncKey, JoinSlot)>, SyncError> {
    let mut files: Vec<(std::time::SystemTime, String)> = folder
        .list()
        .map_err(|e| folder_error(folder, e))?
        .into_iter()
        .filter(|(name, _)| classify(name).is_some())
        .map(|(name, modified)| (modified.unwrap_or(std::time::UNIX_EPOCH), name))
        .collect();
    files.sort_by(|a, b| b.cmp(a));
    let mut tried = std::collections::HashSet::new();
    let mut any = false;
    for (_, name) in files {
        let Ok(bytes) = folder.read(&name, MAX_FILE_BYTES) else {
            continue;
        };
        let Ok((header, _)) = read_header(&bytes) else {
            continue;
        };
        any = true;
        // Every file of one key carries the same slot: one key derivation per slot.
        if !tried.insert(serde_json::to_string(&header.join).unwrap_or_default()) {
            continue;
        }
        match SyncKey::from_join(&header.join, password) {
            Ok(key) => return Ok(Some((key, header.join))),
            Err(_) => continue,
        }
    }
    if any {
        Err(SyncError::WrongPassword(folder.location()))
    } else {
        Ok(None)
    }
}
