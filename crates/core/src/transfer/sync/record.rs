//! What a device file holds (docs/sync-format.md): dots, version vectors, the values of an
//! account's fields with the dots that wrote them, and the bookkeeping merged without conflicts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::otp::AccountId;

/// A device of a sync group: a UUID, written as 32 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceId(#[serde(with = "uuid::serde::simple")] pub uuid::Uuid);

impl DeviceId {
    /// A fresh random device id.
    pub fn random() -> DeviceId {
        DeviceId(uuid::Uuid::new_v4())
    }
}

impl std::fmt::Display for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.simple())
    }
}

/// One change: the device that made it and its event counter then.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct Dot(pub DeviceId, pub u64);

impl Ord for Dot {
    /// Greater is later: the larger counter, then the larger device id (a total order, so
    /// every device picks the same value to show).
    fn cmp(&self, other: &Dot) -> std::cmp::Ordering {
        (self.1, self.0).cmp(&(other.1, other.0))
    }
}

impl PartialOrd for Dot {
    fn partial_cmp(&self, other: &Dot) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// For each device, the highest of its changes to one account that a writer had merged.
#[derive(Clone, Default, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionVector(pub BTreeMap<DeviceId, u64>);

impl VersionVector {
    /// Whether the change `dot` had been seen.
    pub fn covers(&self, dot: Dot) -> bool {
        self.0.get(&dot.0).is_some_and(|n| *n >= dot.1)
    }

    /// Takes in everything `other` had seen.
    pub fn join(&mut self, other: &VersionVector) {
        for (device, n) in &other.0 {
            let mine = self.0.entry(*device).or_default();
            *mine = (*mine).max(*n);
        }
    }

    /// Records the change `dot`.
    pub fn add(&mut self, dot: Dot) {
        let mine = self.0.entry(dot.0).or_default();
        *mine = (*mine).max(dot.1);
    }
}

/// A field's value with the dot of the change that wrote it. `Debug` shows the dot only: the
/// value may be a seed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamped {
    /// The value (the vault's account form of the field).
    pub v: Value,
    /// The change that wrote it.
    pub d: Dot,
}

impl Drop for Stamped {
    fn drop(&mut self) {
        wipe(&mut self.v);
    }
}

/// Zeroes every string in `value` (a seed or a PIN may be among them).
pub(crate) fn wipe(value: &mut Value) {
    use zeroize::Zeroize;
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

impl std::fmt::Debug for Stamped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stamped({}, {})", self.d.0, self.d.1)
    }
}

/// The fields a record carries, by name: `issuer`, `name`, `otp`, `tenant`, `tags`, `note`,
/// `pinned`, `icon` and [`STATE`].
pub const FIELDS: [&str; 9] = [
    "issuer", "name", "otp", "tenant", "tags", "note", "pinned", "icon", STATE,
];

/// The field that says whether the account is live, trashed or purged.
pub const STATE: &str = "state";

/// Whether an account is live, in the trash (since when) or purged.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum State {
    /// In use.
    Live,
    /// In the trash since this Unix time.
    Trashed(u64),
    /// Deleted for good: the record is a tombstone.
    Purged,
}

impl State {
    /// The state as a field value: `"live"`, `{"trashed": t}`, `"purged"`.
    pub fn to_value(self) -> Value {
        match self {
            State::Live => Value::from("live"),
            State::Trashed(at) => serde_json::json!({ "trashed": at }),
            State::Purged => Value::from("purged"),
        }
    }

    /// Reads a state value; anything else is `None` (a newer state this version does not know
    /// counts as live: nothing is deleted on a guess).
    pub fn from_value(value: &Value) -> Option<State> {
        match value {
            Value::String(s) if s == "live" => Some(State::Live),
            Value::String(s) if s == "purged" => Some(State::Purged),
            Value::Object(map) => map.get("trashed")?.as_u64().map(State::Trashed),
            _ => None,
        }
    }

    /// How much a state destroys: live 0, trashed 1, purged 2 (concurrent states keep the least).
    fn harm(self) -> u8 {
        match self {
            State::Live => 0,
            State::Trashed(_) => 1,
            State::Purged => 2,
        }
    }

    /// The less destructive of two states.
    pub fn least_harm(self, other: State) -> State {
        if other.harm() < self.harm() {
            other
        } else {
            self
        }
    }

    /// Whether the account is gone from the list (trashed or purged).
    pub fn is_deleted(self) -> bool {
        self != State::Live
    }
}

/// Bookkeeping: merged by taking the earliest creation, the latest use, the most uses and the
/// largest HOTP counter; never a conflict.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Book {
    /// When the account was added (Unix seconds; 0 when unknown).
    pub created: u64,
    /// When a code was last copied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<u64>,
    /// How many codes were copied.
    #[serde(default)]
    pub uses: u64,
    /// How far the HOTP counter went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotp_counter: Option<u64>,
}

impl Book {
    /// Takes in `other`'s bookkeeping.
    pub fn join(&mut self, other: &Book) {
        self.created = match (self.created, other.created) {
            (0, c) | (c, 0) => c,
            (a, b) => a.min(b),
        };
        self.last_used = self.last_used.max(other.last_used);
        self.uses = self.uses.max(other.uses);
        self.hotp_counter = self.hotp_counter.max(other.hotp_counter);
    }
}

/// A device's latest full view of one account it changed.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Record {
    /// The account's id (`Record::id`).
    pub account: uuid::Uuid,
    /// What the writer had merged of this account's changes.
    pub vv: VersionVector,
    /// Each field's concurrent values (usually one), with their dots.
    pub fields: BTreeMap<String, Vec<Stamped>>,
    /// Bookkeeping.
    #[serde(default)]
    pub book: Book,
}

impl Record {
    /// The account this record is about.
    pub fn id(&self) -> AccountId {
        AccountId(self.account)
    }

    /// Whether this is a tombstone: only the state, and that purged.
    pub fn is_tombstone(&self) -> bool {
        self.fields.keys().all(|k| k == STATE)
            && self.fields.get(STATE).is_some_and(|values| {
                !values.is_empty()
                    && values
                        .iter()
                        .all(|s| State::from_value(&s.v) == Some(State::Purged))
            })
    }

    /// Whether this record holds the change `dot` as one of `field`'s values.
    pub fn holds(&self, field: &str, dot: Dot) -> bool {
        self.fields
            .get(field)
            .is_some_and(|values| values.iter().any(|s| s.d == dot))
    }
}
