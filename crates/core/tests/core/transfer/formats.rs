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
