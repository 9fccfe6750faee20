//! Account icons through every file that carries them: Aegis (`icon`, `icon_mime`), Stratum
//! (`Icon` naming a bundled icon or `@id` of `CustomIcons`), Ente (`iconSrc`/`iconID` in
//! `codeDisplay`), Tessera backups and vaults; and left out of QR transfers.

use std::io::Cursor;

use base64::Engine as _;
use tessera_core::otp::{
    Account, AccountIcon, Algorithm, Enrolment, IconImage, IconType, Otp, OtpKind, Secret,
};
use tessera_core::transfer::backup::{read_backup, write_backup};
use tessera_core::transfer::export::{aegis, uris};
use tessera_core::transfer::import::{Format, import};
use tessera_core::vault::KdfParams;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn png(w: u32, h: u32) -> Vec<u8> {
    let picture = image::RgbaImage::from_pixel(w, h, image::Rgba([10, 120, 200, 255]));
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn account(issuer: &str, icon: Option<AccountIcon>) -> Account {
    let otp = Otp::new(
        OtpKind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
        Secret::from_bytes(issuer.bytes().chain(*b"0123456789").collect()).unwrap(),
    )
    .unwrap();
    let mut a = Account::new(
        Enrolment {
            issuer: issuer.into(),
            name: "alice".into(),
            tenant: String::new(),
            otp,
        },
        1,
    );
    a.icon = icon;
    a
}

/// Aegis keeps an icon as Base64 with its MIME type: PNG (scaled down here), SVG (kept), and
/// an icon that is not an image is left out without failing the entry.
#[test]
fn aegis_icons_import_as_images() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>"#;
    let entry = |name: &str, icon: String, mime: &str| {
        format!(
            r#"{{"type":"totp","uuid":"00000000-0000-4000-8000-00000000000{}","name":"{name}","issuer":"X","note":"","favorite":false,"icon":{icon},"icon_mime":"{mime}","info":{{"secret":"JBSWY3DPEHPK3PX{}","algo":"SHA1","digits":6,"period":30}},"groups":[]}}"#,
            name.len(),
            ["P", "Q", "R", "S"][name.len() % 4]
        )
    };
    let file = format!(
        r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":3,"groups":[],"entries":[{},{},{},{}]}}}}"#,
        entry(
            "p",
            format!("\"{}\"", B64.encode(png(512, 512))),
            "image/png"
        ),
        entry("sv", format!("\"{}\"", B64.encode(svg)), "image/svg+xml"),
        entry(
            "bad",
            format!("\"{}\"", B64.encode(b"not an image")),
            "image/png"
        ),
        entry("none", "null".into(), ""),
    );
    let imported = import(file.as_bytes(), None, None, 0).unwrap();
    assert_eq!(imported.format, Format::Aegis);
    assert!(imported.failures().is_empty(), "{:?}", imported.failures());
    let icons: Vec<Option<AccountIcon>> = imported
        .accounts()
        .into_iter()
        .map(|(a, _)| a.icon)
        .collect();
    let Some(AccountIcon::Image(scaled)) = &icons[0] else {
        panic!("{:?}", icons[0])
    };
    assert_eq!(scaled.kind(), IconType::Png);
    let back = image::load_from_memory(scaled.bytes()).unwrap();
    assert_eq!((back.width(), back.height()), (96, 96));
    let Some(AccountIcon::Image(kept)) = &icons[1] else {
        panic!("{:?}", icons[1])
    };
    assert_eq!((kept.kind(), kept.bytes()), (IconType::Svg, svg.as_bytes()));
    assert_eq!(icons[2], None);
    assert_eq!(icons[3], None);
}

/// Stratum names its bundled icons (`Icon`: "github") or its custom ones (`@id`).
#[test]
fn stratum_icons_import_as_brands_and_images() {
    let file = format!(
        r#"{{"Authenticators":[
        {{"Type":2,"Icon":"github","Issuer":"GitHub","Username":"a","Secret":"JBSWY3DPEHPK3PXP","Algorithm":0,"Digits":6,"Period":30}},
        {{"Type":2,"Icon":"@f00d","Issuer":"Intranet","Username":"b","Secret":"JBSWY3DPEHPK3PXQ","Algorithm":0,"Digits":6,"Period":30}},
        {{"Type":2,"Icon":"@missing","Issuer":"Other","Username":"c","Secret":"JBSWY3DPEHPK3PXR","Algorithm":0,"Digits":6,"Period":30}},
        {{"Type":2,"Icon":null,"Issuer":"None","Username":"d","Secret":"JBSWY3DPEHPK3PXS","Algorithm":0,"Digits":6,"Period":30}}
        ],"CustomIcons":[{{"Id":"f00d","Data":"{}"}}]}}"#,
        B64.encode(png(64, 64))
    );
    let imported = import(file.as_bytes(), None, None, 0).unwrap();
    assert_eq!(imported.format, Format::Stratum);
    let icons: Vec<Option<AccountIcon>> = imported
        .accounts()
        .into_iter()
        .map(|(a, _)| a.icon)
        .collect();
    assert_eq!(icons[0], Some(AccountIcon::Brand("github".into())));
    assert!(matches!(&icons[1], Some(AccountIcon::Image(i)) if i.kind() == IconType::Png));
    assert_eq!((&icons[2], &icons[3]), (&None, &None));
}

/// Ente names a Simple Icons icon in `codeDisplay`; Tessera's URI lists write it the same way,
/// and the letter choice as `iconSrc` "letter".
#[test]
fn uri_lists_carry_brand_icons_as_ente_does() {
    let ente = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub&codeDisplay=%7B%22pinned%22%3Afalse%2C%22trashed%22%3Afalse%2C%22tags%22%3A%5B%5D%2C%22iconSrc%22%3A%22simpleIcon%22%2C%22iconID%22%3A%22GitHub%22%7D\n";
    let imported = import(ente.as_bytes(), None, None, 0).unwrap();
    assert_eq!(
        imported.accounts()[0].0.icon,
        Some(AccountIcon::Brand("github".into()))
    );
    let accounts = [
        account("A", Some(AccountIcon::Brand("cloudflare".into()))),
        account("B", Some(AccountIcon::Letter)),
        account("C", None),
    ];
    let refs: Vec<&Account> = accounts.iter().collect();
    let text = uris::export(&refs);
    let back = import(text.as_bytes(), None, None, 0).unwrap().accounts();
    let icons: Vec<_> = back.into_iter().map(|(a, _)| a.icon).collect();
    assert_eq!(
        icons,
        [
            Some(AccountIcon::Brand("cloudflare".into())),
            Some(AccountIcon::Letter),
            None
        ]
    );
}

/// An Aegis export carries the user's own image (Base64, MIME type, SHA-256) and reads back;
/// brand icons are Aegis's icon packs' business and stay out.
#[test]
fn aegis_exports_keep_own_images() {
    let image = IconImage::from_bytes(&png(20, 20)).unwrap();
    let accounts = [
        account("Mine", Some(AccountIcon::Image(image.clone()))),
        account("GitHub", Some(AccountIcon::Brand("github".into()))),
    ];
    let refs: Vec<&Account> = accounts.iter().collect();
    let file = aegis::export(&refs, None);
    let json: serde_json::Value = serde_json::from_slice(&file).unwrap();
    let entries = &json["db"]["entries"];
    assert_eq!(entries[0]["icon_mime"], "image/png");
    let bytes = B64.decode(entries[0]["icon"].as_str().unwrap()).unwrap();
    assert_eq!(bytes, image.bytes());
    use sha2::Digest as _;
    let hash = data_encoding::HEXLOWER.encode(&sha2::Sha256::digest(&bytes));
    assert_eq!(entries[0]["icon_hash"], hash.as_str());
    assert!(entries[1]["icon"].is_null());
    let back = import(&file, None, None, 0).unwrap().accounts();
    assert_eq!(back[0].0.icon, Some(AccountIcon::Image(image)));
}

/// Backups keep every icon choice exactly.
#[test]
fn backups_keep_icons() {
    let image = IconImage::from_bytes(&png(30, 10)).unwrap();
    let entries: Vec<(Account, Option<u64>)> = [
        Some(AccountIcon::Image(image)),
        Some(AccountIcon::Brand("github".into())),
        Some(AccountIcon::Letter),
        None,
    ]
    .into_iter()
    .enumerate()
    .map(|(i, icon)| (account(&format!("S{i}"), icon), None))
    .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.tessera");
    write_backup(&path, &entries, b"pw", KdfParams::MINIMUM).unwrap();
    let back = read_backup(&path, b"pw").unwrap();
    assert_eq!(back, entries);
}

/// A QR transfer leaves own images behind (each would add QR codes) and carries the rest: the
/// sealed container is the same size as for the account without an icon.
#[test]
fn transfers_leave_own_images_behind() {
    use tessera_core::transfer::handover::{Sender, TransferCode};
    let code = TransferCode::generate();
    let size = |icon: Option<AccountIcon>| {
        let mut a = account("Same", icon);
        a.id = tessera_core::otp::AccountId(uuid::Uuid::nil());
        Sender::new(&[(a, None)], &code, KdfParams::MINIMUM)
            .unwrap()
            .bytes()
    };
    let image = IconImage::from_bytes(&png(96, 96)).unwrap();
    assert!(image.bytes().len() > 200);
    assert_eq!(size(Some(AccountIcon::Image(image))), size(None));
    assert!(size(Some(AccountIcon::Letter)) > size(None));
}
