//! Speed of the sync folder (issue 18): ten devices' files of 1,000 accounts each (every
//! device changed every account once: each file holds 1,000 records), opened and merged, as a
//! device does at each sync after the sync key is known (the KDF is paid once, at joining).
//! Also printed: the size of a device file after one change, and after 1,000.
//!
//! Goal: opening and merging the ten files < 100 ms. Run with `cargo bench --bench sync`.

use std::collections::BTreeMap;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tessera_core::otp::AccountId;
use tessera_core::transfer::sync::{
    Book, DeviceFile, DeviceId, Replica, SyncKey, merge, open, seal,
};
use tessera_core::vault::KdfParams;

fn file_of(replica: &Replica) -> DeviceFile {
    DeviceFile {
        device: replica.device,
        name: format!("device {}", replica.device),
        written: 1_764_763_200,
        counter: replica.counter,
        devices: BTreeMap::new(),
        records: replica.own.values().cloned().collect(),
    }
}

fn bench(c: &mut Criterion) {
    let key = SyncKey::random();
    let join = key.join_slot(b"pw", KdfParams::MINIMUM).unwrap();
    let mut first = Replica::new(DeviceId(uuid::Uuid::from_u128(1)));
    for n in 0..1_000u128 {
        first.change(
            AccountId(uuid::Uuid::from_u128(0xacc0_0000 + n)),
            &[
                ("issuer", json!("Microsoft")),
                ("name", json!(format!("admin{n}@contoso.com"))),
                ("otp", json!({"kind": "totp", "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algorithm": "SHA1", "digits": 6, "period": 30})),
                ("tenant", json!(format!("Customer {}", n % 40))),
                ("tags", json!(["msp", "admin"])),
                ("note", json!("enrolled on the shared technician phone; re-enrol through the portal")),
                ("pinned", json!(false)),
            ],
            Book { created: 1_764_700_000, ..Book::default() },
        );
    }
    let one_change = {
        let mut solo = Replica::new(DeviceId(uuid::Uuid::from_u128(99)));
        solo.read
            .push((first.device, first.own.values().cloned().collect()));
        solo.change(
            AccountId(uuid::Uuid::from_u128(0xacc0_0000)),
            &[("note", json!("moved"))],
            Book::default(),
        );
        seal(&file_of(&solo), &key, &join).len()
    };
    let mut files = vec![seal(&file_of(&first), &key, &join)];
    for d in 2..=10u128 {
        let mut device = Replica::new(DeviceId(uuid::Uuid::from_u128(d)));
        device
            .read
            .push((first.device, first.own.values().cloned().collect()));
        let view = device.view();
        for (id, merged) in &view {
            device.change_from(
                *id,
                Some(merged),
                &[("note", json!(format!("checked by {d}")))],
                Book::default(),
            );
        }
        files.push(seal(&file_of(&device), &key, &join));
    }
    println!(
        "device file after one change: {one_change} bytes; with 1,000 records: {} bytes",
        files[1].len()
    );
    let mut group = c.benchmark_group("sync_10_devices_1000_accounts");
    group.sample_size(20);
    group.bench_function("open_and_merge", |b| {
        b.iter(|| {
            let opened: Vec<DeviceFile> = files.iter().map(|f| open(f, &key).unwrap()).collect();
            let merged = merge(
                opened
                    .iter()
                    .flat_map(|f| f.records.iter().map(move |r| (f.device, r))),
            );
            assert_eq!(merged.len(), 1_000);
            merged
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
