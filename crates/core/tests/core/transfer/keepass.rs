//! KeePass databases written by Debian's `keepassxc-cli` (an independent implementation) from a
//! KeePass 2 XML file: every kind of code entry imports exactly, codes equal KeePassXC's own
//! (`show --totp`) and oathtool's; plain passwords and the recycle bin stay out; a wrong
//! password says so; a header asking for too costly a key derivation is refused unread.
//!
//! Skipped with a notice without keepassxc-cli, unless `TESSERA_REQUIRE_KEEPASSXC=1` (set by
//! the project's test command, which installs it).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use tessera_core::otp::{Account, OtpKind, unix_now};
use tessera_core::transfer::TransferError;
use tessera_core::transfer::import::{Format, import};

const PASSWORD: &str = "kdbx pässword";

fn keepassxc_available() -> bool {
    let found = Command::new("keepassxc-cli")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_KEEPASSXC").is_none(),
            "keepassxc-cli is required (TESSERA_REQUIRE_KEEPASSXC is set) but not installed: apt-get install keepassxc"
        );
        eprintln!(
            "note: KeePass test skipped: keepassxc-cli is not installed (apt-get install keepassxc)"
        );
    }
    found
}

/// Runs keepassxc-cli with the password (twice where it asks twice) on standard input.
fn keepassxc(args: &[&str], answers: usize) -> String {
    let mut child = Command::new("keepassxc-cli")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run keepassxc-cli");
    let input = format!("{PASSWORD}\n").repeat(answers);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "keepassxc-cli {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn uuid(n: u8) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([n; 16])
}

fn entry(n: u8, title: &str, user: &str, fields: &[(&str, &str)]) -> String {
    let mut xml = format!(
        "<Entry><UUID>{}</UUID><String><Key>Title</Key><Value>{title}</Value></String>\
         <String><Key>UserName</Key><Value>{user}</Value></String>\
         <String><Key>Password</Key><Value>not a code</Value></String>",
        uuid(n)
    );
    for (key, value) in fields {
        xml.push_str(&format!(
            "<String><Key>{key}</Key><Value>{value}</Value></String>"
        ));
    }
    xml.push_str("</Entry>");
    xml
}

/// A database as a technician keeps one: a customer's group with an Entra code (KeePassXC's
/// `otp`), a Steam code, KeePass 2's own TOTP and HOTP fields, a plain password, and a code in
/// the recycle bin.
fn database_xml() -> String {
    let contoso = [
        entry(
            1,
            "Contoso admin",
            "admin@contoso.com",
            &[
                ("otp", "otpauth://totp/Contoso%20Ltd:admin%40contoso.com?secret=JBSWY3DPEHPK3PXP&amp;issuer=Microsoft&amp;period=30&amp;digits=6"),
                ("Notes", "Anna's phone too; re-enrol: aka.ms/mfasetup"),
            ],
        ),
        entry(
            2,
            "Steam",
            "gamer",
            &[("otp", "otpauth://totp/Steam:gamer?secret=GEZDGNBVGY3TQOJQ&amp;issuer=Steam&amp;encoder=steam")],
        ),
        entry(
            3,
            "VPN",
            "tech",
            &[
                ("TimeOtp-Secret-Base32", "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ"),
                ("TimeOtp-Length", "8"),
                ("TimeOtp-Period", "60"),
                ("TimeOtp-Algorithm", "HMAC-SHA-256"),
            ],
        ),
        entry(
            4,
            "Door",
            "tech",
            &[("HmacOtp-Secret-Hex", "3132333435363738393031323334353637383930"), ("HmacOtp-Counter", "7")],
        ),
        entry(5, "Wiki login", "tech", &[]),
    ]
    .concat();
    let bin = entry(
        6,
        "Old account",
        "gone",
        &[(
            "otp",
            "otpauth://totp/Old:gone?secret=MFRGGZDFMZTWQ2LK&amp;issuer=Old",
        )],
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <KeePassFile><Meta><Generator>tessera test</Generator><DatabaseName>MSP</DatabaseName>\
         <RecycleBinEnabled>True</RecycleBinEnabled><RecycleBinUUID>{bin_id}</RecycleBinUUID></Meta>\
         <Root><Group><UUID>{root}</UUID><Name>Root</Name>\
         <Group><UUID>{customers}</UUID><Name>Customers</Name>\
         <Group><UUID>{contoso_id}</UUID><Name>Contoso</Name>{contoso}</Group></Group>\
         <Group><UUID>{bin_id}</UUID><Name>Recycle Bin</Name>{bin}</Group>\
         </Group></Root></KeePassFile>",
        bin_id = uuid(90),
        root = uuid(91),
        customers = uuid(92),
        contoso_id = uuid(93),
    )
}

fn make_database(dir: &Path) -> std::path::PathBuf {
    let xml = dir.join("db.xml");
    std::fs::write(&xml, database_xml()).unwrap();
    let kdbx = dir.join("db.kdbx");
    keepassxc(
        &[
            "import",
            "-p",
            "-t",
            "200",
            xml.to_str().unwrap(),
            kdbx.to_str().unwrap(),
        ],
        2,
    );
    kdbx
}

/// KeePassXC's current code of `entry` is Tessera's for `account` (a 30-s window may turn
/// between the two readings).
fn assert_same_code(path: &str, entry: &str, account: &Account) {
    let before = unix_now();
    let shown = keepassxc(&["show", "-q", "-t", path, entry], 1);
    let after = unix_now();
    let ours = [before, after].map(|t| account.otp.codes_at(t).current.as_str().to_owned());
    assert!(
        ours.contains(&shown.trim().to_owned()),
        "{entry}: KeePassXC {shown:?}, Tessera {ours:?}"
    );
}

fn find<'a>(accounts: &'a [Account], issuer: &str) -> &'a Account {
    accounts
        .iter()
        .find(|a| a.issuer == issuer)
        .unwrap_or_else(|| panic!("no {issuer} account"))
}

#[test]
fn keepassxc_databases_import_exactly() {
    if !keepassxc_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kdbx = make_database(dir.path());
    let bytes = std::fs::read(&kdbx).unwrap();
    let imported = import(&bytes, Some(PASSWORD.as_bytes()), None, 0).unwrap();
    assert_eq!(imported.format, Format::KeePass);
    assert!(imported.failures().is_empty(), "{:?}", imported.failures());
    let accounts: Vec<Account> = imported.accounts().into_iter().map(|(a, _)| a).collect();
    // Four codes; the plain password and the recycle bin's entry stay out.
    assert_eq!(accounts.len(), 4, "{accounts:?}");
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.starts_with("1 entries without")),
        "{:?}",
        imported.notes
    );

    let entra = find(&accounts, "Microsoft");
    assert_eq!(
        (
            entra.name.as_str(),
            entra.tenant.as_str(),
            entra.note.as_str()
        ),
        (
            "admin@contoso.com",
            "Contoso Ltd",
            "Anna's phone too; re-enrol: aka.ms/mfasetup"
        )
    );
    assert_eq!(entra.tags, ["Customers/Contoso"]);
    assert_eq!(find(&accounts, "Steam").otp.kind(), OtpKind::Steam);
    let vpn = find(&accounts, "VPN");
    assert_eq!(
        (vpn.otp.kind(), vpn.otp.digits()),
        (OtpKind::Totp { period: 60 }, 8)
    );
    let door = find(&accounts, "Door");
    assert_eq!(
        (door.name.as_str(), door.otp.kind()),
        ("tech", OtpKind::Hotp { counter: 7 })
    );
    // RFC 4226's secret at counter 7: 162583.
    assert_eq!(door.otp.codes_at(0).current.as_str(), "162583");

    // The codes KeePassXC itself shows (a 30-s window may turn between the two readings).
    let path = kdbx.to_str().unwrap();
    for (entry, account) in [
        ("Customers/Contoso/Contoso admin", entra),
        ("Customers/Contoso/Steam", find(&accounts, "Steam")),
    ] {
        assert_same_code(path, entry, account);
    }
    // KeePass 2's fields against oathtool (SHA-256, 8 digits, 60 s).
    if Command::new("oathtool").arg("--version").output().is_ok() {
        let before = unix_now();
        let out = Command::new("oathtool")
            .args([
                "--totp=sha256",
                "-d",
                "8",
                "-s",
                "60",
                "-b",
                "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ",
            ])
            .output()
            .unwrap();
        let after = unix_now();
        let theirs = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let ours = [before, after].map(|t| vpn.otp.codes_at(t).current.as_str().to_owned());
        assert!(
            ours.contains(&theirs),
            "oathtool {theirs}, Tessera {ours:?}"
        );
    }

    // A wrong password says so.
    assert_eq!(
        import(&bytes, Some(b"wrong"), None, 0).unwrap_err(),
        TransferError::WrongPassword { format: "KeePass" }
    );
    assert_eq!(
        import(&bytes, None, None, 0).unwrap_err(),
        TransferError::NeedsPassword { format: "KeePass" }
    );
}

/// A KDBX 4 header whose Argon2 asks for 2 GiB: refused from the header, before any
/// derivation (a hostile file cannot take the memory).
#[test]
fn a_costly_key_derivation_is_refused_unread() {
    let mut dict = vec![0x00, 0x01];
    for (name, value) in [("M", 2u64 << 30), ("I", 2)] {
        dict.push(0x05);
        dict.extend((name.len() as u32).to_le_bytes());
        dict.extend(name.as_bytes());
        dict.extend(8u32.to_le_bytes());
        dict.extend(value.to_le_bytes());
    }
    dict.push(0x00);
    let mut file = vec![
        0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0x01, 0x00, 0x04, 0x00,
    ];
    file.push(11);
    file.extend((dict.len() as u32).to_le_bytes());
    file.extend(&dict);
    file.push(0);
    file.extend(4u32.to_le_bytes());
    file.extend(b"\r\n\r\n");
    file.extend([0u8; 64]);
    let error = import(&file, Some(b"pw"), None, 0).unwrap_err();
    assert!(
        matches!(
            error,
            TransferError::Refused {
                format: "KeePass",
                ..
            }
        ) && error.to_string().contains("1 GiB"),
        "{error}"
    );
    // Cut short anywhere in the header: damaged, never a panic.
    for end in 0..file.len().min(60) {
        let _ = import(&file[..end], Some(b"pw"), Some(Format::KeePass), 0);
    }
}

/// What Tessera exports opens in KeePassXC with the same codes, one group per tenant, and
/// reads back into Tessera whole.
#[test]
fn an_exported_database_opens_in_keepassxc_with_the_same_codes() {
    use tessera_core::otp::parse_otpauth;
    use tessera_core::transfer::export::{ExportFormat, write};

    if !keepassxc_available() {
        return;
    }
    let account = |uri: &str, tenant: &str, note: &str, tags: &[&str]| {
        let mut a = Account::new(parse_otpauth(uri).unwrap(), 0);
        a.tenant = tenant.into();
        a.note = note.into();
        a.tags = tags.iter().map(|t| t.to_string()).collect();
        a
    };
    let accounts = [
        account(
            "otpauth://totp/Contoso%20Ltd:admin%40contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft",
            "Contoso Ltd",
            "Anna's phone\nre-enrol: aka.ms/mfasetup",
            &["m365", "break-glass"],
        ),
        account(
            "otpauth://totp/GitHub:tech?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub&algorithm=SHA256&digits=8&period=60",
            "",
            "",
            &[],
        ),
        account("steam://KRSXG5CTMVRXEZLU", "", "", &[]),
        account(
            "otpauth://hotp/Door:tech?secret=MFRGGZDFMZTWQ2LK&issuer=Door&counter=4",
            "Fabrikam",
            "",
            &[],
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.kdbx");
    let refs: Vec<&Account> = accounts.iter().collect();
    write(
        ExportFormat::KeePass,
        &refs,
        &file,
        Some(PASSWORD.as_bytes()),
    )
    .unwrap();
    let path = file.to_str().unwrap();

    let listed = keepassxc(&["ls", "-q", "-R", "-f", path], 1);
    for line in ["Contoso Ltd/Microsoft", "GitHub", "Steam", "Fabrikam/Door"] {
        assert!(
            listed.lines().any(|l| l.trim() == line),
            "{line} not in:\n{listed}"
        );
    }
    for (entry, account) in [
        ("Contoso Ltd/Microsoft", &accounts[0]),
        ("GitHub", &accounts[1]),
        ("Steam", &accounts[2]),
    ] {
        assert_same_code(path, entry, account);
    }
    let notes = keepassxc(
        &["show", "-q", "-a", "Notes", path, "Contoso Ltd/Microsoft"],
        1,
    );
    assert_eq!(notes.trim_end(), accounts[0].note);

    // Back into Tessera: every account, with its kind, note, tenant and tags.
    let imported = import(
        &std::fs::read(&file).unwrap(),
        Some(PASSWORD.as_bytes()),
        None,
        0,
    )
    .unwrap();
    let back: Vec<Account> = imported.accounts().into_iter().map(|(a, _)| a).collect();
    assert_eq!(back.len(), 4);
    for original in &accounts {
        let found = back
            .iter()
            .find(|a| a.otp == original.otp)
            .expect("the same seed and parameters");
        assert_eq!(
            (&found.issuer, &found.name, &found.note),
            (&original.issuer, &original.name, &original.note)
        );
        assert_eq!(
            (&found.tenant, &found.tags),
            (&original.tenant, &original.tags)
        );
    }
    // No password, no file.
    assert!(matches!(
        write(
            ExportFormat::KeePass,
            &refs,
            &dir.path().join("none.kdbx"),
            None
        ),
        Err(TransferError::NeedsPassword { .. })
    ));
}

/// Databases locked with a key file, as KeePassXC makes them: its own XML key file (version 2,
/// with the password and alone) and any file at all used as one. The right key file opens
/// them; a missing or other one says the password and key file do not open it.
#[test]
fn key_files_open_keepassxc_databases() {
    if !keepassxc_available() {
        return;
    }
    use tessera_core::transfer::import::import_with_key_file;
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("db.xml");
    std::fs::write(&xml, database_xml()).unwrap();
    let generated = dir.path().join("generated.keyx");
    let photo = dir.path().join("photo.jpg");
    std::fs::write(&photo, (0..=255u8).cycle().take(3000).collect::<Vec<_>>()).unwrap();
    for (name, key_file, with_password) in [
        ("xml-key.kdbx", &generated, true),
        ("key-only.kdbx", &generated, false),
        ("photo-key.kdbx", &photo, true),
    ] {
        let kdbx = dir.path().join(name);
        let mut args = vec![
            "import",
            "-t",
            "100",
            "--set-key-file",
            key_file.to_str().unwrap(),
        ];
        if with_password {
            args.push("-p");
        }
        args.extend([xml.to_str().unwrap(), kdbx.to_str().unwrap()]);
        keepassxc(&args, if with_password { 2 } else { 0 });
        let bytes = std::fs::read(&kdbx).unwrap();
        let key = std::fs::read(key_file).unwrap();
        let password = with_password.then_some(PASSWORD.as_bytes());
        let imported = import_with_key_file(&bytes, password, Some(&key), None, 0)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(imported.accounts().len(), 4, "{name}");
        assert!(imported.failures().is_empty(), "{name}");
        let wrong = import_with_key_file(&bytes, password, Some(b"not the key"), None, 0);
        assert_eq!(
            wrong.map(|i| i.format),
            Err(TransferError::WrongKeyFile { format: "KeePass" }),
            "{name}"
        );
        if with_password {
            // The password alone is not enough.
            assert_eq!(
                import(&bytes, password, None, 0).map(|i| i.format),
                Err(TransferError::WrongPassword { format: "KeePass" }),
                "{name}"
            );
        } else {
            assert_eq!(
                import(&bytes, None, None, 0).map(|i| i.format),
                Err(TransferError::NeedsPassword { format: "KeePass" }),
                "{name}"
            );
        }
    }
    let error = TransferError::WrongKeyFile { format: "KeePass" };
    assert!(error.advice().contains("key file"), "{}", error.advice());
}
