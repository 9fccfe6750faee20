//! `tessera-cli sync` as a new user runs it: two vaults (two devices) sharing one folder, each
//! changed only by real `tessera-cli` processes, some of them at the same moment; then the same
//! through two real Syncthing instances on loopback (syncthing.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tessera_core::vault::{KdfParams, Vault};

pub const PASSWORD: &str = "correct horse battery";
pub const SYNC_PASSWORD: &str = "our sync password";

pub fn cli(vault: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera-cli"));
    command
        .env("TESSERA_VAULT", vault)
        .env("TESSERA_PASSWORD", PASSWORD)
        .env("TESSERA_SYNC_PASSWORD", SYNC_PASSWORD)
        .env_remove("TESSERA_SYNC_NEW_PASSWORD")
        .stdin(Stdio::null());
    command
}

pub fn run(vault: &Path, args: &[&str]) -> Output {
    cli(vault).args(args).output().expect("run tessera-cli")
}

pub fn ok(vault: &Path, args: &[&str]) -> String {
    let out = run(vault, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn new_vault(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.vault"));
    Vault::create(&path, PASSWORD.as_bytes(), KdfParams::MINIMUM).unwrap();
    path
}

/// `sync --dir DIR` with a fast key derivation (the first sync makes the sync password's slot).
pub fn sync(vault: &Path, folder: &Path, name: &str) -> String {
    let dir = folder.to_str().unwrap();
    ok(
        vault,
        &[
            "sync",
            "--dir",
            dir,
            "--name",
            name,
            "--kdf-memory",
            "19",
            "--kdf-passes",
            "1",
        ],
    )
}

/// Every account (trash included) as (id, issuer, note, in the trash), sorted.
pub fn accounts(vault: &Path) -> Vec<(String, String, String, bool)> {
    let (vault, _) = Vault::unlock(vault, PASSWORD.as_bytes()).unwrap();
    let mut all: Vec<_> = vault
        .backup_entries()
        .into_iter()
        .map(|(a, t)| (a.id.to_string(), a.issuer, a.note, t.is_some()))
        .collect();
    all.sort();
    all
}

pub fn id_of(vault: &Path, issuer: &str) -> String {
    accounts(vault)
        .into_iter()
        .find(|a| a.1 == issuer)
        .unwrap_or_else(|| panic!("no {issuer} in {}", vault.display()))
        .0
}

#[test]
fn two_cli_processes_on_two_vaults_add_edit_delete_and_agree() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let (laptop, phone) = (
        new_vault(dir.path(), "laptop"),
        new_vault(dir.path(), "phone"),
    );
    let joined = sync(&laptop, &folder, "laptop");
    assert!(joined.contains("0 sent"), "{joined}");
    ok(
        &laptop,
        &[
            "add",
            "otpauth://totp/Contoso:admin?secret=JBSWY3DPEHPK3PXP&issuer=Contoso",
        ],
    );
    sync(&laptop, &folder, "laptop");
    let out = sync(&phone, &folder, "phone");
    assert!(out.contains("1 added"), "{out}");
    let id = id_of(&phone, "Contoso");
    ok(
        &phone,
        &["edit", &id, "--note", "tech 2 enrolled this phone"],
    );
    sync(&phone, &folder, "phone");
    sync(&laptop, &folder, "laptop");
    assert_eq!(accounts(&laptop)[0].2, "tech 2 enrolled this phone");
    ok(&laptop, &["rm", &id]);
    sync(&laptop, &folder, "laptop");
    let out = sync(&phone, &folder, "phone");
    assert!(out.contains("1 to the trash"), "{out}");
    assert_eq!(accounts(&laptop), accounts(&phone));
    assert!(
        accounts(&phone)[0].3,
        "the deletion is in the trash, nothing silently gone"
    );
    let status = ok(&phone, &["sync", "status"]);
    assert!(
        status.contains("laptop") && status.contains("phone (this device)"),
        "{status}"
    );
    assert!(status.contains("Open conflicts: 0"), "{status}");
}

#[test]
fn syncing_both_at_once_many_times_converges_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let (a, b) = (new_vault(dir.path(), "a"), new_vault(dir.path(), "b"));
    sync(&a, &folder, "a");
    sync(&b, &folder, "b");
    for round in 0..4 {
        let uri = |who: &str| {
            format!(
                "otpauth://totp/{who}{round}:x?secret=JBSWY3DPEHPK3PX{}&issuer={who}{round}",
                ["A", "B", "C", "D"][round]
            )
        };
        ok(&a, &["add", &uri("A")]);
        ok(&b, &["add", &uri("B")]);
        // Both devices sync at the same moment, each writing its own file while reading the
        // other's; and a second process syncs A's vault at once (the state's lock).
        let dir_arg = folder.to_str().unwrap().to_owned();
        let spawn = |vault: &Path| {
            cli(vault)
                .args(["sync", "--dir", &dir_arg])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let children = [spawn(&a), spawn(&b), spawn(&a)];
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    sync(&a, &folder, "a");
    sync(&b, &folder, "b");
    sync(&a, &folder, "a");
    let (on_a, on_b) = (accounts(&a), accounts(&b));
    assert_eq!(on_a, on_b);
    assert_eq!(
        on_a.len(),
        8,
        "every account added on either side: {on_a:?}"
    );
}

#[test]
fn a_wrong_sync_password_and_a_missing_folder_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let (a, b) = (new_vault(dir.path(), "a"), new_vault(dir.path(), "b"));
    sync(&a, &folder, "a");
    let out = cli(&b)
        .env("TESSERA_SYNC_PASSWORD", "not our password")
        .args([
            "sync",
            "--dir",
            folder.to_str().unwrap(),
            "--kdf-memory",
            "19",
            "--kdf-passes",
            "1",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("opens none of the files") && err.contains("first device"),
        "{err}"
    );
    let out = run(&b, &["sync"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does not sync yet") && err.contains("--dir"),
        "{err}"
    );
    assert!(!err.contains(SYNC_PASSWORD));
}

#[test]
fn removing_a_device_rekeys_and_the_others_follow_with_the_new_password() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let (a, b, c) = (
        new_vault(dir.path(), "a"),
        new_vault(dir.path(), "b"),
        new_vault(dir.path(), "c"),
    );
    sync(&a, &folder, "laptop");
    sync(&b, &folder, "phone");
    sync(&c, &folder, "lost phone");
    ok(
        &c,
        &[
            "add",
            "otpauth://totp/Contoso:admin?secret=JBSWY3DPEHPK3PXP&issuer=Contoso",
        ],
    );
    sync(&c, &folder, "lost phone");
    sync(&a, &folder, "laptop");
    let out = cli(&a)
        .env("TESSERA_SYNC_NEW_PASSWORD", "a new sync password")
        .args([
            "sync",
            "--kdf-memory",
            "19",
            "--kdf-passes",
            "1",
            "remove",
            "lost phone",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("Removed lost phone"), "{said}");
    assert!(said.contains("seeds of 1 accounts"), "{said}");
    // B still has the old password: told, and exit 2.
    let out = run(&b, &["sync"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another sync key"));
    // With the new one it follows and gets what only the lost phone had added.
    let out = cli(&b)
        .env("TESSERA_SYNC_PASSWORD", "a new sync password")
        .args(["sync"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\nB: {}\nA: {}",
        String::from_utf8_lossy(&out.stderr),
        ok(&b, &["sync", "status"]),
        ok(&a, &["sync", "status"])
    );
    assert_eq!(accounts(&b).len(), 1);
    let status = ok(&b, &["sync", "status"]);
    assert!(status.contains("lost phone (removed)"), "{status}");
    let left = ok(&b, &["sync", "leave"]);
    assert!(left.contains("no longer syncs"), "{left}");
    assert_eq!(accounts(&b).len(), 1, "leaving keeps the accounts");
}

#[test]
fn a_conflict_shows_in_the_list_and_edit_resolve_keeps_both() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let (a, b) = (new_vault(dir.path(), "a"), new_vault(dir.path(), "b"));
    sync(&a, &folder, "a");
    ok(
        &a,
        &[
            "add",
            "otpauth://totp/Contoso:admin?secret=JBSWY3DPEHPK3PXP&issuer=Contoso",
        ],
    );
    sync(&a, &folder, "a");
    sync(&b, &folder, "b");
    let id = id_of(&a, "Contoso");
    ok(&a, &["edit", &id, "--note", "tech 1"]);
    ok(&b, &["edit", &id, "--note", "tech 2"]);
    sync(&a, &folder, "a");
    sync(&b, &folder, "b");
    let out = sync(&a, &folder, "a");
    assert!(out.contains("1 conflict copies"), "{out}");
    let list = ok(&a, &["list"]);
    let marked: Vec<&str> = list
        .lines()
        .filter(|l| l.contains("(conflict: second version of"))
        .collect();
    assert_eq!(marked.len(), 1, "{list}");
    let copy = marked[0].split_whitespace().next().unwrap().to_owned();
    ok(&a, &["edit", &copy, "--resolve"]);
    sync(&a, &folder, "a");
    sync(&b, &folder, "b");
    assert_eq!(accounts(&a).len(), 2);
    assert_eq!(
        accounts(&a).iter().map(|x| &x.2).collect::<Vec<_>>(),
        accounts(&b).iter().map(|x| &x.2).collect::<Vec<_>>()
    );
    assert!(
        !ok(&b, &["list"]).contains("conflict"),
        "kept both: no copy left"
    );
}
