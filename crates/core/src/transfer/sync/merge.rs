//! Merging the records of every device file (docs/sync-format.md, "Merging"): each device's
//! newest record of each account; per account and field, the values no record overwrote; a conflict when several are left; a deletion only if
//! the deleting device had seen every edit. The result depends only on the set of records, so
//! devices that have read the same files show the same accounts, whatever the order.

use std::collections::BTreeMap;

use super::record::{Book, DeviceId, Dot, Record, STATE, Stamped, State, VersionVector};
use crate::otp::AccountId;

/// One account after merging.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MergedAccount {
    /// The account.
    pub id: AccountId,
    /// Everything any record had seen of this account.
    pub vv: VersionVector,
    /// Each field's surviving values, the one to show first (the greatest dot).
    pub fields: BTreeMap<String, Vec<Stamped>>,
    /// Live, trashed or purged, after "a deletion never beats an edit".
    pub state: State,
    /// Merged bookkeeping.
    pub book: Book,
}

impl MergedAccount {
    /// The value to show of `field`.
    pub fn value(&self, field: &str) -> Option<&serde_json::Value> {
        self.fields.get(field)?.first().map(|s| &s.v)
    }

    /// The fields with concurrent values (the state aside): field, and the values not shown.
    pub fn conflicts(&self) -> Vec<(&str, &[Stamped])> {
        self.fields
            .iter()
            .filter(|(name, values)| name.as_str() != STATE && values.len() > 1)
            .map(|(name, values)| (name.as_str(), &values[1..]))
            .collect()
    }
}

/// Merges records, each with the device whose file held it. Reading a record twice (a sync
/// engine's conflict copy of a file) changes nothing.
pub fn merge<'a>(
    records: impl IntoIterator<Item = (DeviceId, &'a Record)>,
) -> BTreeMap<AccountId, MergedAccount> {
    // A device's newer record of an account supersedes its older ones (a sync engine's copy of
    // an older file): only the newest per device and account takes part.
    let mut newest: BTreeMap<(AccountId, DeviceId), &Record> = BTreeMap::new();
    for (author, record) in records {
        match newest.entry((record.id(), author)) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(record);
            }
            std::collections::btree_map::Entry::Occupied(mut slot) => {
                let own = |r: &Record| r.vv.0.get(&author).copied().unwrap_or(0);
                let (new, old) = (own(record), own(slot.get()));
                // Two different records with the same counter only come from a damaged or
                // forged file: the greater one is kept on every device.
                if new > old
                    || (new == old
                        && record != *slot.get()
                        && record_key(record) > record_key(slot.get()))
                {
                    slot.insert(record);
                }
            }
        }
    }
    let mut by_account: BTreeMap<AccountId, Vec<(DeviceId, &Record)>> = BTreeMap::new();
    for ((id, author), record) in newest {
        by_account.entry(id).or_default().push((author, record));
    }
    by_account
        .into_iter()
        .map(|(id, records)| (id, merge_account(id, &records)))
        .collect()
}

fn merge_account(id: AccountId, records: &[(DeviceId, &Record)]) -> MergedAccount {
    let mut vv = VersionVector::default();
    let mut book = Book::default();
    let mut candidates: BTreeMap<&str, BTreeMap<Dot, &serde_json::Value>> = BTreeMap::new();
    for (_, record) in records {
        vv.join(&record.vv);
        book.join(&record.book);
        for (field, values) in &record.fields {
            let slot = candidates.entry(field.as_str()).or_default();
            for stamped in values {
                // One dot names one change; should two files disagree on its value (only a
                // damaged or forged file can), the greater value is kept on every device.
                let kept = slot.entry(stamped.d).or_insert(&stamped.v);
                if *kept != &stamped.v && value_key(&stamped.v) > value_key(kept) {
                    *kept = &stamped.v;
                }
            }
        }
    }
    let mut fields = BTreeMap::new();
    for (field, values) in candidates {
        let mut survivors: Vec<Stamped> = values
            .into_iter()
            .filter(|(dot, _)| {
                // A tombstone carries no fields, so it overwrites none: the purge takes them all
                // only if the account ends up purged (below); an edit or a restore it had not
                // seen revives the account with every value, seed included.
                !records.iter().any(|(_, r)| {
                    (field == STATE || !r.is_tombstone())
                        && r.vv.covers(*dot)
                        && !r.holds(field, *dot)
                })
            })
            .map(|(d, v)| Stamped { v: v.clone(), d })
            .collect();
        survivors.sort_by_key(|s| std::cmp::Reverse(s.d));
        if !survivors.is_empty() {
            fields.insert(field.to_owned(), survivors);
        }
    }
    let state = effective_state(&fields, records);
    if state == State::Purged {
        // Gone for good: nothing but the tombstone stays, no secret.
        fields.retain(|name, _| name == STATE);
    }
    MergedAccount {
        id,
        vv,
        fields,
        state,
        book,
    }
}

/// The state to show: the least destructive of the concurrent states, and a deletion only if
/// the deleting device had seen every surviving edit of the other fields.
fn effective_state(
    fields: &BTreeMap<String, Vec<Stamped>>,
    records: &[(DeviceId, &Record)],
) -> State {
    let Some(states) = fields.get(STATE) else {
        return State::Live;
    };
    let mut chosen: Option<(State, Dot)> = None;
    for stamped in states {
        let state = State::from_value(&stamped.v).unwrap_or(State::Live);
        chosen = Some(match chosen {
            None => (state, stamped.d),
            Some((kept, dot)) if kept.least_harm(state) == kept => (kept, dot),
            Some(_) => (state, stamped.d),
        });
    }
    let Some((state, dot)) = chosen else {
        return State::Live;
    };
    if !state.is_deleted() {
        return state;
    }
    let mut seen = VersionVector::default();
    for (author, record) in records {
        if *author == dot.0 && record.holds(STATE, dot) {
            seen.join(&record.vv);
        }
    }
    let unseen_edit = fields
        .iter()
        .filter(|(name, _)| name.as_str() != STATE)
        .flat_map(|(_, values)| values)
        .any(|s| !seen.covers(s.d));
    if unseen_edit { State::Live } else { state }
}

fn value_key(value: &serde_json::Value) -> String {
    value.to_string()
}

fn record_key(record: &Record) -> String {
    serde_json::to_string(record).unwrap_or_default()
}
