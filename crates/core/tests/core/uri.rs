//! `otpauth://` URIs: the Aegis/GNOME vector files, lenient forms, errors, and the round trip.

use proptest::prelude::*;
use tessera_core::otp::{
    Algorithm, Enrolment, Otp, OtpError, OtpKind, Secret, SecretError, UriError, parse_otpauth,
    to_otpauth,
};

use crate::shared;

/// The Aegis reference entries A1-A7 (shared/fixtures/README.md, section 1).
pub const AEGIS_VECTORS: [(&str, &str, &str, OtpKind, Algorithm, u8); 7] = [
    (
        "Deno",
        "Mason",
        "4SJHB4GSD43FZBAI7C2HLRJGPQ",
        OtpKind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
    ),
    (
        "SPDX",
        "James",
        "5OM4WOOGPLQEF6UGN3CPEOOLWU",
        OtpKind::Totp { period: 20 },
        Algorithm::Sha256,
        7,
    ),
    (
        "Airbnb",
        "Elijah",
        "7ELGJSGXNCCTV3O6LKJWYFV2RA",
        OtpKind::Totp { period: 50 },
        Algorithm::Sha512,
        8,
    ),
    (
        "Issuu",
        "James",
        "YOOMIXWS5GN6RTBPUFFWKTW5M4",
        OtpKind::Hotp { counter: 1 },
        Algorithm::Sha1,
        6,
    ),
    (
        "Air Canada",
        "Benjamin",
        "KUVJJOM753IHTNDSZVCNKL7GII",
        OtpKind::Hotp { counter: 50 },
        Algorithm::Sha256,
        7,
    ),
    (
        "WWE",
        "Mason",
        "5VAML3X35THCEBVRLV24CGBKOY",
        OtpKind::Hotp { counter: 10300 },
        Algorithm::Sha512,
        8,
    ),
    (
        "Boeing",
        "Sophia",
        "JRZCL47CMXVOQMNPZR2F7J4RGI",
        OtpKind::Steam,
        Algorithm::Sha1,
        5,
    ),
];

fn assert_vector(enrolment: &Enrolment, index: usize) {
    let (issuer, name, secret, kind, algorithm, digits) = AEGIS_VECTORS[index];
    assert_eq!(enrolment.issuer, issuer, "A{}", index + 1);
    assert_eq!(enrolment.name, name, "A{}", index + 1);
    assert_eq!(
        enrolment.otp.secret().to_base32().as_str(),
        secret,
        "A{}",
        index + 1
    );
    assert_eq!(enrolment.otp.kind(), kind, "A{}", index + 1);
    assert_eq!(enrolment.otp.algorithm(), algorithm, "A{}", index + 1);
    assert_eq!(enrolment.otp.digits(), digits, "A{}", index + 1);
}

/// Aegis `importers/plain.txt` and GNOME `plain.txt`: A1-A7 in order; line 5 has `Air%20Canada`
/// in the label and `Air+Canada` in `issuer=`.
#[test]
fn plain_uri_lists_hold_the_aegis_vectors() {
    let Some(dir) = shared::dir("plain_uri_lists_hold_the_aegis_vectors") else {
        return;
    };
    for file in ["aegis/importers/plain.txt", "gnome-authenticator/plain.txt"] {
        let text = shared::read(&dir, file);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 7, "{file}");
        for (index, line) in lines.iter().enumerate() {
            let enrolment =
                parse_otpauth(line).unwrap_or_else(|e| panic!("{file} line {}: {e}", index + 1));
            assert_vector(&enrolment, index);
        }
    }
}

/// Ente's plain export: lower-case `algorithm=sha512`, a stray `period=` on HOTP, a different
/// parameter order, and an unknown `codeDisplay` parameter.
#[test]
fn ente_plain_export_reads_with_unknown_parameters() {
    let Some(dir) = shared::dir("ente_plain_export_reads_with_unknown_parameters") else {
        return;
    };
    let text = shared::read(&dir, "aegis/importers/ente_auth.txt");
    let mut seen = [false; 7];
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let enrolment = parse_otpauth(line).unwrap_or_else(|e| panic!("{e}"));
        let index = AEGIS_VECTORS
            .iter()
            .position(|v| v.2 == enrolment.otp.secret().to_base32().as_str())
            .expect("a known secret");
        assert_vector(&enrolment, index);
        seen[index] = true;
    }
    assert_eq!(seen, [true; 7]);
}

#[test]
fn issuer_parameter_wins_over_label_prefix() {
    let e = parse_otpauth(
        "otpauth://totp/Contoso%20Ltd:alice@contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft",
    )
    .unwrap();
    assert_eq!(
        (e.issuer.as_str(), e.name.as_str(), e.tenant.as_str()),
        ("Microsoft", "alice@contoso.com", "Contoso Ltd")
    );
    let e = parse_otpauth("otpauth://totp/Contoso:alice?secret=JBSWY3DPEHPK3PXP").unwrap();
    assert_eq!((e.issuer.as_str(), e.name.as_str()), ("Contoso", "alice"));
    let e = parse_otpauth("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&issuer=Contoso").unwrap();
    assert_eq!((e.issuer.as_str(), e.name.as_str()), ("Contoso", "alice"));
    // An empty parameter does not erase the label prefix.
    let e = parse_otpauth("otpauth://totp/Contoso:alice?secret=JBSWY3DPEHPK3PXP&issuer=").unwrap();
    assert_eq!(e.issuer, "Contoso");
}

/// Microsoft Entra's codes name the organisation in the label and `Microsoft` in `issuer=`:
/// the organisation becomes the tenant, in each spelling Entra and its copies use.
#[test]
fn entra_label_prefixes_become_the_tenant() {
    let secret = "secret=JBSWY3DPEHPK3PXP&issuer=Microsoft";
    for (label, tenant, name) in [
        (
            "Contoso%20Ltd:admin%40contoso.com",
            "Contoso Ltd",
            "admin@contoso.com",
        ),
        (
            "Some+Company%3ame%40fabrikam.com",
            "Some Company",
            "me@fabrikam.com",
        ),
        (
            "Some%20Company%3Ame%40fabrikam.com",
            "Some Company",
            "me@fabrikam.com",
        ),
        (
            "Fabrikam: guest+tech@msp.example",
            "Fabrikam",
            "guest+tech@msp.example",
        ),
        // The same organisation as the issuer, in another case, is no tenant.
        ("microsoft:admin@contoso.com", "", "admin@contoso.com"),
        ("admin@contoso.com", "", "admin@contoso.com"),
    ] {
        let e = parse_otpauth(&format!("otpauth://totp/{label}?{secret}")).unwrap();
        assert_eq!(
            (e.issuer.as_str(), e.tenant.as_str(), e.name.as_str()),
            ("Microsoft", tenant, name),
            "{label}"
        );
        // Written back as Entra writes it, and read again the same.
        let again = parse_otpauth(&to_otpauth(&e)).unwrap();
        assert_eq!(again, e, "{label}");
        if !tenant.is_empty() {
            assert!(to_otpauth(&e).contains(&format!("/{}:", tenant.replace(' ', "%20"))));
        }
    }
    // With no issuer parameter the prefix is the issuer, as before.
    let e = parse_otpauth("otpauth://totp/Contoso%20Ltd:alice?secret=JBSWY3DPEHPK3PXP").unwrap();
    assert_eq!((e.issuer.as_str(), e.tenant.as_str()), ("Contoso Ltd", ""));
}

#[test]
fn lenient_forms() {
    let e = parse_otpauth("OTPAUTH://TOTP/Example%3A%20alice%40google.com?SECRET=jbsw%20y3dp%20ehpk%203pxp%3D%3D&Algorithm=sha256&Digits=8&Period=60&extra=1").unwrap();
    assert_eq!(
        (e.issuer.as_str(), e.name.as_str()),
        ("Example", "alice@google.com")
    );
    assert_eq!(e.otp.secret().to_base32().as_str(), "JBSWY3DPEHPK3PXP");
    assert_eq!(
        (e.otp.kind(), e.otp.algorithm(), e.otp.digits()),
        (OtpKind::Totp { period: 60 }, Algorithm::Sha256, 8)
    );
    // Defaults.
    let e = parse_otpauth("otpauth://totp/?secret=JBSWY3DPEHPK3PXP").unwrap();
    assert_eq!((e.issuer.as_str(), e.name.as_str()), ("", ""));
    assert_eq!(
        (e.otp.kind(), e.otp.algorithm(), e.otp.digits()),
        (OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6)
    );
    let e = parse_otpauth("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551615")
        .unwrap();
    assert_eq!(e.otp.kind(), OtpKind::Hotp { counter: u64::MAX });
    // Proton's stored label ":cool@ente.com": the empty prefix is dropped.
    let e = parse_otpauth("otpauth://totp/:cool@ente.com?secret=554VBDOGJRLDG2JV").unwrap();
    assert_eq!((e.issuer.as_str(), e.name.as_str()), ("", "cool@ente.com"));
}

#[test]
fn steam_in_all_three_spellings() {
    for uri in [
        "otpauth://steam/Steam:gaben?secret=JRZCL47CMXVOQMNPZR2F7J4RGI",
        "otpauth://totp/Steam:gaben?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&encoder=steam&digits=5",
        "steam://JRZCL47CMXVOQMNPZR2F7J4RGI",
    ] {
        let e = parse_otpauth(uri).unwrap();
        assert_eq!(e.otp.kind(), OtpKind::Steam, "{uri}");
        assert_eq!(e.issuer, "Steam", "{uri}");
        assert_eq!(
            e.otp.codes_at(1_700_000_000).current.as_str(),
            "747JR",
            "{uri}"
        );
    }
}

#[test]
fn canonical_output() {
    let e = parse_otpauth("otpauth://totp/ACME%20Co:john.doe@email.com?secret=hxdm vjec jjws rb3h wizr 4ifu gftm xboz&issuer=ACME+Co").unwrap();
    assert_eq!(
        to_otpauth(&e).as_str(),
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"
    );
    let e = parse_otpauth("otpauth://hotp/a%3Ab?secret=JBSWY3DPEHPK3PXP&counter=7").unwrap();
    assert_eq!((e.issuer.as_str(), e.name.as_str()), ("a", "b"));
    let steam = parse_otpauth("steam://JRZCL47CMXVOQMNPZR2F7J4RGI").unwrap();
    assert_eq!(
        to_otpauth(&steam).as_str(),
        "otpauth://steam/Steam:?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Steam"
    );
}

uri_err!(
    bad_digits,
    "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12",
    UriError::Otp(OtpError::Digits(_))
);
uri_err!(
    digits_not_a_number,
    "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=six",
    UriError::Otp(OtpError::Digits(_))
);
uri_err!(
    digits_overflow,
    "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=300",
    UriError::Otp(OtpError::Digits(_))
);
uri_err!(
    zero_period,
    "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0",
    UriError::Otp(OtpError::Period(_))
);
uri_err!(
    negative_period,
    "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=-30",
    UriError::Otp(OtpError::Period(_))
);
uri_err!(
    bad_counter,
    "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=-1",
    UriError::Otp(OtpError::Counter(_))
);
uri_err!(
    md5,
    "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
    UriError::Otp(OtpError::Algorithm(_))
);
uri_err!(
    no_secret,
    "otpauth://totp/x?issuer=y",
    UriError::MissingSecret
);
uri_err!(
    empty_secret,
    "otpauth://totp/x?secret=",
    UriError::Secret(SecretError::Empty)
);
uri_err!(
    bad_secret,
    "otpauth://totp/x?secret=JBSW!Y3DP",
    UriError::Secret(SecretError::BadCharacter {
        position: 5,
        ch: '!'
    })
);
uri_err!(
    unknown_type,
    "otpauth://xyz/x?secret=JBSWY3DPEHPK3PXP",
    UriError::UnknownType(_)
);
uri_err!(
    no_type,
    "otpauth://?secret=JBSWY3DPEHPK3PXP",
    UriError::UnknownType(_)
);
uri_err!(
    not_otpauth,
    "https://example.com/?secret=JBSWY3DPEHPK3PXP",
    UriError::NotOtpauth
);
uri_err!(
    bad_percent_utf8,
    "otpauth://totp/%FF%FE?secret=JBSWY3DPEHPK3PXP",
    UriError::BadEncoding("label")
);
uri_err!(
    too_long,
    &format!(
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&pad={}",
        "a".repeat(4096)
    ),
    UriError::TooLong { .. }
);
uri_err!(
    secret_too_long,
    &format!("otpauth://totp/x?secret={}", "A".repeat(1100)),
    UriError::Secret(SecretError::TooLong { .. })
);

#[test]
fn error_messages_name_the_bad_value_and_never_the_secret() {
    let error = parse_otpauth("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12").unwrap_err();
    assert_eq!(error.to_string(), "digits must be 6 to 10, but it says 12");
    let error = parse_otpauth("otpauth://totp/x?secret=JBSWY3DPEHPK3PX1").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the secret key is not valid Base32: character 16 is '1'"
    );
    assert!(error.advice().contains("the letter I"));
}

fn label_text() -> impl Strategy<Value = String> {
    // Any printable text, including ':', '%', '+', '&', '?', '#', '/', non-ASCII and inner spaces.
    "[a-zA-Z0-9 :%+&?#/=@._~\\-äé€😀]{0,24}".prop_map(|s| s.trim().to_owned())
}

fn enrolments() -> impl Strategy<Value = Enrolment> {
    let kind = prop_oneof![
        (1u32..=u32::MAX).prop_map(|period| OtpKind::Totp { period }),
        any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        Just(OtpKind::Steam),
        (1u32..=u32::MAX).prop_map(|period| OtpKind::Yandex { period }),
        (1u32..=u32::MAX).prop_map(|period| OtpKind::Motp { period }),
    ];
    let algorithm = prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ];
    (
        (label_text(), label_text(), label_text()),
        prop::collection::vec(any::<u8>(), 1..=64),
        kind,
        algorithm,
        6u8..=10,
        "[0-9a-zA-Zäé€ ]{1,16}",
    )
        .prop_map(
            |((issuer, name, tenant), mut secret, kind, algorithm, digits, pin)| {
                let mut issuer = issuer;
                if let OtpKind::Yandex { .. } = kind {
                    secret.resize(16, 7);
                    // A Yandex link without an issuer reads as Yandex's.
                    if issuer.is_empty() {
                        issuer = "Yandex".into();
                    }
                }
                let secret = Secret::from_bytes(secret).unwrap();
                let pin = Secret::from_bytes(pin.into_bytes()).unwrap();
                Enrolment {
                    // A URI carries a tenant only beside an issuer that is another.
                    tenant: if issuer.is_empty() || tenant.eq_ignore_ascii_case(&issuer) {
                        String::new()
                    } else {
                        tenant
                    },
                    issuer,
                    name,
                    otp: Otp::with_pin(kind, algorithm, digits, secret, pin).unwrap(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parse_of_emit_is_identity(enrolment in enrolments()) {
        let uri = to_otpauth(&enrolment);
        let parsed = parse_otpauth(&uri).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(parsed, enrolment);
    }

    #[test]
    fn any_text_parses_or_errs_without_panicking(text in ".{0,300}") {
        let _ = parse_otpauth(&text);
        let _ = parse_otpauth(&format!("otpauth://totp/{text}"));
        let _ = parse_otpauth(&format!("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&{text}"));
    }
}

// Found by the otpauth_roundtrip fuzz target: a URI under 4 KiB whose canonical form (with
// every character percent-encoded) was over 4 KiB, so Tessera could not read back what it wrote.
uri_err!(
    label_too_long,
    &format!(
        "otpauth://totp/Issuer:{}?secret=JBSWY3DPEHPK3PXP",
        "a".repeat(257)
    ),
    UriError::LabelTooLong {
        part: "account name",
        len: 257
    }
);

#[test]
fn the_longest_accepted_enrolment_emits_a_uri_that_parses() {
    let label = "€".repeat(85); // 255 bytes, 9 characters each once percent-encoded
    let enrolment = Enrolment {
        issuer: label.clone(),
        name: label,
        tenant: String::new(),
        otp: Otp::new(
            OtpKind::Hotp { counter: u64::MAX },
            Algorithm::Sha512,
            10,
            Secret::from_bytes(vec![0xff; 640]).unwrap(),
        )
        .unwrap(),
    };
    let uri = to_otpauth(&enrolment);
    assert!(uri.len() < tessera_core::otp::MAX_URI_LEN, "{}", uri.len());
    assert_eq!(parse_otpauth(&uri).unwrap(), enrolment);

    // mOTP writes its secret in hex and adds the PIN: still under the limit.
    let otp = |secret_len| {
        Otp::with_pin(
            OtpKind::Motp { period: u32::MAX },
            Algorithm::Sha1,
            10,
            Secret::from_bytes(vec![0xff; secret_len]).unwrap(),
            Secret::from_bytes("€".repeat(21).into_bytes()).unwrap(),
        )
    };
    assert_eq!(otp(513), Err(OtpError::MotpSecret));
    let enrolment = Enrolment {
        otp: otp(512).unwrap(),
        ..enrolment
    };
    let uri = to_otpauth(&enrolment);
    assert!(uri.len() < tessera_core::otp::MAX_URI_LEN, "{}", uri.len());
    assert_eq!(parse_otpauth(&uri).unwrap(), enrolment);
}

fn pin(text: &str) -> Secret {
    Secret::from_bytes(text.as_bytes().to_vec()).unwrap()
}

#[test]
fn yandex_links_as_aegis_writes_them_and_as_yandex_shows_them() {
    // Aegis: the PIN Base32-encoded in pin= ("7586" is G42TQNQ).
    let aegis = "otpauth://yaotp/Yandex:alice?period=30&digits=8&algorithm=SHA256&secret=LA2V6KMCGYMWWVEW64RNP3JA3I&pin=G42TQNQ&issuer=Yandex";
    let enrolment = parse_otpauth(aegis).unwrap();
    assert_eq!(
        (enrolment.issuer.as_str(), enrolment.name.as_str()),
        ("Yandex", "alice")
    );
    assert_eq!(enrolment.otp.kind(), OtpKind::Yandex { period: 30 });
    assert_eq!(enrolment.otp.pin().unwrap().expose(), b"7586");
    assert_eq!(enrolment.otp.code_at(1581064020).as_str(), "oactmacq");
    // Yandex's own QR code: no issuer, no PIN, only its length.
    let yandex = "otpauth://yaotp/alice?secret=LA2V6KMCGYMWWVEW64RNP3JA3I&name=alice&pin_length=4";
    assert_eq!(
        parse_otpauth(yandex),
        Err(UriError::Otp(OtpError::PinMissing("Yandex")))
    );
    let typed = tessera_core::otp::parse_otpauth_with_pin(yandex, Some(&pin("7586"))).unwrap();
    assert_eq!(typed, enrolment, "the typed PIN gives the same account");
    // What Tessera writes reads back the same, PIN included.
    assert_eq!(parse_otpauth(&to_otpauth(&enrolment)).unwrap(), enrolment);
    assert!(to_otpauth(&enrolment).starts_with("otpauth://yaotp/Yandex:alice?"));
    assert_eq!(
        parse_otpauth("otpauth://yaotp/a?secret=LA2V6KMCGYMWWVEW64RNP3JA3I&pin=1234"),
        Err(UriError::BadPin)
    );
}

#[test]
fn motp_links_carry_the_secret_in_hex() {
    // Stratum's form, with the PIN typed.
    let stratum = "motp://Mobile:alice?secret=e3152afee62599c8";
    assert_eq!(
        parse_otpauth(stratum),
        Err(UriError::Otp(OtpError::PinMissing("mOTP")))
    );
    let enrolment = tessera_core::otp::parse_otpauth_with_pin(stratum, Some(&pin("1234"))).unwrap();
    assert_eq!(
        (enrolment.issuer.as_str(), enrolment.name.as_str()),
        ("Mobile", "alice")
    );
    assert_eq!(enrolment.otp.kind(), OtpKind::Motp { period: 10 });
    assert_eq!(enrolment.otp.digits(), 6);
    assert_eq!(enrolment.otp.code_at(165892298).as_str(), "e7d8b6");
    let written = to_otpauth(&enrolment);
    assert!(
        written.starts_with("motp://Mobile:alice?secret=e3152afee62599c8&"),
        "{}",
        written.len()
    );
    assert_eq!(parse_otpauth(&written).unwrap(), enrolment);
    assert!(matches!(
        parse_otpauth("motp://a?secret=e3152afee62599c&pin=GEZDGNA"),
        Err(UriError::Secret(SecretError::NotHex(_)))
    ));
}
