//! Authenticator Plus databases, written by Debian's `sqlcipher` shell (SQLCipher 3, the
//! version Authenticator Plus uses, with its defaults) in Authenticator Plus's layout: Google
//! Authenticator's `accounts` table plus `category`. Enough rows for several pages, so every
//! page's HMAC and the b-tree across pages are read; a wrong password and a changed page say so.
//!
//! Skipped with a notice without sqlcipher, unless `TESSERA_REQUIRE_SQLCIPHER=1` (set by the
//! project's test command, which installs it).

use std::process::Command;

use tessera_core::otp::OtpKind;
use tessera_core::transfer::TransferError;
use tessera_core::transfer::import::{Format, import};

const PASSWORD: &str = "testtesttest";

fn sqlcipher_available() -> bool {
    let found = Command::new("sqlcipher")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_SQLCIPHER").is_none(),
            "sqlcipher is required (TESSERA_REQUIRE_SQLCIPHER is set) but not installed: apt-get install sqlcipher"
        );
        eprintln!(
            "note: Authenticator Plus test skipped: sqlcipher is not installed (apt-get install sqlcipher)"
        );
    }
    found
}

/// A database of `rows` TOTP accounts after an Entra account and an HOTP one.
fn database(dir: &std::path::Path, rows: usize) -> Vec<u8> {
    let path = dir.join("authplus.db");
    let mut sql = format!(
        "PRAGMA key = '{PASSWORD}';
         CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL,
           counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL,
           original_name TEXT DEFAULT NULL, category TEXT DEFAULT NULL);
         INSERT INTO accounts (email, secret, counter, type, issuer, original_name, category) VALUES
           ('Microsoft:admin@contoso.com', 'JBSWY3DPEHPK3PXP', 0, 0, 'Microsoft', 'Microsoft:admin@contoso.com', 'Contoso'),
           ('door', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 7, 1, 'Door', 'door', NULL);"
    );
    for i in 0..rows {
        sql.push_str(&format!(
            "INSERT INTO accounts (email, secret, type, issuer, category) VALUES ('user{i}@example.com', 'MFRGGZDFMZTWQ2LK', 0, 'Service {i}', 'Customers');"
        ));
    }
    let out = Command::new("sqlcipher")
        .arg(&path)
        .arg(sql)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&path).unwrap()
}

#[test]
fn authenticator_plus_databases_import_exactly() {
    if !sqlcipher_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bytes = database(dir.path(), 120);
    assert!(bytes.len() >= 8 * 1024, "several pages: {}", bytes.len());
    assert!(!bytes.starts_with(b"SQLite format 3"), "encrypted");
    let imported = import(&bytes, Some(PASSWORD.as_bytes()), None, 0).unwrap();
    assert_eq!(imported.format, Format::AuthenticatorPlus);
    assert!(imported.failures().is_empty(), "{:?}", imported.failures());
    let accounts: Vec<_> = imported.accounts().into_iter().map(|(a, _)| a).collect();
    assert_eq!(accounts.len(), 122);
    let entra = &accounts[0];
    assert_eq!(
        (
            entra.issuer.as_str(),
            entra.name.as_str(),
            entra.tags.as_slice()
        ),
        (
            "Microsoft",
            "admin@contoso.com",
            &["Contoso".to_owned()][..]
        )
    );
    assert_eq!(entra.otp.secret().to_base32().as_str(), "JBSWY3DPEHPK3PXP");
    assert_eq!(accounts[1].otp.kind(), OtpKind::Hotp { counter: 7 });
    // RFC 4226's secret at counter 7.
    assert_eq!(accounts[1].otp.codes_at(0).current.as_str(), "162583");
    assert_eq!(accounts[121].issuer, "Service 119");
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.starts_with("Authenticator Plus's database"))
    );

    assert_eq!(
        import(&bytes, Some(b"wrong"), None, 0).map(|i| i.format),
        Err(TransferError::WrongPasswordOrUnknown {
            format: "Authenticator Plus database"
        })
    );
    assert_eq!(
        import(&bytes, None, None, 0).map(|i| i.format),
        Err(TransferError::NeedsPassword {
            format: "Authenticator Plus database"
        })
    );
    // One changed byte on page 3: damage, named, never wrong accounts.
    let mut changed = bytes.clone();
    changed[2 * 1024 + 100] ^= 1;
    let error = import(&changed, Some(PASSWORD.as_bytes()), None, 0).unwrap_err();
    assert!(
        error.to_string().contains("page 3 does not authenticate"),
        "{error}"
    );
    // Cut short: not whole pages.
    let error = import(
        &bytes[..bytes.len() - 10],
        Some(PASSWORD.as_bytes()),
        Some(Format::AuthenticatorPlus),
        0,
    )
    .unwrap_err();
    assert!(error.to_string().contains("pages"), "{error}");
}
