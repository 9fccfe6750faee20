//! The list of formats is one: every format the core reads or writes is in docs/transfer.md's
//! tables under its `--format` name, and detection finds each format's own kind of file.

use tessera_core::transfer::export::ExportFormat;
use tessera_core::transfer::import::{Format, detect};

fn docs() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/transfer.md");
    std::fs::read_to_string(path).expect("docs/transfer.md")
}

#[test]
fn every_import_format_is_in_the_docs_table() {
    let docs = docs();
    let table = &docs[docs.find("## Import formats").expect("the import section")..];
    let missing: Vec<&str> = Format::ALL
        .iter()
        .map(|f| f.id())
        .filter(|id| !table.contains(&format!("(`{id}`)")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/transfer.md lacks rows for {missing:?}"
    );
}

#[test]
fn every_export_format_is_in_the_docs_table() {
    let docs = docs();
    let missing: Vec<&str> = ExportFormat::ALL
        .iter()
        .map(|f| f.id())
        .filter(|id| !docs.contains(&format!("`{id}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/transfer.md lacks rows for {missing:?}"
    );
}

#[test]
fn format_names_are_unique_and_round_trip() {
    for format in Format::ALL {
        assert_eq!(Format::from_id(format.id()), Some(format));
        let same_name = Format::ALL
            .iter()
            .filter(|f| f.name() == format.name())
            .count();
        assert_eq!(same_name, 1, "{format:?}");
    }
    for format in ExportFormat::ALL {
        assert_eq!(ExportFormat::from_id(format.id()), Some(format));
    }
}

/// Small files of the text and JSON kinds land on their own importer, whatever order the
/// registry tries them in.
#[test]
fn detection_tells_the_shapes_apart() {
    let cases: [(&str, Option<Format>); 9] = [
        (r#"{"db": {}, "header": {}}"#, Some(Format::Aegis)),
        (
            r#"{"schemaVersion": 4, "services": []}"#,
            Some(Format::TwoFas),
        ),
        (r#"{"Authenticators": []}"#, Some(Format::Stratum)),
        (
            r#"{"tokens": [], "tokenOrder": []}"#,
            Some(Format::FreeOtpPlus),
        ),
        (r#"{"items": []}"#, Some(Format::Bitwarden)),
        (r#"[{"secret": "A", "type": "TOTP"}]"#, Some(Format::AndOtp)),
        (
            "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n",
            Some(Format::Uris),
        ),
        (
            "otpauth-migration://offline?data=AA\n",
            Some(Format::GoogleMigration),
        ),
        ("<?xml version='1.0'?><map></map>", None),
    ];
    for (text, expected) in cases {
        assert_eq!(detect(text.as_bytes()), expected, "{text}");
    }
}

/// Files no importer reads are named for what they are, or the one guess says what else the
/// file could be; never a bare "wrong password for this andOTP file" for a KeePass file.
#[test]
fn files_tessera_does_not_read_are_named_not_guessed() {
    use tessera_core::transfer::TransferError;
    use tessera_core::transfer::import::import;

    let noise: Vec<u8> = (0..300u32).map(|i| (i * 37 % 251) as u8 ^ 0x5a).collect();
    let with = |head: &[u8]| [head, &noise].concat();
    // KeePass 1's signatures (KDBX, which Tessera reads, has another second one).
    let kdb = with(&[
        0x03, 0xd9, 0xa2, 0x9a, 0x65, 0xfb, 0x4b, 0xb5, 0x01, 0x00, 0x03, 0x00,
    ]);
    for (bytes, says) in [
        (kdb, "KeePass 1 database"),
        (with(b"%PDF-1.7\n"), "PDF document"),
        (with(&[0x1f, 0x8b, 0x08, 0x00]), "gzip archive"),
    ] {
        assert_eq!(detect(&bytes), None, "{says}");
        let error = import(&bytes, Some(b"pw"), None, 0).unwrap_err();
        assert!(
            matches!(error, TransferError::NotAnExport { .. }) && error.to_string().contains(says),
            "{error}"
        );
    }
    // Any other binary could only be an old andOTP backup (no header): the message says both.
    let error = import(&noise, Some(b"pw"), None, 0).unwrap_err();
    assert_eq!(
        error,
        TransferError::WrongPasswordOrUnknown { format: "andOTP" }
    );
    let text = error.to_string();
    assert!(
        text.contains("not a format Tessera reads") && text.contains("Aegis, 2FAS"),
        "{text}"
    );
    // With andOTP's header (140,000 to 160,000 iterations) it is andOTP's for sure.
    let error = import(&with(&150_000u32.to_be_bytes()), Some(b"pw"), None, 0).unwrap_err();
    assert_eq!(error, TransferError::WrongPassword { format: "andOTP" });
    // Text that is nothing Tessera reads lists what it does read.
    let error = import(b"just some notes\nabout nothing\n", None, None, 0).unwrap_err();
    assert_eq!(error, TransferError::UnknownFormat);
    let text = error.to_string();
    assert!(
        text.contains("not a format Tessera reads") && text.contains("Bitwarden"),
        "{text}"
    );
}
