//! What migrating brings into the app beyond plain codes: Yandex and mOTP (a QR code without
//! its PIN asks for it, the Type form takes both kinds with a PIN, nothing shows the PIN), and
//! KeePass databases locked with a key file.

#[path = "support/app.rs"]
mod support;
use support::unlocked;

use tessera::app::add::DraftKind;
use tessera::app::{AddOutcome, Draft, ImportJob, NewMeta, Progress, Source};
use tessera_core::otp::OtpKind;

/// Yandex's own QR code: no PIN, only its length (Aegis's test vector secret, PIN 7586).
const YANDEX_QR: &str =
    "otpauth://yaotp/alice?secret=LA2V6KMCGYMWWVEW64RNP3JA3I&name=alice&pin_length=4";

#[test]
fn a_yandex_qr_code_asks_for_the_pin_then_adds_the_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let meta = NewMeta::default();
    let request = match state.add_text(YANDEX_QR, &meta).unwrap() {
        AddOutcome::NeedsPin(request) => request,
        other => panic!("expected a PIN request: {other:?}"),
    };
    assert_eq!(request.kind, "Yandex");
    let shown = format!("{request:?}");
    assert!(!shown.contains("LA2V"), "{shown}");
    // No PIN typed: the request stays, with advice.
    let error = state.add_with_pin(&request, "  ", &meta).unwrap_err();
    assert!(error.message().contains("PIN"), "{}", error.message());
    assert_eq!(state.live_count(), 0);
    let ids = match state.add_with_pin(&request, "7586", &meta).unwrap() {
        AddOutcome::Added { ids, .. } => ids,
        other => panic!("not added: {other:?}"),
    };
    let account = state.account(ids[0]).unwrap();
    assert_eq!(account.issuer, "Yandex");
    assert_eq!(account.otp.code_at(1581064020).as_str(), "oactmacq");
}

#[test]
fn the_type_form_takes_yandex_and_motp_with_a_pin() {
    let (digits, number) = DraftKind::Motp.defaults();
    let mut draft = Draft {
        issuer: "Mobile".into(),
        name: "vpn".into(),
        secret: "e3152afe e62599c8".into(),
        kind: DraftKind::Motp,
        digits: digits.to_string(),
        number: number.to_string(),
        ..Draft::default()
    };
    assert_eq!(
        draft.secret_problem(),
        None,
        "hex is the mOTP secret's form"
    );
    assert!(draft.build().unwrap_err().message().contains("PIN"));
    *draft.pin = "1234".into();
    let shown = format!("{draft:?}");
    assert!(
        !shown.contains("1234") && !shown.contains("e3152afe"),
        "{shown}"
    );
    let enrolment = draft.build().unwrap();
    assert_eq!(enrolment.otp.kind(), OtpKind::Motp { period: 10 });
    assert_eq!(enrolment.otp.code_at(165892298).as_str(), "e7d8b6");

    draft.kind = DraftKind::Yandex;
    assert!(draft.secret_problem().is_some(), "hex is not Base32");
    draft.secret = "LA2V6KMCGYMWWVEW64RNP3JA3IAAAAAAHTSG4HRZPI".into();
    let (digits, number) = DraftKind::Yandex.defaults();
    (draft.digits, draft.number) = (digits.to_string(), number.to_string());
    *draft.pin = "7586".into();
    let enrolment = draft.build().unwrap();
    assert_eq!(enrolment.otp.code_at(1581064020).as_str(), "oactmacq");
    // A mistyped full-length secret fails its checksum.
    draft.secret = "AA2V6KMCGYMWWVEW64RNP3JA3IAAAAAAHTSG4HRZPI".into();
    assert!(draft.build().unwrap_err().message().contains("checksum"));
}

#[test]
fn a_keepass_key_file_goes_with_the_import_job() {
    let found = std::process::Command::new("keepassxc-cli")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_KEEPASSXC").is_none(),
            "keepassxc-cli is required (TESSERA_REQUIRE_KEEPASSXC is set): apt-get install keepassxc"
        );
        eprintln!("note: KeePass key-file test skipped: keepassxc-cli is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("db.xml");
    std::fs::write(
        &xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><KeePassFile><Meta><DatabaseName>MSP</DatabaseName></Meta>\
         <Root><Group><UUID>AAAAAAAAAAAAAAAAAAAAAA==</UUID><Name>Root</Name>\
         <Entry><UUID>AQEBAQEBAQEBAQEBAQEBAQ==</UUID><String><Key>Title</Key><Value>Fabrikam</Value></String>\
         <String><Key>otp</Key><Value>otpauth://totp/Fabrikam:tech?secret=JBSWY3DPEHPK3PXP&amp;issuer=Fabrikam</Value></String>\
         </Entry></Group></Root></KeePassFile>",
    )
    .unwrap();
    let (kdbx, key) = (dir.path().join("key.kdbx"), dir.path().join("k.keyx"));
    let made = std::process::Command::new("keepassxc-cli")
        .args(["import", "-q", "-t", "100", "--set-key-file"])
        .args([&key, &xml, &kdbx])
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let job = |key_file: Option<Vec<u8>>| {
        ImportJob::new(Source::Path(kdbx.clone()), String::new().into())
            .with_key_file(key_file.map(Into::into))
            .run(&Progress::default())
    };
    let error = job(None).unwrap_err();
    assert!(error.message().contains("password"), "{}", error.message());
    let error = job(Some(b"another key".to_vec())).unwrap_err();
    assert!(error.advice().contains("key file"), "{}", error.advice());
    let imported = job(Some(std::fs::read(&key).unwrap())).unwrap();
    assert_eq!(imported.accounts()[0].0.issuer, "Fabrikam");
}
