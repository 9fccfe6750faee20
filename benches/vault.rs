//! Speed of the vault and of code generation, for 10, 1,000 and 10,000 accounts, each with a
//! 200-character note: open (after the key derivation: through a keystore slot, which has no
//! KDF), save, search, and computing every code. Prints the calibrated KDF time once.
//!
//! Goals (issue 3): 10,000 accounts open in < 50 ms and save in < 100 ms after the KDF; all
//! 10,000 codes in < 5 ms; a search in < 5 ms. Run with `cargo bench --bench vault`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use tessera_core::otp::{Account, Algorithm, Enrolment, Otp, OtpKind, Secret};
use tessera_core::vault::{KdfParams, MemoryKeystore, Vault};

fn filled_vault(dir: &std::path::Path, n: usize, keystore: &MemoryKeystore) -> Vault {
    let path = dir.join(format!("bench-{n}.vault"));
    let mut vault = Vault::create(&path, b"bench password", KdfParams::MINIMUM).unwrap();
    let note: String = "Enrolled on the shared admin phone; re-enrol through the tenant portal. "
        .repeat(3)[..200]
        .to_owned();
    for i in 0..n {
        let secret =
            Secret::from_bytes((0..20).map(|b| (b as usize * 31 + i * 7) as u8).collect()).unwrap();
        let kind = if i % 10 == 0 {
            OtpKind::Hotp { counter: i as u64 }
        } else {
            OtpKind::Totp { period: 30 }
        };
        let enrolment = Enrolment {
            issuer: format!("Service {}", i % 50),
            name: format!("admin{i}@tenant{}.onmicrosoft.com", i % 300),
            tenant: String::new(),
            otp: Otp::new(kind, Algorithm::Sha1, 6, secret).unwrap(),
        };
        let mut account = Account::new(enrolment, 1_700_000_000);
        account.note = note.clone();
        account.tenant = format!("Customer {}", i % 300);
        account.tags = vec![format!("tag{}", i % 7)];
        vault.push_unsaved(account);
    }
    vault.save().unwrap();
    vault.enable_keystore(keystore).unwrap();
    vault
}

fn bench(c: &mut Criterion) {
    let (kdf, took) = KdfParams::calibrate();
    println!(
        "calibrated KDF here: Argon2id m={} MiB t={} p={} took {:.3} s",
        kdf.m_kib / 1024,
        kdf.t,
        kdf.p,
        took.as_secs_f64()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("vault");
    group.sample_size(10);
    for n in [10usize, 1_000, 10_000] {
        let keystore = MemoryKeystore::default();
        let mut vault = filled_vault(dir.path(), n, &keystore);
        let path = vault.path().to_owned();
        group.bench_with_input(BenchmarkId::new("open_after_kdf", n), &n, |b, _| {
            b.iter(|| Vault::unlock_with_keystore(&path, &keystore).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("save", n), &n, |b, _| {
            b.iter(|| vault.save().unwrap())
        });
        // Another program (tessera-cli) saved first: this save reads, merges and writes.
        let (mut other, _) = Vault::unlock_with_keystore(&path, &keystore).unwrap();
        let first = other.accounts()[0].id;
        group.bench_with_input(
            BenchmarkId::new("save_after_another_program", n),
            &n,
            |b, _| {
                b.iter_batched(
                    || {
                        let note = tessera_core::vault::Edit {
                            note: Some(format!("{:?}", std::time::Instant::now())),
                            ..Default::default()
                        };
                        other.edit(first, note, 1).unwrap();
                    },
                    |()| vault.save().unwrap(),
                    criterion::BatchSize::PerIteration,
                )
            },
        );
        // The app's once-a-second look for another program's save, when there was none.
        group.bench_with_input(BenchmarkId::new("changed_on_disk", n), &n, |b, _| {
            b.iter(|| vault.changed_on_disk())
        });
        group.bench_with_input(BenchmarkId::new("search", n), &n, |b, _| {
            b.iter(|| vault.search("customer 42 tag3").len())
        });
        group.bench_with_input(BenchmarkId::new("sorted_list", n), &n, |b, _| {
            b.iter(|| vault.accounts().len())
        });
        // The list is sorted when it changes; every second only the codes are computed again.
        let list = vault.accounts().into_iter().cloned().collect::<Vec<_>>();
        group.bench_with_input(BenchmarkId::new("all_current_codes", n), &n, |b, _| {
            b.iter(|| {
                list.iter()
                    .map(|a| a.otp.code_at(1_763_900_000).as_str().len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
