//! `send` -> `receive` between two vaults through PNG frames: a fifth of the frames lost, the
//! rest shuffled, every account, note, tenant and tag arriving; a wrong code refused with the
//! frames kept for a retry; frames of another transfer ignored.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const KDF: [&str; 4] = ["--kdf-memory", "19", "--kdf-passes", "1"];

fn run(vault: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera-cli"));
    command
        .args(args)
        .env("TESSERA_VAULT", vault)
        .env("TESSERA_PASSWORD", "vault pw")
        .env_remove("TESSERA_TRANSFER_CODE");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run tessera-cli")
}

fn ok(vault: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = run(vault, args, env);
    assert!(
        out.status.success(),
        "{args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn vault_with(dir: &Path, name: &str, accounts: usize) -> PathBuf {
    let path = dir.join(name);
    let mut init = vec!["init"];
    init.extend(KDF);
    ok(&path, &init, &[]);
    for i in 0..accounts {
        let uri = format!(
            "otpauth://totp/Microsoft:admin{i}@contoso{i}.onmicrosoft.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ{}&issuer=Microsoft",
            (b'A' + i as u8) as char
        );
        let note = format!("Technician phone {i}; re-enrol via aka.ms/mfasetup");
        let tenant = format!("Contoso {i}");
        ok(
            &path,
            &[
                "add", &uri, "--tenant", &tenant, "--note", &note, "--tag", "customer",
            ],
            &[],
        );
    }
    path
}

/// Sends from `vault` into `frames`; the transfer code.
fn send(vault: &Path, frames: &Path, extra: &[&str]) -> String {
    let mut args = vec!["send", "--frames", frames.to_str().unwrap(), "--weak-kdf"];
    args.extend(extra);
    let out = ok(vault, &args, &[]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("transfer code: "))
        .expect("the code on stderr")
        .to_owned()
}

fn essence(vault: &Path) -> Vec<(String, String, String, Vec<String>)> {
    let out = ok(vault, &["list", "--json"], &[]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut rows: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap_or("").to_owned(),
                a["tenant"].as_str().unwrap_or("").to_owned(),
                a["note"].as_str().unwrap_or("").to_owned(),
                a["tags"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn accounts_move_through_animated_qr_frames_with_a_fifth_lost() {
    let dir = tempfile::tempdir().unwrap();
    let old = vault_with(dir.path(), "old.vault", 6);
    let frames = dir.path().join("frames");
    let code = send(&old, &frames, &[]);
    assert_eq!(code.len(), 14, "{code}");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&frames)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // Lose a fifth of the frames, and give the rest backwards. The default is two cycles of
    // the stream (plain fragments, then as many mixed ones, twice), so each plain fragment is
    // in two frames one cycle apart; the first cycle loses positions 2, 7, 12, ... and the
    // second 3, 8, 13, ..., never both copies, so the receiver must complete whatever the
    // random container.
    let cycle = files.len() / 2;
    let kept: Vec<String> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| (i % cycle) % 5 != if *i < cycle { 2 } else { 3 })
        .map(|(_, f)| f.to_str().unwrap().to_owned())
        .rev()
        .collect();
    assert!(kept.len() * 5 <= files.len() * 4 + 5, "about a fifth lost");

    let new = vault_with(dir.path(), "new.vault", 0);
    let mut args = vec!["receive".to_owned()];
    args.extend(kept.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    // A wrong code: refused, nothing added.
    let wrong = run(&new, &args, &[("TESSERA_TRANSFER_CODE", "0000-0000-0000")]);
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        said.contains("mistyped") || said.contains("not the transfer code"),
        "{said}"
    );
    assert!(essence(&new).is_empty());

    ok(
        &new,
        &args,
        &[("TESSERA_TRANSFER_CODE", &code.to_lowercase())],
    );
    assert_eq!(
        essence(&new),
        essence(&old),
        "every name, tenant, note and tag"
    );

    // Receiving the same transfer again adds nothing (all duplicates).
    let again = ok(&new, &args, &[("TESSERA_TRANSFER_CODE", &code)]);
    assert!(String::from_utf8_lossy(&again.stdout).contains('0'));
    assert_eq!(essence(&new).len(), 6);
}

#[test]
fn too_few_frames_or_another_transfers_frames_are_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let old = vault_with(dir.path(), "old.vault", 4);
    let first = dir.path().join("first");
    let code = send(&old, &first, &["--count", "2"]);
    let second = dir.path().join("second");
    send(&old, &second, &["Contoso 1"]);
    let new = vault_with(dir.path(), "new.vault", 0);
    let frame = |dir: &Path, n: usize| dir.join(format!("frame-{n:04}.png"));
    let out = run(
        &new,
        &[
            "receive",
            frame(&first, 1).to_str().unwrap(),
            frame(&second, 1).to_str().unwrap(),
            frame(&first, 2).to_str().unwrap(),
        ],
        &[("TESSERA_TRANSFER_CODE", &code)],
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("% of the transfer"), "{said}");
    assert!(said.contains("Save more frames"), "{said}");
}
