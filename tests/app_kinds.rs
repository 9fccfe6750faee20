//! Yandex and mOTP in the app: a QR code without its PIN asks for it, the Type form takes both
//! kinds with a PIN, and nothing shows the PIN.

#[path = "support/app.rs"]
mod support;
use support::unlocked;

use tessera::app::add::DraftKind;
use tessera::app::{AddOutcome, Draft, NewMeta};
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
