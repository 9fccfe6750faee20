//! One sync of a vault with the folder (docs/sync-format.md, "Applying the merge"): this
//! device's changes since the last sync become records, every file is merged, and the merge is
//! applied to the vault: additions, edits, trash, a purge reaching the trash first, and a
//! conflict copy for each value that lost a tie.
//!
//! A vault field is this device's change only if it differs both from what the last sync left
//! (the state's `applied`) and from what the merge shows: a field already equal to the merge
//! needs no record, so a crash between saving the vault and saving the state writes nothing
//! twice and settles no conflict by accident.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde_json::Value;

use super::error::SyncError;
use super::fields::{Values, account_from, fields_of};
use super::file::{DeviceFile, DeviceInfo, SyncFileError, seal};
use super::folder::{BUCKETS, Name, SyncFolder, bucket_of, classify, file_name, read_folder};
use super::local::{Applied, CopyOf, LocalState};
use super::merge::MergedAccount;
use super::record::{Book, Dot, STATE, State, wipe};
use super::replica::Replica;
use crate::otp::{Account, AccountId};
use crate::vault::Vault;

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Accounts whose changes on this device were written to its file.
    pub sent: usize,
    /// Accounts another device added that this vault now has.
    pub added: usize,
    /// Accounts another device changed.
    pub changed: usize,
    /// Accounts moved to the trash (another device trashed or purged them).
    pub trashed: usize,
    /// Accounts purged from this device's trash because another device purged them.
    pub purged: usize,
    /// Conflict copies in the vault now (values two devices set at once).
    pub conflicts: usize,
    /// Device files merged.
    pub files: usize,
    /// Files not merged, and why.
    pub problems: Vec<(PathBuf, SyncFileError)>,
    /// Accounts another device sent that this version cannot use (a newer Tessera's kind).
    pub unreadable: usize,
}

/// What this device changed of one account since the last sync.
struct Pending {
    /// Field, value, and whether it was made without seeing the value shown now (set beside
    /// it, not over it).
    changes: Vec<(String, Value, bool)>,
    book: Book,
}

impl Drop for Pending {
    fn drop(&mut self) {
        // A new account's changes hold its seed.
        self.changes.iter_mut().for_each(|(_, v, _)| wipe(v));
    }
}

/// Whether two states are the same for this device's vault (trash times aside; a purge
/// elsewhere is the trash here).
fn same_state(a: Option<State>, b: Option<State>) -> bool {
    let here = |s: Option<State>| {
        s.map(|s| match s {
            State::Live => 0,
            State::Trashed(_) | State::Purged => 1,
        })
    };
    here(a) == here(b)
}

/// The id of the conflict copy showing `dot`'s value of `field`: the same on every device.
fn copy_id(original: AccountId, field: &str, dot: Dot) -> AccountId {
    let name = format!("{}/{field}/{}/{}", original.0, dot.0, dot.1);
    AccountId(uuid::Uuid::new_v5(&original.0, name.as_bytes()))
}

/// The values shown of an account.
fn shown(merged: &MergedAccount) -> Values {
    Values(
        merged
            .fields
            .iter()
            .filter_map(|(name, values)| Some((name.clone(), values.first()?.v.clone())))
            .collect(),
    )
}

/// Syncs with `folder` under the state's key, with the state's lock held. Reads every file,
/// writes this device's (when it changed something, or `rewrite`), applies the merge to the
/// vault and saves the state.
pub(crate) fn run<F: SyncFolder + ?Sized>(
    vault: &mut Vault,
    state: &mut LocalState,
    folder: &F,
    now: u64,
    rewrite: bool,
) -> Result<SyncReport, SyncError> {
    let key = state.key()?;
    let read = read_folder(folder, &key).map_err(|e| SyncError::Folder {
        path: folder.location(),
        message: e.to_string(),
    })?;
    for (_, file) in &read.files {
        state.removed.extend(
            file.devices
                .iter()
                .filter(|(_, info)| info.removed)
                .map(|(d, _)| *d),
        );
    }
    let mut report = SyncReport {
        problems: mark_removed(read.problems, &state.removed),
        ..SyncReport::default()
    };
    if state.removed.contains(&state.device) {
        return Err(SyncError::RemovedHere);
    }
    let mut replica = Replica::new(state.device);
    replica.counter = state.counter;
    replica.own = state.own.drain(..).map(|r| (r.id(), r)).collect();
    let mut recovered = false;
    for (path, file) in read.files {
        if state.removed.contains(&file.device) {
            report.problems.push((path, SyncFileError::Removed));
            continue;
        }
        report.files += 1;
        if file.device == state.device {
            // This device's own file (or a copy of it): anything newer than the state holds
            // was written just before a crash.
            replica.counter = replica.counter.max(file.counter);
            for record in file.records {
                let mine = |r: &super::record::Record| r.vv.0.get(&state.device).copied();
                let newer = replica
                    .own
                    .get(&record.id())
                    .is_none_or(|r| mine(r) < mine(&record));
                if newer {
                    recovered = true;
                    replica.own.insert(record.id(), record);
                }
            }
            continue;
        }
        state.devices.insert(
            file.device,
            DeviceInfo {
                name: file.name.clone(),
                removed: false,
            },
        );
        replica.read.push((file.device, file.records));
    }
    let view = replica.view();
    let entries = vault.backup_entries();
    let old_copies = std::mem::take(&mut state.copies);
    let (pending, mut removals) = local_changes(state, &view, &entries, &old_copies);
    report.sent = pending.len();
    for (id, p) in &pending {
        let mut changes: Vec<(&str, Value, bool)> = p
            .changes
            .iter()
            .map(|(f, v, beside)| (f.as_str(), v.clone(), *beside))
            .collect();
        replica.change_beside(*id, view.get(id), &changes, p.book);
        changes.iter_mut().for_each(|(_, v, _)| wipe(v));
    }
    let merged = replica.view();
    // The files to write: the buckets of the accounts changed here; all of them after a
    // recovery or for a re-key; the first one when the device has no file in the folder yet
    // (it carries the device's name and the join slot).
    let in_folder = folder.list().map_err(|e| SyncError::Folder {
        path: folder.location(),
        message: e.to_string(),
    })?;
    let listed = |bucket: u8| {
        let name = file_name(state.device, bucket);
        in_folder.iter().any(|(n, _)| *n == name)
    };
    let has_file = (0..BUCKETS).any(listed);
    let mut buckets: BTreeSet<u8> = pending.keys().map(|id| bucket_of(id.0)).collect();
    if rewrite || recovered {
        buckets.extend(replica.own.keys().map(|id| bucket_of(id.0)));
    }
    if !has_file || rewrite {
        buckets.insert(0);
    }
    // A file of this device that is gone (deleted in the folder) or that others cannot read
    // (cut by the engine, or under an old key) is written again, so its records reach them.
    buckets.extend(
        replica
            .own
            .keys()
            .map(|id| bucket_of(id.0))
            .filter(|b| !listed(*b)),
    );
    for (path, _) in &report.problems {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        buckets.extend((0..BUCKETS).filter(|b| name == file_name(state.device, *b)));
    }
    for bucket in buckets {
        let file = DeviceFile {
            device: state.device,
            name: state.name.clone(),
            written: now,
            counter: replica.counter,
            devices: state
                .devices
                .iter()
                .map(|(d, info)| {
                    let removed = state.removed.contains(d);
                    (
                        *d,
                        DeviceInfo {
                            name: info.name.clone(),
                            removed,
                        },
                    )
                })
                .collect(),
            records: replica
                .own
                .values()
                .filter(|r| bucket_of(r.account) == bucket)
                .cloned()
                .collect(),
        };
        let name = file_name(state.device, bucket);
        folder
            .write(&name, &seal(&file, &key, &state.join))
            .map_err(|e| SyncError::Folder {
                path: folder.location().join(&name),
                message: e.to_string(),
            })?;
        // A problem with this very file (under the old key after a re-key, or cut) is gone.
        report
            .problems
            .retain(|(path, _)| path.file_name().is_none_or(|n| n.to_string_lossy() != name));
    }
    let upserts = apply(
        state,
        &merged,
        &entries,
        &old_copies,
        &pending,
        &mut removals,
        now,
        &mut report,
    );
    // Copies made earlier whose conflict has been settled since (by whoever wrote the field
    // after seeing every value) go: their value was seen and replaced.
    for id in old_copies.keys() {
        let id = AccountId(*id);
        if !state.copies.contains_key(&id.0)
            && !merged.contains_key(&id)
            && !pending.contains_key(&id)
            && entries.iter().any(|(a, _)| a.id == id)
            && !removals.contains(&id)
        {
            removals.push(id);
        }
    }
    vault.apply_entries(upserts, &removals)?;
    state.counter = replica.counter;
    state.own = replica.own.into_values().collect();
    state.last_sync = Some(now);
    state.folder = folder.location();
    state.save(vault)?;
    Ok(report)
}

/// Files of removed devices are named as such, whatever their key.
pub(crate) fn mark_removed(
    problems: Vec<(PathBuf, SyncFileError)>,
    removed: &BTreeSet<super::record::DeviceId>,
) -> Vec<(PathBuf, SyncFileError)> {
    problems
        .into_iter()
        .map(|(path, error)| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let device = match classify(&name) {
                Some(Name::Device(d) | Name::ConflictCopy(d)) => Some(d),
                None => None,
            };
            match device {
                Some(d) if removed.contains(&d) => (path, SyncFileError::Removed),
                _ => (path, error),
            }
        })
        .collect()
}

/// This device's changes since the last sync, by account; and the conflict copies the user
/// threw away (to remove from the vault).
fn local_changes(
    state: &mut LocalState,
    view: &BTreeMap<AccountId, MergedAccount>,
    entries: &[(Account, Option<u64>)],
    copies: &BTreeMap<uuid::Uuid, CopyOf>,
) -> (BTreeMap<AccountId, Pending>, Vec<AccountId>) {
    let mut pending: BTreeMap<AccountId, Pending> = BTreeMap::new();
    let mut removals = Vec::new();
    let settle = |pending: &mut BTreeMap<AccountId, Pending>, copy: &CopyOf| {
        let original = AccountId(copy.original);
        let Some(merged) = view.get(&original) else {
            return;
        };
        let open = merged
            .fields
            .get(&copy.field)
            .is_some_and(|values| values.iter().any(|s| s.d == copy.dot));
        if let (true, Some(value)) = (open, merged.value(&copy.field)) {
            let p = pending.entry(original).or_insert_with(|| Pending {
                changes: Vec::new(),
                book: Book::default(),
            });
            if !p.changes.iter().any(|(f, _, _)| *f == copy.field) {
                p.changes.push((copy.field.clone(), value.clone(), false));
            }
        }
    };
    for (account, trashed) in entries {
        let id = account.id;
        let (fields, book) = fields_of(account, *trashed);
        let mut applied = state.applied.get(&id.0);
        if let Some(copy) = copies.get(&id.0) {
            let edited = applied.is_some_and(|a| a.fields != fields);
            if trashed.is_some() {
                // Thrown away: the value shown is written again, which ends the conflict.
                settle(&mut pending, copy);
                removals.push(id);
                continue;
            }
            if account.conflict_of.is_some() && !edited {
                continue;
            }
            // Kept ("Keep both") or edited: an account of its own from now on, sent whole.
            settle(&mut pending, copy);
            applied = None;
        }
        let shown = view.get(&id);
        let mut changes = Vec::new();
        for (name, value) in &fields.0 {
            let base = applied.and_then(|a| a.fields.0.get(name));
            let there = shown.and_then(|v| v.value(name));
            let changed = if name == STATE {
                let local = State::from_value(value);
                !same_state(local, base.and_then(State::from_value))
                    && !same_state(local, shown.map(|v| v.state))
            } else {
                base != Some(value) && there != Some(value)
            };
            if changed {
                // Changed elsewhere too since the last sync (or never synced here): concurrent.
                let beside = name != STATE && there.is_some() && there != base;
                changes.push((name.clone(), value.clone(), beside));
            }
        }
        let purged_there = shown.is_some_and(|v| v.state == State::Purged);
        if purged_there && !changes.is_empty() {
            // Restored or edited here after a purge elsewhere: the purge kept no field, so the
            // account goes back whole (a deletion never beats an edit).
            changes = fields
                .0
                .iter()
                .map(|(n, v)| (n.clone(), v.clone(), false))
                .collect();
        }
        let mut joined = shown.map(|v| v.book).unwrap_or_default();
        joined.join(&book);
        let book_changed = !purged_there
            && applied.is_none_or(|a| a.book != book)
            && Some(joined) != shown.map(|v| v.book);
        if changes.is_empty() && !book_changed {
            continue;
        }
        let p = pending.entry(id).or_insert_with(|| Pending {
            changes: Vec::new(),
            book,
        });
        p.book = book;
        for (name, value, beside) in changes {
            p.changes.retain(|(f, _, _)| *f != name);
            p.changes.push((name, value, beside));
        }
    }
    for (id, copy) in copies {
        if !entries.iter().any(|(a, _)| a.id.0 == *id) {
            settle(&mut pending, copy);
        }
    }
    // Purged here since the last sync (copies aside: they were never sent).
    for id in state.applied.keys() {
        let id = AccountId(*id);
        let gone = !entries.iter().any(|(a, _)| a.id == id) && !copies.contains_key(&id.0);
        if gone && view.get(&id).is_some_and(|v| v.state != State::Purged) {
            pending.insert(
                id,
                Pending {
                    changes: vec![(STATE.to_owned(), State::Purged.to_value(), false)],
                    book: Book::default(),
                },
            );
        }
    }
    (pending, removals)
}

/// The vault changes that make it show `merged`; fills the state's `applied` and `copies`.
#[allow(clippy::too_many_arguments)]
fn apply(
    state: &mut LocalState,
    merged: &BTreeMap<AccountId, MergedAccount>,
    entries: &[(Account, Option<u64>)],
    old_copies: &BTreeMap<uuid::Uuid, CopyOf>,
    pending: &BTreeMap<AccountId, Pending>,
    removals: &mut Vec<AccountId>,
    now: u64,
    report: &mut SyncReport,
) -> Vec<(Account, Option<u64>)> {
    let current: HashMap<AccountId, &(Account, Option<u64>)> =
        entries.iter().map(|e| (e.0.id, e)).collect();
    let old_applied = std::mem::take(&mut state.applied);
    let mut upserts = Vec::new();
    let keep = |state: &mut LocalState, entry: &(Account, Option<u64>), elsewhere: bool| {
        let (fields, book) = fields_of(&entry.0, entry.1);
        state.applied.insert(
            entry.0.id.0,
            Applied {
                fields,
                book,
                purged_elsewhere: elsewhere,
            },
        );
    };
    for (id, m) in merged {
        let here = current.get(id).copied();
        if m.state == State::Purged {
            match here {
                None => {}
                Some((account, None)) => {
                    // Live here: to the trash first, never straight out of the vault.
                    let entry = (account.clone(), Some(now));
                    keep(state, &entry, true);
                    upserts.push(entry);
                    report.trashed += 1;
                }
                Some(entry) => {
                    let waiting = old_applied.get(&id.0).is_some_and(|a| a.purged_elsewhere)
                        && !pending.contains_key(id);
                    if waiting {
                        keep(state, entry, true);
                    } else if !removals.contains(id) {
                        removals.push(*id);
                        report.purged += 1;
                    }
                }
            }
            continue;
        }
        let values = shown(m);
        let updated = here.map_or(now, |(a, _)| a.updated);
        let Some(mut desired) = account_from(*id, &values, m.state, &m.book, updated, None, now)
        else {
            report.unreadable += 1;
            if let Some(entry) = here {
                keep(state, entry, false);
            }
            continue;
        };
        match here {
            Some((account, trashed)) => {
                // A mark from two programs on this vault stays; a sync copy that another
                // device kept is an account of its own now.
                if !old_copies.contains_key(&id.0) {
                    desired.0.conflict_of = account.conflict_of;
                }
                if desired.0 != *account || desired.1 != *trashed {
                    if fields_of(&desired.0, desired.1).0 != fields_of(account, *trashed).0 {
                        desired.0.updated = now;
                        if desired.1.is_some() && trashed.is_none() {
                            report.trashed += 1;
                        } else if !pending.contains_key(id) {
                            report.changed += 1;
                        }
                    }
                    upserts.push(desired.clone());
                }
            }
            None => {
                report.added += 1;
                upserts.push(desired.clone());
            }
        }
        keep(state, &desired, false);
        if m.state != State::Live {
            continue;
        }
        for (field, losers) in m.conflicts() {
            for loser in losers {
                let copy = copy_id(*id, field, loser.d);
                if removals.contains(&copy) {
                    continue;
                }
                let mut fields = values.clone();
                fields.0.insert(field.to_owned(), loser.v.clone());
                let Some(made) =
                    account_from(copy, &fields, State::Live, &m.book, now, Some(*id), now)
                else {
                    continue;
                };
                state.copies.insert(
                    copy.0,
                    CopyOf {
                        original: id.0,
                        field: field.to_owned(),
                        dot: loser.d,
                    },
                );
                report.conflicts += 1;
                // A copy shows the account as it is now, the losing value aside: made again
                // when the other fields changed since.
                let same = current.get(&copy).is_some_and(|(a, t)| {
                    t.is_none() && fields_of(a, None).0 == fields_of(&made.0, None).0
                });
                keep(state, &made, false);
                if !same {
                    upserts.push(made);
                }
            }
        }
    }
    upserts
}
