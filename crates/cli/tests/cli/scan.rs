//! `tessera-cli scan` and `add --scan` on real screenshots from ../shared (skipped without it).

use std::path::PathBuf;
use std::process::Command;

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("TESSERA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if dir.join("fixtures").is_dir() {
        Some(dir)
    } else {
        eprintln!("note: scan CLI test skipped: no shared fixtures (set TESSERA_SHARED)");
        None
    }
}

#[test]
fn scan_and_add_from_a_google_export_screenshot() {
    let Some(shared) = shared() else { return };
    let folder = shared.join("fixtures/google-authenticator-migration");
    let export = folder.join("test_googleauth_export.png");
    let other = folder.join("qr_but_without_otp.png");
    let out = Command::new(env!("CARGO_BIN_EXE_tessera-cli"))
        .arg("scan")
        .arg(&export)
        .arg(&other)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Google Authenticator export, QR code 1 of 1: 3 accounts"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not an authenticator code") || stdout.contains("web link"),
        "{stdout}"
    );

    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tessera-cli"))
            .args(args)
            .env("TESSERA_VAULT", &vault)
            .env("TESSERA_PASSWORD", "long enough")
            .output()
            .unwrap()
    };
    assert!(
        run(&["init", "--kdf-memory", "19", "--kdf-passes", "1"])
            .status
            .success()
    );
    let added = run(&[
        "add",
        "--scan",
        export.to_str().unwrap(),
        "--tenant",
        "migrated",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|a| a["tenant"] == "migrated")
    );

    let garbage = dir.path().join("not-an-image.png");
    std::fs::write(&garbage, b"hello").unwrap();
    let bad = run(&["add", "--scan", garbage.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Take a screenshot"));
}
