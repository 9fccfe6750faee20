//! Speed of moving accounts (issue 5), 10,000 accounts with 200-character notes, tenants and
//! tags: writing a verified backup and restoring it (key derivation at the minimum settings, so
//! the numbers are the work after the KDF; the calibrated KDF time is printed once), reading a
//! 10,000-entry plain Aegis file, and planning a merge of 10,000 into 10,000.
//!
//! Goals: backup and restore < 200 ms each after the KDF; the Aegis import < 200 ms.
//! Run with `cargo bench --bench transfer`.

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::otp::{Account, Algorithm, Enrolment, Otp, OtpKind, Secret};
use tessera_core::transfer::backup::{read_backup, write_backup};
use tessera_core::transfer::export::aegis;
use tessera_core::transfer::import::import;
use tessera_core::transfer::merge::plan_against;
use tessera_core::vault::{BackupEntry, KdfParams};

fn accounts(n: usize, salt: u8) -> Vec<BackupEntry> {
    let note = "Enrolled on the shared admin phone; re-enrol through the tenant portal. ".repeat(3)
        [..200]
        .to_owned();
    (0..n)
        .map(|i| {
            let secret = Secret::from_bytes(
                (0..20)
                    .map(|b| (b as usize * 31 + i * 7) as u8 ^ salt)
                    .collect(),
            )
            .unwrap();
            let otp = Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret).unwrap();
            let enrolment = Enrolment {
                issuer: format!("Service {}", i % 50),
                name: format!("admin{i}@tenant{}.onmicrosoft.com", i % 300),
                tenant: String::new(),
                otp,
            };
            let mut a = Account::new(enrolment, 1_700_000_000);
            a.note = note.clone();
            a.tenant = format!("Customer {}", i % 300);
            a.tags = vec![format!("tag{}", i % 7)];
            (a, None)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let (kdf, took) = KdfParams::calibrate();
    println!(
        "calibrated KDF here (paid once per backup or restore): m={} MiB t={} p={} {:.3} s",
        kdf.m_kib / 1024,
        kdf.t,
        kdf.p,
        took.as_secs_f64()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.tessera");
    let entries = accounts(10_000, 0);
    let mut group = c.benchmark_group("transfer_10000");
    group.sample_size(10);
    group.bench_function("backup_verified", |b| {
        b.iter(|| write_backup(&path, &entries, b"pw", KdfParams::MINIMUM).unwrap())
    });
    group.bench_function("restore_read", |b| {
        b.iter(|| read_backup(&path, b"pw").unwrap())
    });
    let refs: Vec<&Account> = entries.iter().map(|(a, _)| a).collect();
    let file = aegis::export(&refs, None);
    println!("plain Aegis file of 10,000 entries: {} bytes", file.len());
    group.bench_function("import_aegis_plain", |b| {
        b.iter(|| import(&file, None, None, 0).unwrap())
    });
    let incoming = accounts(10_000, 0x55);
    group.bench_function("merge_plan_into_10000", |b| {
        b.iter(|| plan_against(&entries, incoming.clone()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
