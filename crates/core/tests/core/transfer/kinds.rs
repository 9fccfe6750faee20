//! Yandex and mOTP accounts from the files of the apps that hold them (Aegis, Stratum, andOTP),
//! in the shapes those apps write, and back out to Aegis and KeePass.

use tessera_core::otp::{Account, OtpKind};
use tessera_core::transfer::export::{aegis, keepass};
use tessera_core::transfer::import::{Format, import};

/// Aegis's `YAOTPTest` vector: PIN 7586, at 1581064020 the code is `oactmacq`.
const YANDEX_SECRET: &str = "LA2V6KMCGYMWWVEW64RNP3JA3IAAAAAAHTSG4HRZPI";
/// Aegis's `MOTPTest` vector: PIN 1234, at 165892298 the code is `e7d8b6`.
const MOTP_HEX: &str = "e3152afee62599c8";

fn check_yandex(a: &Account) {
    assert_eq!(a.otp.kind(), OtpKind::Yandex { period: 30 });
    assert_eq!(a.otp.pin().unwrap().expose(), b"7586");
    assert_eq!(a.otp.code_at(1581064020).as_str(), "oactmacq");
}

fn check_motp(a: &Account) {
    assert_eq!(a.otp.kind(), OtpKind::Motp { period: 10 });
    assert_eq!(a.otp.pin().unwrap().expose(), b"1234");
    assert_eq!(a.otp.code_at(165892298).as_str(), "e7d8b6");
}

/// An Aegis vault (content version 3) with entries as Aegis's `YandexInfo` and `MotpInfo`
/// write them: the secret in Base32 of its bytes, `algo` `SHA256` and `MD5`, `pin` in `info`.
#[test]
fn aegis_yandex_and_motp_entries_import_with_their_pins() {
    let file = format!(
        r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":3,"entries":[
        {{"type":"yandex","uuid":"8a5e0f9b-8a2c-4c52-9b1f-6c9d0b0e7a11","name":"alice","issuer":"Yandex","note":"","favorite":false,"icon":null,
          "info":{{"secret":"{}","algo":"SHA256","digits":8,"period":30,"pin":"7586"}},"groups":[]}},
        {{"type":"motp","uuid":"1b0c7a2e-3d4f-4e5a-8b6c-7d8e9f0a1b2c","name":"vpn","issuer":"Mobile","note":"card","favorite":false,"icon":null,
          "info":{{"secret":"4MKSV7XGEWM4Q","algo":"MD5","digits":6,"period":10,"pin":"1234"}},"groups":[]}}
        ],"groups":[]}}}}"#,
        &YANDEX_SECRET[..26]
    );
    let imported = import(file.as_bytes(), None, None, 0).unwrap();
    assert_eq!(imported.format, Format::Aegis);
    assert!(imported.failures().is_empty(), "{:?}", imported.failures());
    let accounts = imported.accounts();
    check_yandex(&accounts[0].0);
    check_motp(&accounts[1].0);
    assert_eq!(accounts[1].0.note, "card");
}

/// Stratum's backup as its `Authenticator` entity serialises: `Type` 5 (Yandex, the 42-character
/// secret with its checksum) and 3 (mOTP, the secret as hex text), each with `Pin`.
#[test]
fn stratum_yandex_and_motp_entries_import_with_their_pins() {
    let file = format!(
        r#"{{"Authenticators":[
        {{"Type":5,"Icon":null,"Issuer":"Yandex","Username":"alice","Secret":"{YANDEX_SECRET}","Pin":"7586","Algorithm":1,"Digits":8,"Period":30,"Counter":0,"CopyCount":0,"Ranking":0}},
        {{"Type":3,"Icon":null,"Issuer":"Mobile","Username":"vpn","Secret":"{MOTP_HEX}","Pin":"1234","Algorithm":3,"Digits":6,"Period":10,"Counter":0,"CopyCount":0,"Ranking":1}},
        {{"Type":3,"Icon":null,"Issuer":"Mobile","Username":"no pin","Secret":"{MOTP_HEX}","Pin":null,"Algorithm":3,"Digits":6,"Period":10,"Counter":0,"CopyCount":0,"Ranking":2}}
        ],"Categories":[],"AuthenticatorCategories":[],"CustomIcons":[]}}"#
    );
    let imported = import(file.as_bytes(), None, None, 0).unwrap();
    assert_eq!(imported.format, Format::Stratum);
    let accounts = imported.accounts();
    assert_eq!(accounts.len(), 2);
    check_yandex(&accounts[0].0);
    check_motp(&accounts[1].0);
    let failures = imported.failures();
    assert_eq!(failures.len(), 1);
    assert!(failures[0].reason.contains("PIN"), "{}", failures[0]);
}

/// andOTP keeps an mOTP secret as the hex text typed in (Base32 of those characters) and never
/// the PIN: the entry is reported, with what to do, and the rest of the file imports.
#[test]
fn andotp_motp_entries_without_a_pin_say_what_to_do() {
    let file = r#"[
      {"secret":"MUZTCNJSMFTGKZJWGI2TSOLDHA","issuer":"Mobile","label":"vpn","digits":6,"type":"MOTP","algorithm":"SHA1","thumbnail":"Default","last_used":0,"used_frequency":0,"period":10,"tags":[]},
      {"secret":"JBSWY3DPEHPK3PXP","issuer":"Deno","label":"Mason","digits":6,"type":"TOTP","algorithm":"SHA1","thumbnail":"Default","last_used":0,"used_frequency":0,"period":30,"tags":[]}
    ]"#;
    let imported = import(file.as_bytes(), None, None, 0).unwrap();
    assert_eq!(imported.format, Format::AndOtp);
    assert_eq!(imported.accounts().len(), 1);
    let failures = imported.failures();
    assert_eq!(failures.len(), 1);
    assert!(
        failures[0].reason.contains("mOTP") && failures[0].reason.contains("by hand"),
        "{}",
        failures[0]
    );
}

/// What Tessera writes for Aegis and KeePass brings the PINs back.
#[test]
fn aegis_and_keepass_exports_keep_yandex_and_motp() {
    let stratum = format!(
        r#"{{"Authenticators":[
        {{"Type":5,"Issuer":"Yandex","Username":"alice","Secret":"{YANDEX_SECRET}","Pin":"7586","Algorithm":1,"Digits":8,"Period":30,"Counter":0}},
        {{"Type":3,"Issuer":"Mobile","Username":"vpn","Secret":"{MOTP_HEX}","Pin":"1234","Algorithm":3,"Digits":6,"Period":10,"Counter":0}}
        ]}}"#
    );
    let accounts: Vec<Account> = import(stratum.as_bytes(), None, None, 0)
        .unwrap()
        .accounts()
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let refs: Vec<&Account> = accounts.iter().collect();
    let aegis_file = aegis::export(&refs, None);
    let json: serde_json::Value = serde_json::from_slice(&aegis_file).unwrap();
    let entries = &json["db"]["entries"];
    assert_eq!(entries[0]["type"], "yandex");
    assert_eq!(entries[0]["info"]["pin"], "7586");
    assert_eq!(
        (&entries[1]["type"], &entries[1]["info"]["algo"]),
        (&"motp".into(), &"MD5".into())
    );
    let kdbx = keepass::export(&refs, b"kp").unwrap();
    for (file, password) in [
        (aegis_file.to_vec(), None),
        (kdbx.to_vec(), Some(&b"kp"[..])),
    ] {
        let back = import(&file, password, None, 0).unwrap();
        assert!(back.failures().is_empty(), "{:?}", back.failures());
        let back = back.accounts();
        check_yandex(&back[0].0);
        check_motp(&back[1].0);
    }
}
