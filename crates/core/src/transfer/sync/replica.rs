//! One device's side of sync: the records of its own file, the records it read from the other
//! files, and how a change becomes a record (docs/sync-format.md): a new dot, the merged view's
//! values copied (conflicts included, so one change never settles another field's conflict),
//! the changed fields stamped with the new dot, and the version vector of everything merged.

use std::collections::BTreeMap;

use serde_json::Value;

use super::merge::{MergedAccount, merge};
use super::record::{Book, DeviceId, Dot, Record, STATE, Stamped, State};
use crate::otp::AccountId;

/// A device's sync state.
#[derive(Clone, Debug)]
pub struct Replica {
    /// This device.
    pub device: DeviceId,
    /// The last dot's counter this device used (a Lamport clock: each change takes one more
    /// than anything this device used or saw of the account it changes).
    pub counter: u64,
    /// Its own file's records, by account.
    pub own: BTreeMap<AccountId, Record>,
    /// The records of the other files read last (each with the device whose file it was; a
    /// conflict copy is one more file).
    pub read: Vec<(DeviceId, Vec<Record>)>,
}

impl Replica {
    /// A device that has changed nothing yet.
    pub fn new(device: DeviceId) -> Replica {
        Replica {
            device,
            counter: 0,
            own: BTreeMap::new(),
            read: Vec::new(),
        }
    }

    /// The merged view of every record this device has.
    pub fn view(&self) -> BTreeMap<AccountId, MergedAccount> {
        let own = self.own.values().map(|r| (self.device, r));
        let read = self
            .read
            .iter()
            .flat_map(|(author, records)| records.iter().map(move |r| (*author, r)));
        merge(own.chain(read))
    }

    /// Changes `changes` (field, value) of account `id` (a new account when the view has none),
    /// with `book` merged into its bookkeeping. `("state", "purged")` makes a tombstone.
    pub fn change(&mut self, id: AccountId, changes: &[(&str, Value)], book: Book) {
        let view = self.view().remove(&id);
        self.change_from(id, view.as_ref(), changes, book);
    }

    /// [`Replica::change`] with the account's merged view already at hand.
    pub fn change_from(
        &mut self,
        id: AccountId,
        view: Option<&MergedAccount>,
        changes: &[(&str, Value)],
        book: Book,
    ) {
        let mut changes: Vec<(&str, Value, bool)> = changes
            .iter()
            .map(|(f, v)| (*f, v.clone(), false))
            .collect();
        self.change_beside(id, view, &changes, book);
        changes
            .iter_mut()
            .for_each(|(_, v, _)| super::record::wipe(v));
    }

    /// Like [`Replica::change_from`], but a change marked `true` is set beside the view's
    /// values instead of over them: it was made without seeing them (another device changed the
    /// same field since this one last synced, or this device had the account before it first
    /// synced), so where they differ both are kept, a conflict, rather than one winning.
    pub fn change_beside(
        &mut self,
        id: AccountId,
        view: Option<&MergedAccount>,
        changes: &[(&str, Value, bool)],
        book: Book,
    ) {
        // A Lamport clock: later than everything this device used or saw of the account, so
        // the value shown on a conflict is the one written last as far as anyone can tell.
        let seen = view.map_or(0, |v| v.vv.0.values().copied().max().unwrap_or(0));
        self.counter = self.counter.max(seen) + 1;
        let dot = Dot(self.device, self.counter);
        let stamp = |v: &Value| {
            vec![Stamped {
                v: v.clone(),
                d: dot,
            }]
        };
        let mut vv = view.map(|v| v.vv.clone()).unwrap_or_default();
        vv.add(dot);
        let mut merged_book = view.map(|v| v.book).unwrap_or_default();
        merged_book.join(&book);
        let purging = changes
            .iter()
            .any(|(f, v, _)| *f == STATE && State::from_value(v) == Some(State::Purged));
        let mut fields = BTreeMap::new();
        if purging {
            fields.insert(STATE.to_owned(), stamp(&State::Purged.to_value()));
        } else {
            if let Some(view) = view {
                fields = view.fields.clone();
                // What the view shows (an edit the deletion had not seen keeps the account
                // live) is what this device saw: say so, so no record revives another decision.
                let shown = view
                    .value(STATE)
                    .and_then(State::from_value)
                    .unwrap_or(State::Live);
                if shown != view.state || view.fields.get(STATE).is_some_and(|v| v.len() > 1) {
                    fields.insert(STATE.to_owned(), stamp(&view.state.to_value()));
                }
            }
            for (field, value, beside) in changes {
                let mut values = stamp(value);
                if *beside
                    && *field != STATE
                    && let Some(theirs) = fields.remove(*field)
                {
                    values.extend(theirs);
                }
                fields.insert((*field).to_owned(), values);
            }
            fields
                .entry(STATE.to_owned())
                .or_insert_with(|| stamp(&State::Live.to_value()));
        }
        self.own.insert(
            id,
            Record {
                account: id.0,
                vv,
                fields,
                book: merged_book,
            },
        );
    }
}
