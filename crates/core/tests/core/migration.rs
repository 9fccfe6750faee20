//! Google Authenticator migration links: scito/extract_otp_secrets fixtures, GNOME's inline
//! example, negative files, and encode/decode round trips.

use tessera_core::otp::{
    Algorithm, BatchInfo, Enrolment, GoogleLimit, MigrationError, Otp, OtpKind, Secret,
    decode_migration, encode_migration, google_limits, parse_otpauth,
};

use crate::shared;

fn links(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("otpauth-migration://"))
        .collect()
}

fn decode_all(text: &str) -> Vec<Enrolment> {
    links(text)
        .iter()
        .flat_map(|link| decode_migration(link).unwrap().entries)
        .map(|entry| entry.unwrap())
        .collect()
}

/// example_export.txt: 5 QR codes, 6 accounts (see example_output.json).
#[test]
fn example_export_decodes_to_its_six_accounts() {
    let Some(dir) = shared::dir("example_export_decodes_to_its_six_accounts") else {
        return;
    };
    let text = shared::read(&dir, "google-authenticator-migration/example_export.txt");
    let entries = decode_all(&text);
    let expected: [(&str, &str, OtpKind); 6] = [
        (
            "raspberrypi",
            "pi@raspberrypi",
            OtpKind::Totp { period: 30 },
        ),
        ("", "pi@raspberrypi", OtpKind::Totp { period: 30 }),
        ("", "pi@raspberrypi", OtpKind::Totp { period: 30 }),
        (
            "raspberrypi",
            "pi@raspberrypi",
            OtpKind::Totp { period: 30 },
        ),
        ("", "hotp demo", OtpKind::Hotp { counter: 4 }),
        ("", "encoding: ¿äÄéÉ? (demo)", OtpKind::Totp { period: 30 }),
    ];
    assert_eq!(entries.len(), expected.len());
    for (entry, (issuer, name, kind)) in entries.iter().zip(expected) {
        assert_eq!(
            (entry.issuer.as_str(), entry.name.as_str(), entry.otp.kind()),
            (issuer, name, kind)
        );
        assert_eq!(
            entry.otp.secret().to_base32().as_str(),
            "7KSQL2JTUDIS5EF65KLMRQIIGY"
        );
        assert_eq!(
            (entry.otp.algorithm(), entry.otp.digits()),
            (Algorithm::Sha1, 6)
        );
    }
    // The same accounts as url_list_output.txt lists. In its last URI the `%3A` of the name
    // "encoding: ..." is, by the Key Uri Format, the issuer separator, so only the secret and
    // parameters of that one can match.
    let urls = shared::read(&dir, "google-authenticator-migration/url_list_output.txt");
    let from_urls: Vec<Enrolment> = urls.lines().map(|l| parse_otpauth(l).unwrap()).collect();
    assert_eq!(entries[..5], from_urls[..5]);
    assert_eq!(entries[5].otp, from_urls[5].otp);
    assert_eq!(
        (from_urls[5].issuer.as_str(), from_urls[5].name.as_str()),
        ("encoding", "¿äÄéÉ? (demo)")
    );

    let batch = decode_migration(links(&text)[0]).unwrap();
    assert_eq!(
        batch.info,
        BatchInfo {
            index: 0,
            size: 1,
            id: -1320898453
        }
    );
    assert_eq!(batch.version, 1);
    assert_eq!(
        decode_all(&shared::read(
            &dir,
            "google-authenticator-migration/example_export_only_totp.txt"
        ))
        .len(),
        5
    );
}

/// test_plus_problem_export.txt: raw `+` and `/` in the Base64 must not turn into spaces.
#[test]
fn unescaped_plus_in_base64() {
    let Some(dir) = shared::dir("unescaped_plus_in_base64") else {
        return;
    };
    let text = shared::read(
        &dir,
        "google-authenticator-migration/test_plus_problem_export.txt",
    );
    let entries = decode_all(&text);
    let secrets = [
        "A4RFDYMF4GSLUIBQV4ZP67OJEZ2XUQVM",
        "SCDDZ7PW5MOZLE3PQCAZM7L4S35K3UDX",
        "TR76272RVYO6EAEY2FX7W7R7KUDEGPJ4",
        "N2ILWSXSJUQUB7S6NONPJSC62NPG7EXN",
    ];
    assert_eq!(entries.len(), 4);
    for (i, (entry, secret)) in entries.iter().zip(secrets).enumerate() {
        assert_eq!(entry.issuer, "SerenityLabs");
        // Google wrote "SerenityLabs:test1@..."; the prefix repeats the issuer and is dropped.
        assert_eq!(entry.name, format!("test{}@serenitylabs.co.uk", i + 1));
        assert_eq!(entry.otp.secret().to_base32().as_str(), secret);
        assert_eq!(entry.otp.kind(), OtpKind::Totp { period: 30 });
    }
    // The same link after a careless URL decoder turned every `+` into a space.
    let spaced = links(&text)[0].replace('+', " ");
    assert_eq!(decode_migration(&spaced).unwrap().entries.len(), 4);
}

/// GNOME Authenticator's inline example (shared/fixtures/README.md, section 2).
#[test]
fn gnome_discord_example() {
    let batch = decode_migration(
        "otpauth-migration://offline?data=CjYKEExyJfPiZeroMa/MdF%2BnkTISE2pvaG5kb2VAZXhhbXBsZS5jb20aB0Rpc2NvcmQgASgBMAIQARgBIAA%3D",
    )
    .unwrap();
    let entry = batch.entries[0].as_ref().unwrap();
    assert_eq!(
        (entry.issuer.as_str(), entry.name.as_str()),
        ("Discord", "johndoe@example.com")
    );
    assert_eq!(
        entry.otp.secret().to_base32().as_str(),
        "JRZCL47CMXVOQMNPZR2F7J4RGI"
    );
    assert_eq!(entry.otp.algorithm(), Algorithm::Sha1);
}

#[test]
fn negative_files_are_refused_with_their_reason() {
    let Some(dir) = shared::dir("negative_files_are_refused_with_their_reason") else {
        return;
    };
    let read = |name: &str| shared::read(&dir, &format!("google-authenticator-migration/{name}"));
    assert_eq!(
        decode_migration(read("test_export_wrong_data.txt").trim()).unwrap_err(),
        MigrationError::Protobuf
    );
    assert_eq!(
        decode_migration(read("test_export_wrong_prefix.txt").trim()).unwrap_err(),
        MigrationError::NotMigration
    );
    assert_eq!(
        decode_migration(read("test_export_wrong_content.txt").trim()).unwrap_err(),
        MigrationError::NotMigration
    );
}

#[test]
fn damaged_links() {
    assert_eq!(
        decode_migration("otpauth-migration://offline?foo=bar").unwrap_err(),
        MigrationError::MissingData
    );
    assert_eq!(
        decode_migration("otpauth-migration://offline?data=").unwrap_err(),
        MigrationError::MissingData
    );
    assert_eq!(
        decode_migration("otpauth-migration://offline?data=!!!").unwrap_err(),
        MigrationError::Base64
    );
    assert_eq!(
        decode_migration("otpauth-migration://offline?data=AAAA").unwrap_err(),
        MigrationError::Protobuf
    );
    let huge = format!("otpauth-migration://offline?data={}", "A".repeat(70_000));
    assert_eq!(
        decode_migration(&huge).unwrap_err(),
        MigrationError::TooLong { len: huge.len() }
    );
}

fn otp(kind: OtpKind, algorithm: Algorithm, digits: u8, secret: &str) -> Otp {
    Otp::new(
        kind,
        algorithm,
        digits,
        Secret::from_base32(secret).unwrap(),
    )
    .unwrap()
}

#[test]
fn encode_then_decode_keeps_every_field() {
    let accounts = [
        Enrolment {
            issuer: "Contoso".into(),
            name: "admin@contoso.com".into(),
            tenant: String::new(),
            otp: otp(
                OtpKind::Totp { period: 30 },
                Algorithm::Sha256,
                8,
                "JBSWY3DPEHPK3PXP",
            ),
        },
        Enrolment {
            issuer: String::new(),
            name: "hotp ¿ä".into(),
            tenant: String::new(),
            otp: otp(
                OtpKind::Hotp { counter: 99 },
                Algorithm::Sha512,
                6,
                "7KSQL2JTUDIS5EF65KLMRQIIGY",
            ),
        },
        // A name that starts with its own issuer survives the prefix rule.
        Enrolment {
            issuer: "Contoso".into(),
            name: "contoso:tenant-b".into(),
            tenant: String::new(),
            otp: otp(
                OtpKind::Totp { period: 30 },
                Algorithm::Sha1,
                6,
                "JBSWY3DPEHPK3PXP",
            ),
        },
        // An Entra code's organisation, and a name with a colon of its own.
        Enrolment {
            issuer: "Microsoft".into(),
            name: "admin@contoso.com".into(),
            tenant: "Contoso Ltd".into(),
            otp: otp(
                OtpKind::Totp { period: 30 },
                Algorithm::Sha1,
                6,
                "JBSWY3DPEHPK3PXP",
            ),
        },
        Enrolment {
            issuer: "GitHub".into(),
            name: "team:alice".into(),
            tenant: String::new(),
            otp: otp(
                OtpKind::Totp { period: 30 },
                Algorithm::Sha1,
                6,
                "7KSQL2JTUDIS5EF65KLMRQIIGY",
            ),
        },
    ];
    let info = BatchInfo {
        index: 1,
        size: 3,
        id: -12345,
    };
    let link = encode_migration(&accounts.iter().collect::<Vec<_>>(), info).unwrap();
    assert!(link.starts_with("otpauth-migration://offline?data=") && !link.contains('+'));
    let batch = decode_migration(&link).unwrap();
    assert_eq!(batch.info, info);
    let decoded: Vec<Enrolment> = batch.entries.into_iter().map(Result::unwrap).collect();
    assert_eq!(decoded, accounts);
}

/// A migration link with one TOTP account, its protobuf written by hand (MigrationPayload:
/// field 1 the account, 2 the version; OtpParameters: 1 secret, 2 name, 3 issuer, 4 algorithm,
/// 5 digits, 6 type).
fn google_link(issuer: &str, name: &str) -> String {
    use base64::Engine;
    fn bytes(tag: u8, value: &[u8]) -> Vec<u8> {
        let mut out = vec![tag << 3 | 2, value.len() as u8];
        out.extend_from_slice(value);
        out
    }
    let mut account = bytes(1, b"Hello!\xde\xad\xbe\xef");
    account.extend(bytes(2, name.as_bytes()));
    account.extend(bytes(3, issuer.as_bytes()));
    account.extend([4 << 3, 1, 5 << 3, 1, 6 << 3, 2]);
    let mut payload = bytes(1, &account);
    payload.extend([2 << 3, 1]);
    let data = base64::engine::general_purpose::STANDARD.encode(payload);
    format!(
        "otpauth-migration://offline?data={}",
        percent_encoding::utf8_percent_encode(&data, percent_encoding::NON_ALPHANUMERIC)
    )
}

/// Google Authenticator keeps an Entra code's label whole in the name: the organisation comes
/// out as the tenant.
#[test]
fn google_names_with_an_organisation_give_the_tenant() {
    let entra = Enrolment {
        issuer: "Microsoft".into(),
        name: "Contoso Ltd:admin@contoso.com".into(),
        tenant: String::new(),
        otp: otp(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            "JBSWY3DPEHPK3PXP",
        ),
    };
    let info = BatchInfo {
        index: 0,
        size: 1,
        id: 7,
    };
    // Written with the tenant empty and the whole label as the name, as Google writes it; a
    // name starting with its issuer writes the issuer once more, so "Microsoft:" goes first.
    let link = encode_migration(&[&entra], info).unwrap();
    let decoded = decode_migration(&link).unwrap().entries.remove(0).unwrap();
    assert_eq!(decoded.name, "Contoso Ltd:admin@contoso.com");
    // What Google itself writes, protobuf by hand from its schema: the label whole.
    let google = google_link("Microsoft", "Contoso Ltd:admin@contoso.com");
    let decoded = decode_migration(&google)
        .unwrap()
        .entries
        .remove(0)
        .unwrap();
    assert_eq!(
        (
            decoded.issuer.as_str(),
            decoded.tenant.as_str(),
            decoded.name.as_str()
        ),
        ("Microsoft", "Contoso Ltd", "admin@contoso.com")
    );
}

#[test]
fn what_google_cannot_hold_is_reported() {
    let steam = otp(OtpKind::Steam, Algorithm::Sha1, 5, "JBSWY3DPEHPK3PXP");
    let odd = otp(
        OtpKind::Totp { period: 60 },
        Algorithm::Sha1,
        7,
        "JBSWY3DPEHPK3PXP",
    );
    let fine = otp(
        OtpKind::Hotp { counter: 0 },
        Algorithm::Sha1,
        8,
        "JBSWY3DPEHPK3PXP",
    );
    assert_eq!(google_limits(&steam), vec![GoogleLimit::Steam]);
    assert_eq!(
        google_limits(&odd),
        vec![GoogleLimit::Period(60), GoogleLimit::Digits(7)]
    );
    assert!(google_limits(&fine).is_empty());
    let accounts = [
        Enrolment {
            issuer: "a".into(),
            name: "b".into(),
            tenant: String::new(),
            otp: fine,
        },
        Enrolment {
            issuer: "c".into(),
            name: "d".into(),
            tenant: String::new(),
            otp: odd,
        },
    ];
    let refused = encode_migration(
        &accounts.iter().collect::<Vec<_>>(),
        BatchInfo {
            index: 0,
            size: 1,
            id: 1,
        },
    );
    assert_eq!(refused.unwrap_err(), (1, GoogleLimit::Period(60)));
}

#[test]
fn overlong_names_are_refused_per_entry() {
    let long = Enrolment {
        issuer: "x".repeat(300),
        name: "a".into(),
        tenant: String::new(),
        otp: otp(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            "JBSWY3DPEHPK3PXP",
        ),
    };
    let fine = Enrolment {
        issuer: "ok".into(),
        name: "b".into(),
        tenant: String::new(),
        otp: otp(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            "JBSWY3DPEHPK3PXP",
        ),
    };
    let link = encode_migration(
        &[&long, &fine],
        BatchInfo {
            index: 0,
            size: 1,
            id: 7,
        },
    )
    .unwrap();
    let batch = decode_migration(&link).unwrap();
    assert!(matches!(
        batch.entries[0],
        Err(tessera_core::otp::MigrationEntryError::Unsupported { position: 1, .. })
    ));
    assert_eq!(batch.entries[1].as_ref().unwrap(), &fine);
}
