//! docs/decrypt_vault.py, written only from docs/vault-format.md, reads what tessera-cli wrote.
//! Skipped with a notice when Python's `cryptography` or `argon2-cffi` is missing, unless
//! `TESSERA_REQUIRE_PYTHON=1` (set by `.ci/test`, which installs them).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn cli(vault: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tessera-cli"))
        .args(args)
        .env("TESSERA_VAULT", vault)
        .env("TESSERA_PASSWORD", "pässword with ünicode")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn python_reader_agrees_with_the_cli() {
    let python_ok = Command::new("python3")
        .args(["-c", "import cryptography, argon2"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !python_ok {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_PYTHON").is_none(),
            "TESSERA_REQUIRE_PYTHON is set but python3 cannot import cryptography and argon2"
        );
        eprintln!("note: Python reader test skipped: pip install cryptography argon2-cffi");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("tessera.vault");
    cli(
        &vault,
        &[
            "init",
            "--kdf-memory",
            "19",
            "--kdf-passes",
            "2",
            "--kdf-lanes",
            "2",
        ],
    );
    cli(
        &vault,
        &[
            "add",
            "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft&algorithm=SHA256&digits=8&period=60",
            "--tenant",
            "Contoso",
            "--note",
            "Anna's phone ✓",
            "--tag",
            "a",
            "--tag",
            "b",
        ],
    );
    cli(
        &vault,
        &[
            "add",
            "otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&counter=7",
        ],
    );
    cli(&vault, &["add", "steam://JRZCL47CMXVOQMNPZR2F7J4RGI"]);
    let gone: Value = serde_json::from_str(&cli(&vault, &["list", "issuu", "--json"])).unwrap();
    cli(&vault, &["rm", gone[0]["id"].as_str().unwrap()]);

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/decrypt_vault.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&vault)
        .env("TESSERA_PASSWORD", "pässword with ünicode")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let python: Value = serde_json::from_slice(&out.stdout).unwrap();
    let python = python["accounts"].as_array().unwrap();
    let listed: Value = serde_json::from_str(&cli(&vault, &["list", "--json"])).unwrap();
    let trashed: Value = serde_json::from_str(&cli(&vault, &["trash", "--json"])).unwrap();
    assert_eq!(python.len(), 3);
    for account in listed
        .as_array()
        .unwrap()
        .iter()
        .chain(trashed.as_array().unwrap())
    {
        let id = account["id"].as_str().unwrap();
        let read = python
            .iter()
            .find(|p| p["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        for field in [
            "kind",
            "issuer",
            "name",
            "algorithm",
            "digits",
            "tenant",
            "tags",
            "note",
            "pinned",
        ] {
            assert_eq!(read[field], account[field], "{field} of {id}");
        }
        assert_eq!(
            read.get("period").cloned().unwrap_or(Value::Null),
            account["period"]
                .clone()
                .as_u64()
                .filter(|_| account["kind"] == "totp")
                .map(Value::from)
                .unwrap_or(Value::Null)
        );
        assert_eq!(
            read.get("trashed").is_some(),
            account.get("trashed").is_some()
        );
    }
    let secrets: Vec<&str> = python
        .iter()
        .map(|p| p["secret"].as_str().unwrap())
        .collect();
    assert!(
        secrets.contains(&"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
            && secrets.contains(&"JRZCL47CMXVOQMNPZR2F7J4RGI")
    );

    let wrong = Command::new("python3")
        .arg(&script)
        .arg(&vault)
        .env("TESSERA_PASSWORD", "wrong")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong password"));
}

/// docs/aegis_reader.py, written only from Aegis's docs/vault.md, reads Tessera's Aegis exports
/// (plain and encrypted) with every field Aegis knows: notes, favourites, groups.
#[test]
fn aegis_reader_reads_our_aegis_export() {
    let python_ok = Command::new("python3")
        .args(["-c", "import cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !python_ok {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_PYTHON").is_none(),
            "TESSERA_REQUIRE_PYTHON is set but python3 cannot import cryptography"
        );
        eprintln!("note: Aegis reader test skipped: pip install cryptography");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("tessera.vault");
    cli(&vault, &["init", "--kdf-memory", "19", "--kdf-passes", "1"]);
    cli(
        &vault,
        &[
            "add",
            "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft&algorithm=SHA256&digits=8&period=60",
            "--tenant",
            "Contoso",
            "--note",
            "Anna's phone ✓",
            "--tag",
            "a",
        ],
    );
    cli(
        &vault,
        &[
            "add",
            "otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&counter=7",
        ],
    );
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/aegis_reader.py");
    for format in ["aegis", "aegis-encrypted"] {
        let file = dir.path().join(format!("{format}.json"));
        let out = Command::new(env!("CARGO_BIN_EXE_tessera-cli"))
            .args(["export", file.to_str().unwrap(), "--format", format])
            .env("TESSERA_VAULT", &vault)
            .env("TESSERA_PASSWORD", "pässword with ünicode")
            .env("TESSERA_BACKUP_PASSWORD", "äegis")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new("python3")
            .arg(&script)
            .arg(&file)
            .env("AEGIS_PASSWORD", "äegis")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let db: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(db["version"], 3);
        let entries = db["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        let ms = entries.iter().find(|e| e["issuer"] == "Microsoft").unwrap();
        assert_eq!(ms["type"], "totp");
        assert_eq!(ms["note"], "Anna's phone ✓");
        assert_eq!(
            ms["info"],
            serde_json::json!({"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA256", "digits": 8, "period": 60})
        );
        let group_names: Vec<&str> = ms["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| {
                db["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|g| g["uuid"] == *id)
                    .unwrap()["name"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(group_names, ["Tenant: Contoso", "a"]);
        let hotp = entries.iter().find(|e| e["issuer"] == "Issuu").unwrap();
        assert_eq!(hotp["info"]["counter"], 7);
    }
}
