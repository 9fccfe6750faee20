//! Classification of QR/clipboard text, and the guidance for payloads Tessera cannot use.

use tessera_core::otp::{
    MigrationError, OtpError, Payload, PayloadError, SecretError, UriError, parse_payload,
};

payload_err!(
    phonefactor,
    "phonefactor://activate_account?code=123456789&url=https%3A%2F%2Fmobileappcommunicator.auth.microsoft.com%2Factivate%2F123",
    PayloadError::MicrosoftPush
);
payload_err!(
    activate_account_link,
    "https://login.microsoftonline.com/authenticatorApp/activateAccount?code=abc&url=https://mobileappcommunicator.auth.microsoft.com",
    PayloadError::MicrosoftPush
);
payload_err!(
    activate_account_any_case,
    "HTTPS://LOGIN.MICROSOFTONLINE.COM/authenticatorapp/ActivateAccount?x=1",
    PayloadError::MicrosoftPush
);
payload_err!(
    web_link,
    "https://example.com/login?token=abc",
    PayloadError::WebLink { .. }
);
payload_err!(
    lookalike_host_is_a_web_link,
    "https://login.microsoftonline.com.evil.example/authenticatorApp/activateAccount",
    PayloadError::WebLink { .. }
);
payload_err!(plain_text, "Hello, world", PayloadError::PlainText { .. });
payload_err!(
    wrong_prefix,
    "QR-Code:otpauth-migration://offline?data=CjUKEPql",
    PayloadError::PlainText { .. }
);
payload_err!(empty, "  \n ", PayloadError::Empty);
payload_err!(
    yandex_without_pin,
    "otpauth://yaotp/user?secret=LA2V6KMCGYMWWVEW64RNP3JA3I&pin_length=4",
    PayloadError::Uri(UriError::Otp(OtpError::PinMissing("Yandex")))
);
payload_err!(
    motp_without_pin,
    "motp://Mobile:m?secret=e3152afee62599c8",
    PayloadError::Uri(UriError::Otp(OtpError::PinMissing("mOTP")))
);
payload_err!(
    other_kind,
    "otpauth://xyz/user?secret=JBSWY3DPEHPK3PXP",
    PayloadError::OtherScheme { .. }
);
payload_err!(
    bad_secret,
    "otpauth://totp/x?secret=12345",
    PayloadError::Uri(UriError::Secret(SecretError::BadCharacter { .. }))
);
payload_err!(
    bad_migration,
    "otpauth-migration://offline?data=XXXX",
    PayloadError::Migration(MigrationError::Protobuf)
);

#[test]
fn microsoft_push_guidance_names_the_buttons() {
    let error = parse_payload("phonefactor://activate_account?code=1").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Microsoft Authenticator notifications")
    );
    assert!(
        error
            .advice()
            .contains("I want to use a different authenticator app")
    );
    assert!(
        error
            .advice()
            .contains("Configure app without notifications")
    );
}

#[test]
fn web_link_errors_show_the_host_only() {
    let error = parse_payload("https://user:pw@Example.COM:8443/reset?token=SECRET").unwrap_err();
    assert_eq!(
        error,
        PayloadError::WebLink {
            host: "example.com:8443".into()
        }
    );
    assert!(!error.to_string().contains("SECRET"));
}

#[test]
fn accounts_and_batches_are_recognised() {
    let Ok(Payload::Account(e)) =
        parse_payload("\u{feff} otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP \n")
    else {
        panic!("an account")
    };
    assert_eq!(e.issuer, "A");
    let Ok(Payload::Migration(batch)) = parse_payload(
        "otpauth-migration://offline?data=CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D",
    ) else {
        panic!("a batch")
    };
    assert_eq!(
        (batch.info.index, batch.info.size, batch.entries.len()),
        (0, 1, 1)
    );
}

#[test]
fn every_error_has_advice() {
    for text in [
        "",
        "hello",
        "https://a.b",
        "phonefactor://x",
        "motp://x",
        "otpauth://totp/x?secret=1",
        "otpauth-migration://offline?data=!",
    ] {
        let error = parse_payload(text).unwrap_err();
        assert!(error.advice().len() > 20, "{text}: {error}");
    }
}

#[test]
fn a_pasted_bare_secret_is_named_and_never_echoed() {
    // As Microsoft's "Can't scan the image?" page shows it, and as other services do.
    for text in [
        "abcd efgh ijkl mnop",
        "JBSWY3DPEHPK3PXP",
        "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV",
        "JBSWY3DPEHPK3PXP====",
    ] {
        let error = parse_payload(text).unwrap_err();
        assert_eq!(error, PayloadError::BareSecret, "{text}");
        let said = format!("{error} {}", error.advice());
        assert!(!said.contains(text), "{said}");
        assert!(!said.to_lowercase().contains("abcd"), "{said}");
        // Said in words for any surface: the app names its Type tab, the command line its flag.
        assert!(
            said.contains("typing it in") && !said.contains("--"),
            "{said}"
        );
    }
    // Short words and other text are plain text, and plain text is never echoed either.
    for text in [
        "HELLO",
        "Hello, world",
        "correct horse battery 1",
        "JBSWY3DP 1EHPK3PXP",
    ] {
        let error = parse_payload(text).unwrap_err();
        assert!(
            matches!(error, PayloadError::PlainText { .. }),
            "{text}: {error:?}"
        );
        assert!(!error.to_string().contains(text), "{error}");
    }
}
