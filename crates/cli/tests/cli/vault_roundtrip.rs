//! The command line over a real vault file: init -> add (notes, tenants, tags) -> list -> code ->
//! rm -> trash -> undelete -> passwd -> list, and the errors a user meets on the way.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const KDF: [&str; 4] = ["--kdf-memory", "19", "--kdf-passes", "1"];

fn run(vault: &Path, password: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera-cli"))
        .args(args)
        .env("TESSERA_VAULT", vault)
        .env("TESSERA_PASSWORD", password)
        .env_remove("TESSERA_NEW_PASSWORD")
        .output()
        .expect("run tessera-cli")
}

fn ok(vault: &Path, password: &str, args: &[&str]) -> String {
    let out = run(vault, password, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(vault: &Path, password: &str, args: &[&str]) -> Vec<Value> {
    serde_json::from_str::<Value>(&ok(vault, password, args))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("tessera.vault");
    let pw = "correct horse";
    let mut init = vec!["init"];
    init.extend(KDF);
    assert!(ok(&vault, pw, &init).contains("Created"));

    let microsoft = "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft";
    ok(
        &vault,
        pw,
        &[
            "add",
            microsoft,
            "--tenant",
            "contoso.onmicrosoft.com",
            "--note",
            "Anna's phone\nre-enrol via aka.ms/mfasetup",
            "--tag",
            "customer-a",
            "--tag",
            "admin",
        ],
    );
    // The same admin account on a second technician's phone: another seed, kept beside it.
    ok(
        &vault,
        pw,
        &[
            "add",
            "otpauth://totp/Microsoft:admin@contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft",
            "--note",
            "Ben's phone",
        ],
    );
    ok(
        &vault,
        pw,
        &[
            "add",
            "otpauth://hotp/Issuu:James?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=3",
            "--tenant",
            "fabrikam",
        ],
    );
    let dup = run(&vault, pw, &["add", microsoft]);
    assert_eq!(dup.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&dup.stderr).contains("duplicate"));

    let all = json(&vault, pw, &["list", "--json"]);
    assert_eq!(all.len(), 3);
    assert!(
        all.iter().all(|a| a.get("secret").is_none()),
        "list never shows secrets"
    );
    let anna = json(&vault, pw, &["list", "anna", "--json"]);
    assert_eq!(anna.len(), 1);
    assert_eq!(anna[0]["tenant"], "contoso.onmicrosoft.com");
    assert_eq!(anna[0]["tags"], serde_json::json!(["customer-a", "admin"]));
    assert_eq!(
        anna[0]["note"],
        "Anna's phone\nre-enrol via aka.ms/mfasetup"
    );

    // RFC 6238 at T = 59 for Anna's seed; the HOTP code is RFC 4226 count 3 and moves on.
    let codes = json(
        &vault,
        pw,
        &["code", "contoso anna", "--json", "--at", "59"],
    );
    assert_eq!(
        (codes[0]["code"].as_str(), codes[0]["seconds_left"].as_u64()),
        (Some("287082"), Some(1))
    );
    assert_eq!(
        json(&vault, pw, &["code", "issuu", "--json"])[0]["code"],
        "969429"
    );
    assert_eq!(
        json(&vault, pw, &["code", "issuu", "--json"])[0]["code"],
        "338314",
        "HOTP counter saved"
    );

    let id = anna[0]["id"].as_str().unwrap().to_owned();
    ok(&vault, pw, &["rm", &id[..8]]);
    assert_eq!(json(&vault, pw, &["list", "--json"]).len(), 2);
    assert_eq!(json(&vault, pw, &["trash", "--json"])[0]["id"], id.as_str());
    ok(&vault, pw, &["undelete", &id[..8]]);
    ok(
        &vault,
        pw,
        &[
            "edit",
            &id[..8],
            "--pin",
            "--untag",
            "admin",
            "--tenant",
            "Contoso Ltd",
        ],
    );
    let first = &json(&vault, pw, &["list", "--json"])[0];
    assert_eq!(
        (first["id"].as_str(), first["pinned"].as_bool()),
        (Some(id.as_str()), Some(true)),
        "pinned first"
    );
    assert_eq!(first["tags"], serde_json::json!(["customer-a"]));

    let mut passwd = vec!["passwd"];
    passwd.extend(KDF);
    let changed = Command::new(env!("CARGO_BIN_EXE_tessera-cli"))
        .args(&passwd)
        .env("TESSERA_VAULT", &vault)
        .env("TESSERA_PASSWORD", pw)
        .env("TESSERA_NEW_PASSWORD", "battery staple")
        .output()
        .unwrap();
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    let old = run(&vault, pw, &["list"]);
    assert_eq!(old.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&old.stderr)
            .starts_with("error: wrong password\nhint: Passwords are case-sensitive")
    );
    assert_eq!(json(&vault, "battery staple", &["list", "--json"]).len(), 3);
}

#[test]
fn errors_a_user_meets() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("none.vault");
    let missing = run(&vault, "whatever1", &["list"]);
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("there is no vault at") && stderr.contains("init"),
        "{stderr}"
    );

    let mut init = vec!["init"];
    init.extend(KDF);
    let short = run(&vault, "short", &init);
    assert!(String::from_utf8_lossy(&short.stderr).contains("shorter than 8"));
    assert!(!vault.exists());

    ok(&vault, "long enough", &init);
    let again = run(&vault, "long enough", &init);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let push = run(
        &vault,
        "long enough",
        &["add", "phonefactor://activate_account?code=1"],
    );
    assert!(
        String::from_utf8_lossy(&push.stderr)
            .contains("I want to use a different authenticator app")
    );
    let unknown = run(&vault, "long enough", &["rm", "ffffffff"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("tessera-cli list"));

    std::fs::write(&vault, b"garbage").unwrap();
    let garbage = run(&vault, "long enough", &["list"]);
    assert!(String::from_utf8_lossy(&garbage.stderr).contains("is not a Tessera vault"));
}
