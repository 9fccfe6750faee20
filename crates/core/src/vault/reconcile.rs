//! Two programs on one vault: re-applying this program's changes on top of what another program
//! saved since this one last read the file, account by account, so neither loses the other's.
//!
//! Three versions of each account take part: the *base* (the file as this program last read or
//! wrote it), *ours* (memory now) and *theirs* (the file now). A side that left the account as
//! it was in the base takes the other side's version; when both changed it the same way, that
//! version stands. When both changed it differently, both versions are kept: theirs under its
//! id and ours as a copy marked [`Account::conflict_of`], for the user to resolve. A deletion
//! never beats an edit: the edited version stays.
//!
//! Bookkeeping (when a code was last copied, how far an HOTP counter went) is not a change of
//! the account: each side's is combined by taking the later time and the larger counter, so
//! no HOTP code is offered twice.

use std::collections::{HashMap, HashSet};

use super::model::Entry;
use super::sealed::BackupEntry;
use crate::otp::{Account, AccountId, OtpKind};

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Accounts another program added, changed or deleted that this program now shows.
    pub taken: usize,
    /// Accounts both programs changed differently: kept twice, the second marked.
    pub conflicts: usize,
}

/// Whether two versions are the same apart from bookkeeping.
fn same(a: &BackupEntry, b: &BackupEntry) -> bool {
    fn plain(entry: &BackupEntry) -> (Account, Option<u64>) {
        let (mut account, trashed) = entry.clone();
        account.last_used = None;
        account.use_count = 0;
        if let OtpKind::Hotp { .. } = account.otp.kind() {
            account.otp = plain_counter(&account);
        }
        (account, trashed)
    }
    fn plain_counter(account: &Account) -> crate::otp::Otp {
        crate::otp::Otp::new(
            OtpKind::Hotp { counter: 0 },
            account.otp.algorithm(),
            account.otp.digits(),
            account.otp.secret().clone(),
        )
        .unwrap_or_else(|_| account.otp.clone())
    }
    // Nearly every account is the same on all sides: compare as they are first, and clone
    // only the few that differ.
    a == b || (a.1 == b.1 && plain(a) == plain(b))
}

fn same_opt(a: Option<&BackupEntry>, b: Option<&BackupEntry>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// `kept` with the later last use, the larger use count and the larger HOTP counter of `other`.
fn with_bookkeeping(mut kept: BackupEntry, other: Option<&BackupEntry>) -> BackupEntry {
    if let Some((other, _)) = other {
        kept.0.last_used = kept.0.last_used.max(other.last_used);
        kept.0.use_count = kept.0.use_count.max(other.use_count);
        if let OtpKind::Hotp { counter } = other.otp.kind() {
            kept.0.otp.advance_counter_to(counter);
        }
    }
    kept
}

/// Merges `ours` (memory) with `theirs` (the file now), both descended from `base`. Returns the
/// entries to save, in the file's order with this program's new accounts after them.
pub(crate) fn merge(
    base: &[BackupEntry],
    ours: &[Entry],
    theirs: Vec<Entry>,
) -> (Vec<Entry>, MergeReport) {
    let base: HashMap<AccountId, &BackupEntry> = base.iter().map(|e| (e.0.id, e)).collect();
    let ours: Vec<BackupEntry> = ours
        .iter()
        .map(|e| (e.account.clone(), e.trashed))
        .collect();
    let ours_by_id: HashMap<AccountId, &BackupEntry> = ours.iter().map(|e| (e.0.id, e)).collect();
    let theirs: Vec<BackupEntry> = theirs.into_iter().map(|e| (e.account, e.trashed)).collect();
    let theirs_ids: HashSet<AccountId> = theirs.iter().map(|e| e.0.id).collect();
    let mut taken_ids: HashSet<AccountId> = theirs_ids.iter().copied().collect();
    taken_ids.extend(ours_by_id.keys().copied());

    let mut report = MergeReport::default();
    let mut out: Vec<BackupEntry> = Vec::with_capacity(theirs.len() + 1);
    let mut conflict_copies = Vec::new();
    for t in &theirs {
        let id = t.0.id;
        let (b, o) = (base.get(&id).copied(), ours_by_id.get(&id).copied());
        match o {
            Some(o) if same(o, t) => out.push(with_bookkeeping(o.clone(), Some(t))),
            // We left it alone (or never had it): theirs stands.
            _ if same_opt(o, b) => {
                if !(b.is_some() && same_opt(b, Some(t))) {
                    report.taken += 1;
                }
                out.push(with_bookkeeping(t.clone(), o));
            }
            // They left it alone: ours stands (None: we purged it).
            o if b.is_some_and(|b| same(b, t)) => {
                if let Some(o) = o {
                    out.push(with_bookkeeping(o.clone(), Some(t)));
                }
            }
            // Both changed it (or we purged what they edited: their edit stays).
            None => {
                report.taken += 1;
                out.push(t.clone());
            }
            Some(o) => {
                report.conflicts += 1;
                out.push(with_bookkeeping(t.clone(), Some(o)));
                let mut copy = o.clone();
                copy.0.conflict_of = Some(id);
                while !taken_ids.insert(copy.0.id) {
                    copy.0.id = AccountId::random();
                }
                conflict_copies.push(copy);
            }
        }
    }
    for o in &ours {
        let id = o.0.id;
        if theirs_ids.contains(&id) {
            continue;
        }
        match base.get(&id) {
            // New here: keep.
            None => out.push(o.clone()),
            // They deleted it; we left it alone: gone. We changed it: our edit stays.
            Some(b) if same(b, o) => report.taken += 1,
            Some(_) => out.push(o.clone()),
        }
    }
    out.extend(conflict_copies);
    let entries = out
        .into_iter()
        .map(|(account, trashed)| Entry::new(account, trashed))
        .collect();
    (entries, report)
}
