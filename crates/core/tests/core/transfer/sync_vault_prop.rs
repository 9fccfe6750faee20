//! The property test of sync on real vaults: three devices, each a vault, add, edit, trash,
//! restore, purge, settle conflicts and sync in random order through one folder; after every
//! device has synced twice more, their live accounts are the same (conflict copies included),
//! no account was lost unless a purge asked for it, and every live account has its seed.
//! `TESSERA_SYNC_VAULT_CASES` sets the number of cases (48 by default).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use tessera_core::otp::{AccountId, parse_otpauth};
use tessera_core::transfer::sync::{self, fields_of};
use tessera_core::vault::{Edit, KdfParams, Vault};

const NOW: u64 = 1_764_763_200;
const SEEDS: [&str; 4] = [
    "JBSWY3DPEHPK3PXP",
    "GEZDGNBVGY3TQOJQ",
    "MFRGGZDFMZTWQ2LK",
    "NBSWY3DPFQQFO33S",
];

#[derive(Clone, Debug)]
enum Op {
    Add(usize, usize),
    Note(usize, usize, u8),
    Tag(usize, usize, u8),
    Trash(usize, usize),
    Restore(usize, usize),
    Purge(usize, usize),
    /// Keep both versions of a conflict copy, or throw the copy away.
    Settle(usize, usize, bool),
    Sync(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let d = 0..3usize;
    let k = 0..8usize;
    prop_oneof![
        (d.clone(), 0..4usize).prop_map(|(d, s)| Op::Add(d, s)),
        (d.clone(), k.clone(), any::<u8>()).prop_map(|(d, k, n)| Op::Note(d, k, n % 4)),
        (d.clone(), k.clone(), any::<u8>()).prop_map(|(d, k, n)| Op::Tag(d, k, n % 3)),
        (d.clone(), k.clone()).prop_map(|(d, k)| Op::Trash(d, k)),
        (d.clone(), k.clone()).prop_map(|(d, k)| Op::Restore(d, k)),
        (d.clone(), k.clone()).prop_map(|(d, k)| Op::Purge(d, k)),
        (d.clone(), k.clone(), any::<bool>()).prop_map(|(d, k, b)| Op::Settle(d, k, b)),
        d.clone().prop_map(Op::Sync),
        d.prop_map(Op::Sync),
    ]
}

fn nth(vault: &Vault, k: usize, trashed: bool, copies: bool) -> Option<AccountId> {
    let mut ids: Vec<AccountId> = vault
        .backup_entries()
        .into_iter()
        .filter(|(a, t)| t.is_some() == trashed && a.conflict_of.is_some() == copies)
        .map(|(a, _)| a.id)
        .collect();
    ids.sort();
    (!ids.is_empty()).then(|| ids[k % ids.len()])
}

fn edit(vault: &mut Vault, id: AccountId, edit: Edit) {
    vault.edit(id, edit, NOW).unwrap();
}

/// The live accounts: id -> every field but the state, as JSON.
fn live(vault: &Vault) -> BTreeMap<AccountId, String> {
    vault
        .backup_entries()
        .into_iter()
        .filter(|(_, t)| t.is_none())
        .map(|(a, t)| {
            let (mut fields, _) = fields_of(&a, t);
            fields.0.remove("state");
            (a.id, serde_json::to_string(&fields).unwrap())
        })
        .collect()
}

fn run(ops: &[Op], dir: &Path) {
    let folder = dir.join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let key = sync::prepare_join(&folder, b"sync password", KdfParams::MINIMUM).unwrap();
    let mut vaults: Vec<Vault> = (0..3)
        .map(|n| {
            let path = dir.join(format!("{n}.vault"));
            let mut vault = Vault::create(&path, b"pw", KdfParams::MINIMUM).unwrap();
            sync::join(&mut vault, &folder, &format!("device {n}"), &key, NOW).unwrap();
            vault
        })
        .collect();
    let mut added: BTreeMap<AccountId, &str> = BTreeMap::new();
    let mut purged: BTreeSet<AccountId> = BTreeSet::new();
    for (step, op) in ops.iter().enumerate() {
        match *op {
            Op::Add(d, s) => {
                let uri = format!(
                    "otpauth://totp/Step{step}:admin?secret={}&issuer=Step{step}",
                    SEEDS[s]
                );
                let id = vaults[d].add(parse_otpauth(&uri).unwrap(), NOW).unwrap();
                added.insert(id, SEEDS[s]);
            }
            Op::Note(d, k, n) => {
                if let Some(id) = nth(&vaults[d], k, false, false) {
                    let note = Some(format!("note {n} from {d}"));
                    edit(
                        &mut vaults[d],
                        id,
                        Edit {
                            note,
                            ..Edit::default()
                        },
                    );
                }
            }
            Op::Tag(d, k, n) => {
                if let Some(id) = nth(&vaults[d], k, false, false) {
                    let add_tags = vec![format!("tag{n}")];
                    edit(
                        &mut vaults[d],
                        id,
                        Edit {
                            add_tags,
                            ..Edit::default()
                        },
                    );
                }
            }
            Op::Trash(d, k) => {
                if let Some(id) = nth(&vaults[d], k, false, false) {
                    vaults[d].trash_account(id, NOW).unwrap();
                }
            }
            Op::Restore(d, k) => {
                if let Some(id) = nth(&vaults[d], k, true, false) {
                    vaults[d].restore(id).unwrap();
                }
            }
            Op::Purge(d, k) => {
                if let Some(id) = nth(&vaults[d], k, true, false) {
                    vaults[d].purge(id).unwrap();
                    purged.insert(id);
                }
            }
            Op::Settle(d, k, keep) => {
                if let Some(id) = nth(&vaults[d], k, false, true) {
                    if keep {
                        let resolve = Edit {
                            resolve_conflict: true,
                            ..Edit::default()
                        };
                        edit(&mut vaults[d], id, resolve);
                    } else {
                        vaults[d].trash_account(id, NOW).unwrap();
                    }
                }
            }
            Op::Sync(d) => {
                sync::sync(&mut vaults[d], &folder, None, NOW + step as u64).unwrap();
            }
        }
    }
    for round in 0..3 {
        for vault in vaults.iter_mut() {
            sync::sync(vault, &folder, None, NOW + 1000 + round).unwrap();
        }
    }
    let views: Vec<_> = vaults.iter().map(live).collect();
    assert_eq!(views[0], views[1], "devices 0 and 1 differ");
    assert_eq!(views[1], views[2], "devices 1 and 2 differ");
    for vault in &vaults {
        let present: BTreeSet<AccountId> = vault
            .backup_entries()
            .into_iter()
            .map(|(a, _)| a.id)
            .collect();
        for (id, seed) in &added {
            if !purged.contains(id) {
                assert!(present.contains(id), "{id} was lost without a purge");
            }
            if let Some(account) = vault.get(*id) {
                assert_eq!(
                    account.otp.secret().to_base32().as_str(),
                    *seed,
                    "{id}'s seed"
                );
            }
        }
    }
}

fn cases() -> u32 {
    std::env::var("TESSERA_SYNC_VAULT_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn three_vaults_syncing_in_any_order_converge_and_lose_nothing(
        ops in proptest::collection::vec(op(), 1..40)
    ) {
        let dir = tempfile::tempdir().unwrap();
        run(&ops, dir.path());
    }
}
