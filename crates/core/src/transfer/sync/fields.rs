//! An account as a record's fields (docs/sync-format.md, "Payload"): the vault's stored form
//! cut into `issuer`, `name`, `otp`, `tenant`, `tags`, `note`, `pinned`, `icon` and `state`,
//! with the bookkeeping apart; and back. Every string is wiped when a value is dropped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::{Book, STATE, State, wipe};
use crate::otp::{Account, AccountId};
use crate::vault::{entry_from_json, entry_to_json};

/// The keys of the vault's stored form that make up the `otp` field (the HOTP counter is
/// bookkeeping).
const OTP_KEYS: [&str; 6] = ["kind", "secret", "algorithm", "digits", "period", "pin"];
/// A field's name and its value when missing.
type FieldDefault = (&'static str, fn() -> Value);

/// The keys copied as fields of their own.
const PLAIN_KEYS: [FieldDefault; 7] = [
    ("issuer", || Value::from("")),
    ("name", || Value::from("")),
    ("tenant", || Value::from("")),
    ("tags", || Value::Array(Vec::new())),
    ("note", || Value::from("")),
    ("pinned", || Value::Bool(false)),
    ("icon", || Value::Null),
];

/// An account's field values by name. Wiped when dropped; `Debug` shows the names only.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Values(pub BTreeMap<String, Value>);

impl Drop for Values {
    fn drop(&mut self) {
        self.0.values_mut().for_each(wipe);
    }
}

impl std::fmt::Debug for Values {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// The fields and bookkeeping of `account` (trashed since `trashed`).
pub fn fields_of(account: &Account, trashed: Option<u64>) -> (Values, Book) {
    let mut stored = entry_to_json(account, trashed);
    let mut fields = BTreeMap::new();
    let mut otp = Map::new();
    let mut book = Book::default();
    if let Value::Object(map) = &mut stored {
        for key in OTP_KEYS {
            if let Some(v) = map.remove(key) {
                otp.insert(key.to_owned(), v);
            }
        }
        for (key, default) in PLAIN_KEYS {
            fields.insert(key.to_owned(), map.remove(key).unwrap_or_else(default));
        }
        book = Book {
            created: map.get("created").and_then(Value::as_u64).unwrap_or(0),
            last_used: map.get("last_used").and_then(Value::as_u64),
            uses: map.get("uses").and_then(Value::as_u64).unwrap_or(0),
            hotp_counter: map.get("counter").and_then(Value::as_u64),
        };
    }
    wipe(&mut stored);
    fields.insert("otp".to_owned(), Value::Object(otp));
    let state = trashed.map_or(State::Live, State::Trashed);
    fields.insert(STATE.to_owned(), state.to_value());
    (Values(fields), book)
}

/// The account that `fields` describe (a missing field takes its empty value), with `id`,
/// `book`, `updated` and `conflict_of`, live or trashed as `state` says (purged counts as
/// trashed now). `None` when the fields make no account this version can use (no seed, or a
/// kind of code a newer Tessera added).
pub fn account_from(
    id: AccountId,
    fields: &Values,
    state: State,
    book: &Book,
    updated: u64,
    conflict_of: Option<AccountId>,
    now: u64,
) -> Option<(Account, Option<u64>)> {
    let mut stored = Map::new();
    if let Some(Value::Object(otp)) = fields.0.get("otp") {
        for (key, value) in otp {
            stored.insert(key.clone(), value.clone());
        }
    }
    for (key, default) in PLAIN_KEYS {
        let value = fields.0.get(key).cloned().unwrap_or_else(default);
        if !value.is_null() {
            stored.insert(key.to_owned(), value);
        }
    }
    if stored.get("kind").and_then(Value::as_str) == Some("hotp") {
        stored.insert("counter".into(), book.hotp_counter.unwrap_or(0).into());
    }
    stored.insert("id".into(), id.0.to_string().into());
    stored.insert("created".into(), book.created.into());
    stored.insert("updated".into(), updated.into());
    if let Some(at) = book.last_used {
        stored.insert("last_used".into(), at.into());
    }
    stored.insert("uses".into(), book.uses.into());
    if let Some(of) = conflict_of {
        stored.insert("conflict_of".into(), of.0.to_string().into());
    }
    match state {
        State::Live => {}
        State::Trashed(at) => {
            stored.insert("trashed".into(), at.into());
        }
        State::Purged => {
            stored.insert("trashed".into(), now.into());
        }
    }
    // Consumed by the conversion; its strings (the seed among them) are dropped with the
    // account's own zeroizing types, the rest wiped here.
    let mut value = Value::Object(stored);
    let account = entry_from_json(value.clone());
    wipe(&mut value);
    account
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::parse_otpauth;

    fn account(uri: &str) -> Account {
        let enrolment = parse_otpauth(uri).unwrap();
        let mut a = Account::new(enrolment, 100);
        a.note = "phone".into();
        a.tags = vec!["Contoso".into()];
        a.use_count = 3;
        a
    }

    #[test]
    fn an_account_goes_to_fields_and_back() {
        for uri in [
            "otpauth://totp/Contoso:alice?secret=JBSWY3DPEHPK3PXP&issuer=Contoso&digits=8&period=60&algorithm=SHA256",
            "otpauth://hotp/Lab:bob?secret=JBSWY3DPEHPK3PXP&counter=41",
        ] {
            let a = account(uri);
            let (fields, book) = fields_of(&a, Some(5));
            assert_eq!(fields.0.len(), 9, "{fields:?}");
            assert!(
                fields.0["otp"].get("counter").is_none(),
                "a counter is bookkeeping"
            );
            assert_eq!(book.uses, 3);
            let state = State::from_value(&fields.0[STATE]).unwrap();
            assert_eq!(state, State::Trashed(5));
            let (back, trashed) =
                account_from(a.id, &fields, state, &book, a.updated, None, 9).unwrap();
            assert_eq!((back, trashed), (a, Some(5)));
        }
    }

    #[test]
    fn fields_without_a_seed_make_no_account() {
        let a = account("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP");
        let (mut fields, book) = fields_of(&a, None);
        fields.0.remove("otp");
        assert!(account_from(a.id, &fields, State::Live, &book, 0, None, 0).is_none());
        let (mut fields, _) = fields_of(&a, None);
        fields
            .0
            .insert("otp".into(), serde_json::json!({"kind": "quantum"}));
        assert!(account_from(a.id, &fields, State::Live, &book, 0, None, 0).is_none());
    }

    #[test]
    fn values_debug_shows_names_only() {
        let a = account("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP");
        let (fields, _) = fields_of(&a, None);
        let shown = format!("{fields:?}");
        assert!(!shown.contains("JBSW") && shown.contains("otp"), "{shown}");
    }
}
