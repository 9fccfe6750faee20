//! Real processes on one vault: a program holding the vault open (as the app does) while
//! `tessera-cli` changes it, many `tessera-cli` processes at once, `tessera-cli` killed with
//! SIGKILL at random moments of a save, and re-authentication even where the keystore would
//! open the vault.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use tessera_core::otp::parse_otpauth;
use tessera_core::vault::{Edit, KdfParams, Vault, VaultError};

const PASSWORD: &str = "correct horse battery";

fn cli(vault: &Path, password: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera-cli"));
    command
        .env("TESSERA_VAULT", vault)
        .env_remove("TESSERA_NEW_PASSWORD")
        .env_remove("TESSERA_BACKUP_PASSWORD")
        .stdin(Stdio::null());
    match password {
        Some(password) => command.env("TESSERA_PASSWORD", password),
        None => command.env_remove("TESSERA_PASSWORD"),
    };
    command
}

fn run(vault: &Path, password: Option<&str>, args: &[&str]) -> Output {
    cli(vault, password)
        .args(args)
        .output()
        .expect("run tessera-cli")
}

fn ok(vault: &Path, args: &[&str]) -> String {
    let out = run(vault, Some(PASSWORD), args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn uri(n: usize) -> String {
    let secret = data_encoding_free_base32(n);
    format!("otpauth://totp/Customer{n}:admin@tenant{n}.example?secret={secret}&issuer=Customer{n}")
}

/// A distinct valid Base32 secret per number, without another dependency.
fn data_encoding_free_base32(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut text = String::from("JBSWY3DPEHPK3PXP");
    let mut n = n;
    for _ in 0..8 {
        text.push(ALPHABET[n % 32] as char);
        n /= 32;
    }
    text
}

fn new_vault(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("tessera.vault");
    Vault::create(&path, PASSWORD.as_bytes(), KdfParams::MINIMUM).unwrap();
    path
}

#[test]
fn the_app_open_the_cli_adds_the_app_saves_both_survive() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path());
    // "The app": this process, holding the vault unlocked.
    let (mut app, _) = Vault::unlock(&path, PASSWORD.as_bytes()).unwrap();
    let mine = app.add(parse_otpauth(&uri(1)).unwrap(), 1).unwrap();
    ok(&path, &["add", &uri(2), "--note", "added by the CLI"]);
    app.edit(
        mine,
        Edit {
            note: Some("edited in the app".into()),
            ..Default::default()
        },
        2,
    )
    .unwrap();
    let listed: serde_json::Value = serde_json::from_str(&ok(&path, &["list", "--json"])).unwrap();
    let notes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["note"].as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 2, "{listed}");
    assert!(notes.contains(&"added by the CLI") && notes.contains(&"edited in the app"));
}

#[test]
fn after_passwd_in_the_cli_the_app_cannot_write_back_the_old_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path());
    let (mut app, _) = Vault::unlock(&path, PASSWORD.as_bytes()).unwrap();
    let id = app.add(parse_otpauth(&uri(1)).unwrap(), 1).unwrap();
    let out = cli(&path, Some(PASSWORD))
        .env("TESSERA_NEW_PASSWORD", "a different passphrase")
        .args(["passwd", "--kdf-memory", "19", "--kdf-passes", "1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("sealed again"), "{said}");
    let error = app
        .edit(
            id,
            Edit {
                note: Some("stale".into()),
                ..Default::default()
            },
            2,
        )
        .unwrap_err();
    assert!(matches!(error, VaultError::ChangedElsewhere(_)));
    let old = run(&path, Some(PASSWORD), &["list"]);
    assert!(!old.status.success(), "the old password opens nothing");
    let new = run(&path, Some("a different passphrase"), &["list"]);
    assert!(new.status.success());
}

#[test]
fn eight_cli_processes_adding_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path());
    let children: Vec<_> = (0..8)
        .map(|n| {
            cli(&path, Some(PASSWORD))
                .args(["add", &uri(n)])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (vault, _) = Vault::unlock(&path, PASSWORD.as_bytes()).unwrap();
    assert_eq!(vault.len(), 8);
}

/// A small deterministic generator for the kill times (the seed is printed, to replay a run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[test]
fn sigkill_at_random_moments_of_a_save_leaves_the_old_or_the_new_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path());
    // Enough accounts that a save takes a while to write.
    {
        let (mut vault, _) = Vault::unlock(&path, PASSWORD.as_bytes()).unwrap();
        for n in 0..1500 {
            let mut account =
                tessera_core::otp::Account::new(parse_otpauth(&uri(100_000 + n)).unwrap(), 1);
            account.note = "a note of a realistic length, which device and how to re-enrol".into();
            vault.push_unsaved(account);
        }
        vault.save().unwrap();
    }
    // How long an add takes here, to spread the kills over the whole of it.
    let started = std::time::Instant::now();
    ok(&path, &["add", &uri(1)]);
    let span = (started.elapsed().as_millis() as u64).max(20) * 2;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("kill loop: seed {seed}, kills spread over {span} ms");
    let mut random = Lcg(seed);
    let mut count = 1501;
    let (mut old_kept, mut new_kept) = (0, 0);
    for round in 0..200 {
        let mut child = cli(&path, Some(PASSWORD))
            .args(["add", &uri(10 + round)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(random.next(span)));
        let _ = child.kill(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let (vault, report) = Vault::unlock(&path, PASSWORD.as_bytes()).unwrap_or_else(|e| {
            panic!("round {round} (seed {seed}): the vault does not open: {e}")
        });
        assert_eq!(report.generation, 0, "round {round} (seed {seed})");
        let now = vault.len();
        assert!(
            now == count || now == count + 1,
            "round {round} (seed {seed}): {now} accounts, expected {count} or {}",
            count + 1
        );
        if now == count + 1 {
            new_kept += 1;
        } else {
            old_kept += 1;
            assert!(!status.success() || now == count + 1);
        }
        count = now;
    }
    eprintln!("kill loop: {old_kept} kills kept the old content, {new_kept} the new");
    assert!(old_kept > 0, "some kills must land before the rename");
}

/// Whether a Secret Service answers here (`.ci/test` starts one; elsewhere the keystore tests
/// skip with a notice).
fn keyring_available(vault: &Path) -> bool {
    let out = run(vault, Some(PASSWORD), &["keystore", "on"]);
    if out.status.success() {
        return true;
    }
    assert!(
        std::env::var_os("TESSERA_REQUIRE_KEYRING").is_none(),
        "TESSERA_REQUIRE_KEYRING is set but keystore on failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("note: keystore re-authentication test skipped: no Secret Service (see .ci/test)");
    false
}

#[test]
fn seeds_leave_only_with_the_password_even_where_the_keystore_opens_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_vault(dir.path());
    ok(&path, &["add", &uri(1)]);
    if !keyring_available(&path) {
        return;
    }
    // The keystore opens the vault for everyday commands.
    let listed = run(&path, None, &["list"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = |name: &str| out_dir.join(name).display().to_string();
    let commands: Vec<Vec<String>> = vec![
        vec![
            "export".into(),
            out("plain.txt"),
            "--format".into(),
            "uris".into(),
        ],
        vec!["backup".into(), out("backup.tessera")],
        vec![
            "qr".into(),
            "customer1".into(),
            "--png".into(),
            out("qr.png"),
        ],
        vec!["passwd".into()],
        vec!["keystore".into(), "on".into()],
    ];
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let refused = cli(&path, None)
            .env("TESSERA_BACKUP_PASSWORD", "backup password")
            .env("TESSERA_NEW_PASSWORD", "a new passphrase!")
            .args(&args)
            .output()
            .unwrap();
        assert!(
            !refused.status.success(),
            "{args:?} ran without the password"
        );
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("password"), "{args:?}: {said}");
        let wrong = cli(&path, Some("not the password"))
            .env("TESSERA_BACKUP_PASSWORD", "backup password")
            .args(&args)
            .output()
            .unwrap();
        assert!(
            !wrong.status.success(),
            "{args:?} ran with a wrong password"
        );
    }
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        0,
        "nothing left the vault"
    );
    // With the password, each works.
    let exported = cli(&path, Some(PASSWORD))
        .args(["export", &out("plain.txt"), "--format", "uris"])
        .output()
        .unwrap();
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let _ = run(&path, Some(PASSWORD), &["keystore", "off"]);
}
