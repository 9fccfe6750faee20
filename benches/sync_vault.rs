//! A whole sync of a real vault (issue 18): 1,000 accounts, nine other devices that each changed
//! every account once, and one change made here: reading the 10 devices' files, finding the
//! change, writing this device's file of that account's bucket, applying the merge and saving
//! the vault and the state (with their fsyncs). Also printed: how many bytes that sync wrote to
//! the folder, against the vault's size.
//!
//! Run with `cargo bench --bench sync_vault`.

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::otp::{Account, parse_otpauth};
use tessera_core::transfer::sync::{self, bucket_of, file_name};
use tessera_core::vault::{Edit, KdfParams, Vault};

const NOW: u64 = 1_764_763_200;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let key = sync::prepare_join(&folder, b"sync password", KdfParams::MINIMUM).unwrap();
    let mut here = Vault::create(&dir.path().join("0.vault"), b"pw", KdfParams::MINIMUM).unwrap();
    for n in 0..1_000 {
        let uri = format!(
            "otpauth://totp/Customer{}:admin{n}@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft",
            n % 40
        );
        let mut account = Account::new(parse_otpauth(&uri).unwrap(), NOW);
        account.note =
            "enrolled on the shared technician phone; re-enrol through the portal".into();
        here.push_unsaved(account);
    }
    here.save().unwrap();
    sync::join(&mut here, &folder, "laptop", &key, NOW).unwrap();
    for d in 1..10 {
        let mut other = Vault::create(
            &dir.path().join(format!("{d}.vault")),
            b"pw",
            KdfParams::MINIMUM,
        )
        .unwrap();
        sync::join(&mut other, &folder, &format!("device {d}"), &key, NOW).unwrap();
        let edited: Vec<_> = other
            .backup_entries()
            .into_iter()
            .map(|(mut a, t)| {
                a.note = format!("checked by device {d}");
                (a, t)
            })
            .collect();
        other.apply_entries(edited, &[]).unwrap();
        sync::sync(&mut other, &folder, None, NOW).unwrap();
    }
    sync::sync(&mut here, &folder, None, NOW).unwrap();
    let ids: Vec<_> = here.accounts().iter().map(|a| a.id).collect();
    let device = sync::status(&here, &folder).unwrap().devices[0].id;
    let size = |p: std::path::PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let own_total: u64 = (0..16)
        .map(|b| size(folder.join(file_name(device, b))))
        .sum();
    println!(
        "vault: {} bytes; this device's 16 files: {own_total} bytes; one change rewrites one of them: {} bytes",
        size(dir.path().join("0.vault")),
        size(folder.join(file_name(device, bucket_of(ids[0].0))))
    );
    let mut group = c.benchmark_group("sync_vault_1000_accounts_10_devices");
    group.sample_size(10);
    let mut n = 0u64;
    group.bench_function("one_change_then_sync", |b| {
        b.iter(|| {
            n += 1;
            let id = ids[(n as usize) % ids.len()];
            let note = Some(format!("change {n}"));
            here.edit(
                id,
                Edit {
                    note,
                    ..Edit::default()
                },
                NOW,
            )
            .unwrap();
            let report = sync::sync(&mut here, &folder, None, NOW + n).unwrap();
            assert_eq!(report.sent, 1);
            report
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
