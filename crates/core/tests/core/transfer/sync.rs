//! The sync merge (docs/sync-format.md) without files: concurrent edits of different fields
//! combine, of one field are kept both, a deletion never beats an edit, a tombstone carries no
//! secret, a conflict copy of a file changes nothing; and a property test over random changes
//! on three devices exchanging files in random orders, all converging with nothing lost.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{Value, json};
use tessera_core::otp::AccountId;
use tessera_core::transfer::sync::{Book, DeviceId, Replica, STATE, State};

fn device(n: u128) -> DeviceId {
    DeviceId(uuid::Uuid::from_u128(0x5eed_0000 + n))
}

fn account(n: u128) -> AccountId {
    AccountId(uuid::Uuid::from_u128(0xacc0_0000 + n))
}

fn full(secret: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("issuer", json!("Microsoft")),
        ("name", json!("admin@contoso.com")),
        (
            "otp",
            json!({"kind": "totp", "secret": secret, "algorithm": "SHA1", "digits": 6, "period": 30}),
        ),
        ("tenant", json!("Contoso Ltd")),
        ("tags", json!([])),
        ("note", json!("")),
        ("pinned", json!(false)),
    ]
}

/// `to` reads `from`'s file as it is now (in place of what it read of that file before; the
/// older conflict copies it read stay).
fn deliver(from: &Replica, to: &mut Replica) {
    let records: Vec<_> = from.own.values().cloned().collect();
    match to
        .read
        .iter_mut()
        .find(|(author, _)| *author == from.device)
    {
        Some(entry) => entry.1 = records,
        None => to.read.push((from.device, records)),
    }
}

fn pair() -> (Replica, Replica) {
    let mut a = Replica::new(device(1));
    let mut b = Replica::new(device(2));
    a.change(account(1), &full("JBSWY3DPEHPK3PXP"), Book::default());
    deliver(&a, &mut b);
    (a, b)
}

#[test]
fn concurrent_edits_of_different_fields_combine() {
    let (mut a, mut b) = pair();
    a.change(
        account(1),
        &[("note", json!("phone of Alice"))],
        Book::default(),
    );
    b.change(
        account(1),
        &[("tenant", json!("Fabrikam"))],
        Book::default(),
    );
    deliver(&a, &mut b);
    deliver(&b, &mut a);
    for replica in [&a, &b] {
        let view = &replica.view()[&account(1)];
        assert_eq!(view.value("note"), Some(&json!("phone of Alice")));
        assert_eq!(view.value("tenant"), Some(&json!("Fabrikam")));
        assert!(view.conflicts().is_empty(), "{view:?}");
    }
    assert_eq!(a.view(), b.view());
}

#[test]
fn concurrent_edits_of_one_field_keep_both_until_the_field_is_written_again() {
    let (mut a, mut b) = pair();
    a.change(account(1), &[("note", json!("from A"))], Book::default());
    b.change(account(1), &[("note", json!("from B"))], Book::default());
    deliver(&a, &mut b);
    deliver(&b, &mut a);
    let view = &a.view()[&account(1)];
    assert_eq!(a.view(), b.view());
    let conflicts = view.conflicts();
    assert_eq!(conflicts.len(), 1, "{view:?}");
    let (field, others) = conflicts[0];
    assert_eq!(field, "note");
    let shown = view.value("note").unwrap().clone();
    assert_eq!(others.len(), 1);
    let mut both = vec![shown.clone(), others[0].v.clone()];
    both.sort_by_key(|v| v.to_string());
    assert_eq!(both, [json!("from A"), json!("from B")]);
    // The same counter on both: the larger device id shows first, on every device.
    assert_eq!(shown, json!("from B"));

    // Changing another field does not settle it.
    a.change(account(1), &[("pinned", json!(true))], Book::default());
    deliver(&a, &mut b);
    assert_eq!(b.view()[&account(1)].conflicts().len(), 1);
    // Writing the field again does, everywhere.
    b.change(account(1), &[("note", json!("agreed"))], Book::default());
    deliver(&b, &mut a);
    for replica in [&a, &b] {
        let view = &replica.view()[&account(1)];
        assert!(view.conflicts().is_empty());
        assert_eq!(view.value("note"), Some(&json!("agreed")));
        assert_eq!(view.value("pinned"), Some(&json!(true)));
    }
}

#[test]
fn a_trash_reaches_the_other_device_and_a_restore_brings_it_back() {
    let (mut a, mut b) = pair();
    a.change(
        account(1),
        &[(STATE, State::Trashed(100).to_value())],
        Book::default(),
    );
    deliver(&a, &mut b);
    assert_eq!(b.view()[&account(1)].state, State::Trashed(100));
    b.change(
        account(1),
        &[(STATE, State::Live.to_value())],
        Book::default(),
    );
    deliver(&b, &mut a);
    assert_eq!(a.view()[&account(1)].state, State::Live);
}

#[test]
fn a_deletion_never_beats_an_edit_it_had_not_seen_and_revives_the_whole_account() {
    let (mut a, mut b) = pair();
    a.change(
        account(1),
        &[(STATE, State::Purged.to_value())],
        Book::default(),
    );
    b.change(
        account(1),
        &[("note", json!("still needed"))],
        Book::default(),
    );
    deliver(&a, &mut b);
    deliver(&b, &mut a);
    for replica in [&a, &b] {
        let view = &replica.view()[&account(1)];
        assert_eq!(view.state, State::Live, "{view:?}");
        assert_eq!(view.value("note"), Some(&json!("still needed")));
        assert_eq!(
            view.value("otp").unwrap()["secret"],
            json!("JBSWY3DPEHPK3PXP"),
            "the seed came back with the edit"
        );
    }
    // A deletion made after seeing the edit stands.
    a.change(
        account(1),
        &[(STATE, State::Purged.to_value())],
        Book::default(),
    );
    deliver(&a, &mut b);
    let view = &b.view()[&account(1)];
    assert_eq!(view.state, State::Purged);
    assert!(
        view.value("otp").is_none(),
        "a purged account keeps no seed"
    );
}

#[test]
fn a_tombstone_carries_no_secret_and_a_file_read_twice_changes_nothing() {
    let (mut a, mut b) = pair();
    a.change(
        account(1),
        &[(STATE, State::Purged.to_value())],
        Book::default(),
    );
    let tombstone = serde_json::to_string(&a.own[&account(1)]).unwrap();
    assert!(!tombstone.contains("JBSWY3DPEHPK3PXP"), "{tombstone}");
    assert!(!tombstone.contains("Contoso"), "{tombstone}");
    deliver(&a, &mut b);
    let once = b.view();
    // A sync engine's conflict copy: the same file (and an older one) read again.
    let again = b.read[0].clone();
    b.read.push(again);
    assert_eq!(b.view(), once);
}

#[test]
fn bookkeeping_merges_without_conflicts() {
    let (mut a, mut b) = pair();
    let used = |at, uses, counter| Book {
        created: 0,
        last_used: Some(at),
        uses,
        hotp_counter: Some(counter),
    };
    a.change(account(1), &[], used(500, 3, 9));
    b.change(account(1), &[], used(400, 7, 12));
    deliver(&a, &mut b);
    deliver(&b, &mut a);
    let book = a.view()[&account(1)].book;
    assert_eq!(
        (book.last_used, book.uses, book.hotp_counter),
        (Some(500), 7, Some(12))
    );
    assert!(a.view()[&account(1)].conflicts().is_empty());
    assert_eq!(a.view(), b.view());
}

#[derive(Clone, Debug)]
enum Op {
    Add(usize),
    Edit(usize, usize, usize, u8),
    Trash(usize, usize),
    Restore(usize, usize),
    Purge(usize, usize),
    Deliver(usize, usize),
    /// Delivers an older copy as well (a sync engine's conflict copy).
    DeliverCopy(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..3usize).prop_map(Op::Add),
        4 => (0..3usize, 0..8usize, 0..7usize, any::<u8>()).prop_map(|(d, a, f, v)| Op::Edit(d, a, f, v)),
        1 => (0..3usize, 0..8usize).prop_map(|(d, a)| Op::Trash(d, a)),
        1 => (0..3usize, 0..8usize).prop_map(|(d, a)| Op::Restore(d, a)),
        1 => (0..3usize, 0..8usize).prop_map(|(d, a)| Op::Purge(d, a)),
        4 => (0..3usize, 0..3usize).prop_map(|(f, t)| Op::Deliver(f, t)),
        1 => (0..3usize, 0..3usize).prop_map(|(f, t)| Op::DeliverCopy(f, t)),
    ]
}

const EDITABLE: [&str; 7] = ["issuer", "name", "otp", "tenant", "tags", "note", "pinned"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Three devices change accounts and read each other's files in any order (stale copies
    /// included); once each has read every file, all show the same accounts, every account
    /// added is there, only an explicit purge removes one, and a live account keeps its seed.
    #[test]
    fn three_devices_converge_and_lose_nothing(ops in proptest::collection::vec(op(), 1..60)) {
        let mut devices: Vec<Replica> = (1..=3).map(|n| Replica::new(device(n))).collect();
        let mut added: Vec<AccountId> = Vec::new();
        let mut purged: BTreeSet<AccountId> = BTreeSet::new();
        let mut stale: Vec<BTreeMap<AccountId, tessera_core::transfer::sync::Record>> =
            devices.iter().map(|d| d.own.clone()).collect();
        for op in ops {
            match op {
                Op::Add(d) => {
                    let id = account(added.len() as u128 + 1);
                    added.push(id);
                    let secret = format!("SECRET{}", added.len());
                    devices[d].change(id, &full(&secret), Book { created: 1, ..Book::default() });
                }
                Op::Edit(d, a, f, v) => {
                    let Some(&id) = added.get(a) else { continue };
                    // The app changes only accounts it shows (live or in its trash).
                    if devices[d].view().get(&id).is_none_or(|m| m.state == State::Purged) { continue }
                    let value = if EDITABLE[f] == "otp" {
                        json!({"kind": "totp", "secret": format!("EDITED{v}"), "digits": 6})
                    } else {
                        json!(format!("{}-{d}-{v}", EDITABLE[f]))
                    };
                    devices[d].change(id, &[(EDITABLE[f], value)], Book::default());
                }
                Op::Trash(d, a) | Op::Restore(d, a) | Op::Purge(d, a) => {
                    let Some(&id) = added.get(a) else { continue };
                    if devices[d].view().get(&id).is_none_or(|m| m.state == State::Purged) { continue }
                    let state = match op {
                        Op::Trash(..) => State::Trashed(99),
                        Op::Restore(..) => State::Live,
                        _ => { purged.insert(id); State::Purged }
                    };
                    devices[d].change(id, &[(STATE, state.to_value())], Book::default());
                }
                Op::Deliver(from, to) | Op::DeliverCopy(from, to) => {
                    if from == to { continue }
                    let sender = devices[from].clone();
                    deliver(&sender, &mut devices[to]);
                    if matches!(op, Op::DeliverCopy(..)) {
                        let old: Vec<_> = stale[from].values().cloned().collect();
                        devices[to].read.push((sender.device, old));
                    }
                    stale[from] = sender.own.clone();
                }
            }
        }
        // Everyone reads every file.
        for from in 0..3 {
            for to in 0..3 {
                if from != to {
                    let sender = devices[from].clone();
                    deliver(&sender, &mut devices[to]);
                }
            }
        }
        let view = devices[0].view();
        prop_assert_eq!(&view, &devices[1].view());
        prop_assert_eq!(&view, &devices[2].view());
        for id in &added {
            let Some(merged) = view.get(id) else {
                return Err(TestCaseError::fail(format!("{id} vanished")));
            };
            if merged.state == State::Purged {
                prop_assert!(purged.contains(id), "{} purged without a purge", id);
            } else {
                prop_assert!(merged.value("otp").is_some(), "{} lost its seed", id);
                prop_assert!(merged.value("issuer").is_some());
            }
        }
    }
}
