//! End to end in a real window: the real `tessera` binary on a private Xvfb display and a fresh
//! vault, driven through its own page by the in-app test driver (`TESSERA_TEST_DRIVER`): create
//! the vault -> add by URI (tenant, note) -> the code shown equals oathtool's -> the same URI
//! again shows "You already have this account" -> search -> edit
//! the note -> trash -> undo -> lock -> a wrong password is refused -> unlock -> the note is
//! still there; then the camera route without a camera, transfer, settings and trash at phone
//! size; a two-QR-code Google export pasted code by code; the tenant filter chip and the row
//! menu (copy the next code, pin). Screenshots at phone (360x800) and desktop (1280x800) size are saved in
//! `target/screenshots/`. The camera tests replay image files as camera frames
//! (`TESSERA_TEST_CAMERA`): through nokhwa's place in the scan loop and through the web view's
//! camera script, and a Google export scanned code by code. The last test moves to a new phone:
//! a backup from one vault, restored with its merge preview into a fresh one.
//!
//! Skipped with a notice when Xvfb is missing (`.ci/setup-debian test` installs it; CI sets
//! TESSERA_REQUIRE_XVFB=1 to make that a failure).

#![recursion_limit = "512"]

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

#[path = "support/driver.rs"]
mod driver;
mod support;

use driver::{PASSWORD, after_setup, drive, drive_with};
use support::have;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// The links of a Google Authenticator export of 11 accounts: two QR codes.
fn google_export() -> Vec<String> {
    use tessera_core::otp::{Account, Algorithm, Enrolment, Otp, OtpKind, Secret};
    let accounts: Vec<Account> = (0..11u8)
        .map(|i| {
            let secret = Secret::from_bytes(vec![i + 1; 10]).unwrap();
            let otp = Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret).unwrap();
            let enrolment = Enrolment {
                issuer: format!("Service {i}"),
                name: "tech".into(),
                tenant: String::new(),
                otp,
            };
            Account::new(enrolment, 0)
        })
        .collect();
    let refs: Vec<&Account> = accounts.iter().collect();
    let (links, left_out) = tessera_core::transfer::export::qr::google_export(&refs);
    assert!(left_out.is_empty());
    links.iter().map(|l| l.to_string()).collect()
}

/// The code of `SECRET` two minutes from now, as a device whose clock is right would show it
/// to a machine whose clock is two minutes behind.
fn code_two_minutes_ahead() -> String {
    let secret = tessera_core::otp::Secret::from_base32(SECRET).unwrap();
    let otp = tessera_core::otp::Otp::new(
        tessera_core::otp::OtpKind::Totp { period: 30 },
        tessera_core::otp::Algorithm::Sha1,
        6,
        secret,
    )
    .unwrap();
    let now = tessera_core::otp::unix_now();
    otp.code_at(now + 120).as_str().to_owned()
}

fn steps(export_path: &str) -> Value {
    let google = google_export();
    let ahead = code_two_minutes_ahead();
    let uri =
        format!("otpauth://totp/Microsoft:admin@contoso.com?secret={SECRET}&issuer=Microsoft");
    after_setup(json!([
        {"read": ["bar", "header.bar", "style:position"]},
        {"read": ["stylesheet", "link[rel=stylesheet]", "href"]},
        {"resize": [360, 800]},
        {"shot": "phone-empty"},
        {"click": "#nav-add"},
        {"click": "#tab-type"},
        {"type": ["#type-secret", "not base32!"]},
        {"wait": ["main.add .error", "Secret keys use the letters A-Z and the digits 2-7"]},
        {"type": ["#type-secret", "JBSWY3DPEHPK3PXP"]},
        {"gone": "main.add .error"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", uri]},
        {"type": ["#add-tenant", "Contoso"]},
        {"type": ["#add-note", "Anna's phone"]},
        {"click": "#add-paste"},
        {"wait": ["#accounts", "Microsoft"]},
        {"wait": ["#accounts", "Contoso"]},
        {"read": ["code", "#accounts .row .code"]},
        {"shot": "phone-list"},
        // The same code again: "You already have this account", and Open it.
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", uri]},
        {"click": "#add-paste"},
        {"wait": ["main.guidance", "You already have this account"]},
        {"shot": "phone-duplicate"},
        {"click": "#open-existing"},
        {"wait": ["#edit-note", "Anna's phone"]},
        {"click": ".pane-detail header.bar .back"},
        {"type": ["#search", "anna"]},
        {"wait": ["#accounts", "Microsoft"]},
        {"type": ["#search", "no such account"]},
        {"wait": [".empty-search", "No account matches"]},
        {"type": ["#search", ""]},
        {"wait": ["#accounts", "Microsoft"]},
        {"click": "#accounts .row .more"},
        {"click": "#accounts .menu .menu-details"},
        {"wait": ["#edit-note", "Anna's phone"]},
        {"type": ["#edit-note", "Bob's phone since May"]},
        {"click": "#save-details"},
        {"wait": ["#toast", "Saved"]},
        {"resize": [1280, 800]},
        {"shot": "desktop-details"},
        {"click": "#trash-account"},
        {"wait": ["#toast", "Moved to trash"]},
        {"gone": "#accounts .row"},
        {"click": "#undo"},
        {"wait": ["#accounts", "Microsoft"]},
        {"click": "#nav-lock"},
        {"wait": ["#unlock", "Unlock"]},
        {"type": ["#password", "wrong password"]},
        {"click": "#unlock"},
        {"wait": ["#unlock-error", "Wrong password"]},
        {"type": ["#password", PASSWORD]},
        {"click": "#unlock"},
        {"wait": ["#accounts", "Microsoft"]},
        {"click": "#accounts .row .more"},
        {"click": "#accounts .menu .menu-details"},
        {"wait": ["#edit-note", "Bob's phone since May"]},
        {"read": ["note", "#edit-note"]},
        {"shot": "desktop-after-unlock"},
        // Every other screen at phone size; the camera route on a machine without a camera.
        {"resize": [360, 800]},
        {"click": ".pane-detail header.bar .back"},
        {"click": "#nav-add"},
        {"click": "#tab-scan"},
        {"click": "#start-camera"},
        {"wait": ["#scan-status", "Camera not available"]},
        {"shot": "phone-add-no-camera"},
        {"click": "header.bar .back"},
        {"click": "#nav-transfer"},
        {"wait": ["main.transfer", "Create a backup now"]},
        {"shot": "phone-transfer"},
        // An export asks for the vault password: without it nothing is written.
        {"type": ["#export-path", export_path]},
        {"type": ["#export-password", "for the colleague"]},
        {"click": "#export-now"},
        {"wait": ["#toast", "not the vault password"]},
        {"type": ["#export-vault-password", "a guess"]},
        {"click": "#export-now"},
        {"wait": ["#toast", "not the vault password"]},
        {"type": ["#export-vault-password", PASSWORD]},
        {"click": "#export-now"},
        {"wait": ["#toast", "exported to"]},
        {"click": "header.bar .back"},
        {"click": "#nav-settings"},
        {"wait": ["main.settings", "Clear copied codes after"]},
        {"shot": "phone-settings"},
        // The clock check: the code "another device" shows is two minutes ahead of this clock.
        {"type": ["#clock-code", ahead]},
        {"click": "#clock-check"},
        {"wait": ["#clock-result", "behind: codes may be rejected"]},
        {"scroll": "#clock-result"},
        {"shot": "phone-clock-check"},
        {"click": "#clock-apply"},
        {"wait": ["#toast", "Codes now use a correction of"]},
        {"read": ["offset", "#clock-offset"]},
        {"type": ["#clock-offset", "0"]},
        {"click": "header.bar .back"},
        {"click": "#nav-trash"},
        {"wait": ["main.trash", "The trash is empty"]},
        // A Google Authenticator export of two QR codes, pasted one after the other.
        {"click": "header.bar .back"},
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", google[0]]},
        {"click": "#add-paste"},
        {"wait": ["#toast", "1 of 2 QR codes scanned"]},
        {"type": ["#paste-uri", google[1]]},
        {"click": "#add-paste"},
        {"wait": ["#accounts", "Service 10"]},
        // A Yandex QR code carries no PIN: the app asks for it before adding.
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", "otpauth://yaotp/alice?secret=LA2V6KMCGYMWWVEW64RNP3JA3I&pin_length=4"]},
        {"click": "#add-paste"},
        {"wait": ["main.guidance", "This Yandex code needs its PIN"]},
        {"shot": "phone-yandex-pin"},
        {"type": ["#pin-input", "7586"]},
        {"click": "#pin-add"},
        {"wait": ["#accounts", "alice"]},
        // `?` shows the keyboard shortcuts; Esc closes them.
        {"key": ["body", "?"]},
        {"wait": ["#key-help", "Shift+Enter"]},
        {"shot": "phone-keys"},
        {"key": ["#key-help-close", "Escape"]},
        {"gone": "#key-help"},
        // The filter chips (All, then the tenant Contoso) and the row menu.
        {"click": "#filters .chip-filter:nth-child(2)"},
        {"wait": ["#filters .chip-filter.on", "Contoso"]},
        {"read": ["filtered", "#accounts"]},
        {"click": "#accounts .row .more"},
        {"wait": ["#accounts .menu", "Copy next code"]},
        {"shot": "phone-row-menu"},
        {"click": "#accounts .menu .menu-next"},
        {"wait": ["#toast", "Next code copied"]},
        {"click": "#accounts .row .more"},
        {"click": "#accounts .menu .menu-pin"},
        // Copying a code records its use, shown in the details.
        {"click": "#accounts .row .copy"},
        {"wait": ["#toast", "Copied"]},
        {"click": "#accounts .row .more"},
        {"click": "#accounts .menu .menu-details"},
        {"wait": ["main.details", "last used 20"]},
        {"click": "header.bar .back"},
        {"click": "#filters .chip-filter:nth-child(1)"},
        {"wait": ["#accounts", "Service 10"]},
        {"read": ["all", "#accounts"]}
    ]))
}

fn oathtool(at: u64) -> Option<String> {
    let out = Command::new("oathtool")
        .args(["--totp", "-b", SECRET, "-N", &format!("@{at}")])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The window's area of the screen (the window sits at the top left of the bare Xvfb screen).
#[test]
fn create_add_search_edit_trash_undo_lock_unlock() {
    let out = tempfile::tempdir().unwrap();
    let export = out.path().join("for-colleague.json");
    let Some(result) = drive(&steps(export.to_str().unwrap()), &[]) else {
        return;
    };
    let exported = std::fs::read_to_string(&export).expect("the export was written");
    assert!(exported.contains("\"slots\""), "an encrypted Aegis file");
    assert!(!exported.contains(SECRET), "no secret in the clear");
    let reads = &result["reads"];
    assert_eq!(reads["note"], "Bob's phone since May");
    // Under `cargo run` (CARGO_MANIFEST_DIR set) the stylesheet comes through `asset!`.
    assert!(
        reads["stylesheet"].as_str().unwrap().ends_with("main.css"),
        "{}",
        reads["stylesheet"]
    );
    assert_eq!(reads["bar"], "sticky", "the stylesheet applies");
    // The correction applied is the two minutes (a period less when the steps straddled one).
    let offset: i64 = reads["offset"].as_str().unwrap().parse().unwrap();
    assert!([90, 120].contains(&offset), "correction {offset}");
    // Inside the tenant chip only the Contoso account shows; with All, the pinned one is first.
    let filtered = reads["filtered"].as_str().unwrap();
    assert!(
        filtered.contains("Microsoft") && !filtered.contains("Service"),
        "{filtered}"
    );
    let all = reads["all"].as_str().unwrap();
    assert!(all.trim_start().starts_with('M'), "pinned first: {all}");
    assert!(
        all.contains("Service 0") && all.contains("Service 10"),
        "{all}"
    );
    let code = reads["code"].as_str().unwrap().replace(' ', "");
    let at = reads["code@time"].as_u64().unwrap();
    if have("oathtool") {
        // The code was read within a second of `at`: it is the code of `at` or of the second before.
        let expected = [oathtool(at), oathtool(at.saturating_sub(1))];
        assert!(
            expected.iter().flatten().any(|c| *c == code),
            "shown {code}, oathtool {expected:?}"
        );
    } else {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_OATHTOOL").is_none(),
            "oathtool missing"
        );
    }
    assert_eq!(code.len(), 6);
}

/// A 640x480 camera-like frame (grey, the QR code of `uri` 240 pixels wide at `at`); returns
/// the PNG and the code's modules' square (x, y, side) in the frame, quiet zone left out.
fn camera_frame(uri: &str, at: (u32, u32)) -> (Vec<u8>, (f32, f32, f32)) {
    let png = tessera_core::transfer::export::qr::png(uri).unwrap();
    let code = image::load_from_memory(&png).unwrap().to_luma8();
    // The PNG has 8 pixels per module and a 4-module quiet zone.
    let modules = code.width() as f32 / 8.0;
    let code = image::imageops::resize(&code, 240, 240, image::imageops::FilterType::Nearest);
    let mut frame = image::GrayImage::from_pixel(640, 480, image::Luma([150]));
    image::imageops::overlay(&mut frame, &code, at.0.into(), at.1.into());
    let mut out = Vec::new();
    frame
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    let quiet = 4.0 * 240.0 / modules;
    (
        out,
        (
            at.0 as f32 + quiet,
            at.1 as f32 + quiet,
            240.0 - 2.0 * quiet,
        ),
    )
}

/// The Scan tab with frames replayed through the real scanning loop (`TESSERA_TEST_CAMERA`):
/// the preview shows, the code is framed where it is in the frame, the confirmation lets the
/// user correct the name and set a tenant, and the account lands in the list.
#[test]
fn scan_frames_the_code_and_confirms_the_account() {
    scan_and_confirm(false);
}

/// The same through the web view's camera, as on phones (`TESSERA_CAMERA=web`): the page's
/// script draws the picture (the test image standing in for `getUserMedia`, which has no camera
/// here), turns it grey and sends it over the bridge to the same scanning loop.
#[test]
fn the_web_view_camera_scans_through_the_page() {
    scan_and_confirm(true);
}

fn scan_and_confirm(web: bool) {
    let uri = format!("otpauth://totp/Fabrikam:tech@fabrikam.com?secret={SECRET}&issuer=Fabrikam");
    let dir = tempfile::tempdir().unwrap();
    let (png, (x, y, side)) = camera_frame(&uri, (360, 140));
    let image = dir.path().join("frame.png");
    std::fs::write(&image, png).unwrap();
    let mut steps = after_setup(json!([
        {"read": ["bar", "header.bar", "style:position"]},
        {"resize": [360, 800]},
        {"click": "#nav-add"},
        {"click": "#tab-scan"},
        {"click": "#start-camera"},
        {"wait": ["#scan-status", "Found a TOTP account"]},
        {"read": ["outline", "#code-outline polygon", "points"]},
        {"read": ["issuer", "#scan-issuer"]},
        {"read": ["preview", ".confirm img.live", "alt"]},
        {"shot": if web { "phone-scan-found-web" } else { "phone-scan-found" }},
        // Scan again: the camera restarts and finds the code again.
        {"click": "#scan-again"},
        {"gone": "#scan-add"},
        {"wait": ["#scan-status", "Found a TOTP account"]},
        {"type": ["#scan-name", "tech (Anna's phone)"]},
        {"type": ["#add-tenant", "Fabrikam Ltd"]},
        {"click": "#scan-add"},
        {"wait": ["#accounts", "tech (Anna's phone)"]},
        {"wait": ["#accounts", "Fabrikam Ltd"]}
    ]));
    if web {
        // No linked stylesheet: the compiled-in one (checked styled above).
        steps
            .as_array_mut()
            .unwrap()
            .push(json!({"gone": "link[rel=stylesheet]"}));
    }
    let mut env = vec![("TESSERA_TEST_CAMERA", Some(image.as_os_str()))];
    if web {
        env.push(("TESSERA_CAMERA", Some(std::ffi::OsStr::new("web"))));
        // Started as an installed binary is (not by `cargo run`): the asset system finds no
        // bundle, so the compiled-in stylesheet must style the page.
        env.push(("CARGO_MANIFEST_DIR", None));
    }
    let Some(result) = drive(&steps, &env) else {
        return;
    };
    let reads = &result["reads"];
    assert_eq!(reads["issuer"], "Fabrikam");
    assert_eq!(reads["bar"], "sticky", "the stylesheet applies");
    assert_eq!(reads["preview"], "Camera preview");
    // The frame drawn is around the code: the corners' box is the code's square, within a
    // module (about 6 pixels here).
    let corners: Vec<(f32, f32)> = reads["outline"]
        .as_str()
        .unwrap()
        .split(' ')
        .map(|p| {
            let (a, b) = p.split_once(',').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect();
    assert_eq!(corners.len(), 4, "{corners:?}");
    let min = |v: Vec<f32>| v.into_iter().fold(f32::MAX, f32::min);
    let max = |v: Vec<f32>| v.into_iter().fold(f32::MIN, f32::max);
    let xs = || corners.iter().map(|c| c.0).collect::<Vec<_>>();
    let ys = || corners.iter().map(|c| c.1).collect::<Vec<_>>();
    let got = [min(xs()), min(ys()), max(xs()), max(ys())];
    let expected = [x, y, x + side, y + side];
    for (g, e) in got.iter().zip(expected) {
        assert!(
            (g - e).abs() <= 8.0,
            "outline {got:?}, code at {expected:?}"
        );
    }
}

/// A Google Authenticator export of two QR codes through the camera: the first code's
/// accounts are added and scanning goes on ("1 of 2"), skipping the code already read, until
/// the second; then all 11 accounts are in the list.
#[test]
fn the_camera_imports_a_google_export_code_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, link) in google_export().iter().enumerate() {
        let path = dir.path().join(format!("google-{i}.png"));
        std::fs::write(
            &path,
            tessera_core::transfer::export::qr::png(link).unwrap(),
        )
        .unwrap();
        paths.push(path);
    }
    let replay = std::env::join_paths(&paths).unwrap();
    let steps = after_setup(json!([
        {"click": "#nav-add"},
        {"click": "#tab-scan"},
        {"click": "#start-camera"},
        {"wait": ["#accounts", "Service 10"]},
        {"read": ["list", "#accounts"]}
    ]));
    let Some(result) = drive(&steps, &[("TESSERA_TEST_CAMERA", Some(replay.as_os_str()))]) else {
        return;
    };
    let list = result["reads"]["list"].as_str().unwrap();
    for i in 0..11 {
        assert!(
            list.contains(&format!("Service {i}\n")),
            "Service {i} missing: {list}"
        );
    }
}

/// Moving to a new phone, through the window: a verified backup from one vault, then, in a
/// fresh vault, the restore's merge preview ("New 2"), the import, and every field back; the same
/// file again only adds nothing ("Already here, skipped 2").
#[test]
fn a_backup_moves_every_account_to_a_new_vault() {
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("phone.tessera");
    let backup_path = backup.to_str().unwrap();
    let uri =
        format!("otpauth://totp/Microsoft:admin@contoso.com?secret={SECRET}&issuer=Microsoft");
    let old_phone = after_setup(json!([
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", uri]},
        {"type": ["#add-tenant", "Contoso"]},
        {"type": ["#add-tags", "m365, break-glass"]},
        {"type": ["#add-note", "Anna's phone\nre-enrol: aka.ms/mfasetup"]},
        {"click": "#add-paste"},
        {"wait": ["#accounts", "Contoso"]},
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", "otpauth://hotp/VPN:tech?secret=JBSWY3DPEHPK3PXP&counter=7"]},
        {"click": "#add-paste"},
        {"wait": ["#accounts", "VPN"]},
        {"click": "#nav-transfer"},
        {"type": ["#backup-path", backup_path]},
        {"type": ["#backup-password", "moving day"]},
        {"type": ["#backup-vault-password", PASSWORD]},
        {"click": "#backup-now"},
        {"wait": ["#toast", "and verified"]}
    ]));
    let Some(_) = drive(&old_phone, &[]) else {
        return;
    };
    assert!(backup.exists(), "the backup file was written");
    let import = |expect: &str| {
        vec![
            json!({"click": "#nav-transfer"}),
            json!({"type": ["#import-path", backup_path]}),
            json!({"type": ["#import-password", "moving day"]}),
            json!({"click": "#import-preview"}),
            json!({"wait": [".merge-preview", expect]}),
        ]
    };
    let mut new_phone = vec![json!({"resize": [360, 800]})];
    new_phone.extend(import("New 2"));
    new_phone.extend([
        json!({"read": ["preview", ".merge-preview"]}),
        json!({"click": "#import-apply"}),
        json!({"wait": ["#toast", "2 accounts added"]}),
        json!({"wait": ["#accounts", "VPN"]}),
        json!({"click": "#accounts .row .more"}),
        json!({"click": "#accounts .menu .menu-details"}),
        json!({"wait": ["#edit-note", "aka.ms/mfasetup"]}),
        json!({"read": ["note", "#edit-note"]}),
        json!({"read": ["tenant", "#edit-tenant"]}),
        json!({"read": ["tags", "#edit-tags"]}),
        json!({"click": "header.bar .back"}),
    ]);
    new_phone.extend(import("Already here, skipped 2"));
    let Some(result) = drive(&after_setup(Value::Array(new_phone)), &[]) else {
        return;
    };
    let reads = &result["reads"];
    assert!(
        reads["preview"].as_str().unwrap().contains("Tessera"),
        "{reads}"
    );
    assert_eq!(reads["note"], "Anna's phone\nre-enrol: aka.ms/mfasetup");
    assert_eq!(reads["tenant"], "Contoso");
    assert_eq!(reads["tags"], "m365, break-glass");
}

#[test]
fn a_copied_code_leaves_the_clipboard_after_the_timeout_elsewhere_and_on_lock() {
    let uri = format!("otpauth://totp/GitHub:anna?secret={SECRET}&issuer=GitHub");
    let steps = after_setup(json!([
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", uri]},
        {"click": "#add-paste"},
        {"wait": ["#accounts", "GitHub"]},
        {"click": "#nav-settings"},
        {"type": ["#clipboard-clear", "15"]},
        {"click": "header.bar .back"},
        {"click": "#accounts .row .copy"},
        {"wait": ["#toast", "clipboard clears in 15 s"]},
        {"shot": "clip-copied"},
        // Away from the list: the row that copied is gone, its timer must not be.
        {"click": "#nav-settings"},
        {"wait": ["main.settings", "Clear copied codes after"]},
        {"sleep": 16500},
        {"shot": "clip-after-timeout"},
        {"click": "header.bar .back"},
        {"click": "#accounts .row .copy"},
        {"wait": ["#toast", "Copied"]},
        {"shot": "clip-copied-again"},
        {"click": "#nav-lock"},
        {"wait": ["#unlock", "Unlock"]},
        {"shot": "clip-after-lock"}
    ]));
    if !have("xclip") && std::env::var_os("TESSERA_REQUIRE_XVFB").is_none() {
        eprintln!("note: clipboard test skipped: xclip missing (apt-get install xclip)");
        return;
    }
    let Some(result) = drive(&steps, &[]) else {
        return;
    };
    let clip = &result["clipboard"];
    let copied = clip["copied"].as_str().unwrap();
    assert_eq!(copied.len(), 6, "a code was copied: {clip}");
    assert!(copied.chars().all(|c| c.is_ascii_digit()), "{clip}");
    assert_eq!(
        clip["after-timeout"], "",
        "cleared after 15 s on another screen: {clip}"
    );
    assert_eq!(clip["copied-again"].as_str().unwrap().len(), 6, "{clip}");
    assert_eq!(clip["after-lock"], "", "cleared on lock: {clip}");
}

#[test]
fn after_a_lock_the_keystore_waits_for_the_user() {
    // The vault is made with keystore unlock on (where a Secret Service answers).
    let keyring = std::env::var_os("TESSERA_REQUIRE_KEYRING").is_some();
    let mut steps = vec![
        json!({"wait": ["#create-vault", "Create vault"]}),
        json!({"type": ["#new-password", PASSWORD]}),
        json!({"type": ["#new-password-again", PASSWORD]}),
        json!({"click": "#create-vault"}),
        json!({"wait": ["main.list", "No accounts yet"]}),
        json!({"click": "#nav-lock"}),
        json!({"wait": ["#unlock", "Unlock"]}),
        json!({"sleep": 3000}),
        json!({"wait": ["#unlock", "Unlock"]}),
        json!({"gone": "main.list"}),
        json!({"click": "#unlock-keystore"}),
    ];
    steps.push(if keyring {
        json!({"wait": ["main.list", "No accounts yet"]})
    } else {
        json!({"wait": ["#unlock-error", "did not open the vault"]})
    });
    let _ = drive(&Value::Array(steps), &[]);
}

#[test]
fn weaker_lock_settings_and_keyring_unlock_ask_for_the_vault_password() {
    let keyring = std::env::var_os("TESSERA_REQUIRE_KEYRING").is_some();
    let mut steps = after_setup(json!([
        {"click": "#nav-settings"},
        {"wait": ["main.settings", "Lock after"]},
        {"type": ["#auto-lock", "0"]},
        {"wait": ["#lock-confirm", "Confirm with your vault password"]},
        {"type": ["#lock-confirm-password", "a guess"]},
        {"click": "#lock-confirm-apply"},
        {"wait": ["#toast", "not the vault password"]},
        {"type": ["#lock-confirm-password", PASSWORD]},
        {"click": "#lock-confirm-apply"},
        {"wait": ["#toast", "Lock settings changed"]},
        {"gone": "#lock-confirm"},
        // Stronger again needs nothing.
        {"type": ["#auto-lock", "60"]},
        {"gone": "#lock-confirm"},
        {"type": ["#keystore-password", "a guess"]},
        {"click": "#keystore-on"},
        {"wait": ["#toast", "not the vault password"]},
        {"type": ["#keystore-password", PASSWORD]},
        {"click": "#keystore-on"}
    ]));
    if keyring {
        steps
            .as_array_mut()
            .unwrap()
            .push(json!({"wait": ["#toast", "keyring is on"]}));
    }
    let _ = drive(&steps, &[]);
}

#[test]
fn the_app_and_another_program_on_one_vault_lose_nothing_and_a_new_password_locks_the_app() {
    use tessera_core::vault::{KdfParams, Vault};
    let microsoft =
        format!("otpauth://totp/Microsoft:admin@contoso.com?secret={SECRET}&issuer=Microsoft");
    let steps = after_setup(json!([
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", microsoft]},
        {"click": "#add-paste"},
        {"wait": ["#accounts", "Microsoft"]},
        // "tessera-cli add" while the app is open and unlocked.
        {"shot": "hook-cli-add"},
        {"wait": ["#accounts", "GitHub"]},
        {"wait": ["#toast", "Another program changed the vault"]},
        // The app, which read the file before that, saves an edit: both survive.
        {"type": ["#search", "microsoft"]},
        {"click": "#accounts .row .more"},
        {"click": "#accounts .menu .menu-details"},
        {"type": ["#edit-note", "edited in the app"]},
        {"click": "#save-details"},
        {"wait": ["#toast", "Saved"]},
        // The secret and its QR code only after the password.
        {"type": ["#reveal-password", "a guess"]},
        {"click": "#reveal"},
        {"wait": ["#toast", "not the vault password"]},
        {"gone": "code.uri"},
        {"type": ["#reveal-password", PASSWORD]},
        {"click": "#reveal"},
        {"wait": ["code.uri", "otpauth://totp/Microsoft"]},
        {"shot": "hook-check-both"},
        // "tessera-cli passwd": the app notices within a second, locks and says why; it never
        // writes the old password back.
        {"shot": "hook-passwd"},
        {"wait": ["#unlock", "Unlock"]},
        {"wait": ["#toast", "changed the vault's password"]},
        {"shot": "hook-old-password-gone"}
    ]));
    let mut seen = Vec::new();
    let mut hook = |name: &str, vault: &Path, _display: &str| {
        seen.push(name.to_owned());
        match name {
            "cli-add" => {
                let (mut other, _) = Vault::unlock(vault, PASSWORD.as_bytes()).unwrap();
                let github = tessera_core::otp::parse_otpauth(
                    "otpauth://totp/GitHub:anna?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
                )
                .unwrap();
                other.add(github, 1).unwrap();
            }
            "check-both" => {
                let (now, _) = Vault::unlock(vault, PASSWORD.as_bytes()).unwrap();
                let labels: Vec<String> = now.accounts().iter().map(|a| a.label()).collect();
                assert!(labels.iter().any(|l| l.starts_with("GitHub")), "{labels:?}");
                let microsoft = now
                    .accounts()
                    .into_iter()
                    .find(|a| a.issuer == "Microsoft")
                    .unwrap()
                    .clone();
                assert_eq!(microsoft.note, "edited in the app");
            }
            "passwd" => {
                let (mut other, _) = Vault::unlock(vault, PASSWORD.as_bytes()).unwrap();
                other
                    .change_password(b"the new passphrase", KdfParams::MINIMUM, None)
                    .unwrap();
            }
            "old-password-gone" => {
                assert!(Vault::unlock(vault, PASSWORD.as_bytes()).is_err());
                let (now, _) = Vault::unlock(vault, b"the new passphrase").unwrap();
                assert_eq!(now.len(), 2);
                let microsoft = now
                    .accounts()
                    .into_iter()
                    .find(|a| a.issuer == "Microsoft")
                    .unwrap()
                    .clone();
                assert_eq!(
                    microsoft.note, "edited in the app",
                    "the stale write was refused"
                );
            }
            other => panic!("unknown hook {other}"),
        }
    };
    if drive_with(&steps, &[], &mut hook).is_none() {
        return;
    }
    assert_eq!(
        seen,
        ["cli-add", "check-both", "passwd", "old-password-gone"]
    );
}

#[test]
fn a_damaged_vault_opens_its_older_copy_and_writes_nothing_until_confirmed() {
    let microsoft =
        format!("otpauth://totp/Microsoft:admin@contoso.com?secret={SECRET}&issuer=Microsoft");
    let steps = after_setup(json!([
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", microsoft]},
        {"click": "#add-paste"},
        {"wait": ["#accounts", "Microsoft"]},
        {"click": "#accounts .row .more"},
        {"click": "#accounts .menu .menu-details"},
        {"type": ["#edit-note", "the newest note"]},
        {"click": "#save-details"},
        {"wait": ["#toast", "Saved"]},
        {"click": ".pane-detail header.bar .back"},
        {"click": "#nav-lock"},
        {"wait": ["#unlock", "Unlock"]},
        // A bit of the newest file goes bad on disk.
        {"shot": "hook-damage"},
        {"type": ["#password", PASSWORD]},
        {"click": "#unlock"},
        {"wait": ["#copy-banner", "opened the copy kept beside it"]},
        {"read": ["banner", "#copy-banner"]},
        {"shot": "hook-untouched"},
        {"click": "#copy-confirm"},
        {"wait": ["#toast", "That copy is now the vault"]},
        {"gone": "#copy-banner"},
        {"shot": "hook-confirmed"}
    ]));
    let mut damaged = Vec::new();
    let mut hook = |name: &str, vault: &Path, _display: &str| match name {
        "damage" => {
            let mut bytes = std::fs::read(vault).unwrap();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x20;
            std::fs::write(vault, &bytes).unwrap();
            damaged = bytes;
        }
        "untouched" => assert_eq!(std::fs::read(vault).unwrap(), damaged, "nothing written"),
        "confirmed" => {
            let (now, report) =
                tessera_core::vault::Vault::unlock(vault, PASSWORD.as_bytes()).unwrap();
            assert_eq!(report.generation, 0, "the copy is the vault now");
            assert_eq!(now.len(), 1);
            let kept = tessera_core::vault::generation_path(vault, 1);
            assert_eq!(
                std::fs::read(kept).unwrap(),
                damaged,
                "the damaged file is kept"
            );
        }
        other => panic!("unknown hook {other}"),
    };
    let Some(result) = drive_with(&steps, &[], &mut hook) else {
        return;
    };
    let banner = result["reads"]["banner"].as_str().unwrap();
    assert!(
        banner.contains("e2e.vault.1") && banner.contains("written 20"),
        "{banner}"
    );
}

/// Changing the password in the window: the key derivations run off the UI thread while the
/// vault stays open, so the unlock screen never shows (before, the window took the vault out
/// for the change, the unlock screen mounted, and with keyring unlock on its keystore attempt
/// could open a second session). Then the new password unlocks, and the old one does not.
#[test]
fn the_password_changes_without_the_app_ever_looking_locked() {
    const NEW: &str = "a much longer new passphrase";
    let steps = json!([
        {"wait": ["#create-vault", "Create vault"]},
        {"type": ["#new-password", PASSWORD]},
        {"type": ["#new-password-again", PASSWORD]},
        // Keyring unlock stays on (where a Secret Service answers): the case of the old race.
        {"click": "#create-vault"},
        {"wait": ["main.list", "No accounts yet"]},
        {"click": "#nav-add"},
        {"click": "#tab-paste"},
        {"type": ["#paste-uri", "otpauth://totp/GitHub:anna?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"]},
        {"click": "#add-paste"},
        {"wait": ["#accounts", "GitHub"]},
        {"watch": ["unlock-screen", "#unlock"]},
        {"click": "#nav-settings"},
        {"type": ["#old-password", PASSWORD]},
        {"type": ["#new-password-1", NEW]},
        {"type": ["#new-password-2", NEW]},
        {"click": "#change-password"},
        {"wait": ["#toast", "Password changed"]},
        {"gone": "#seen-unlock-screen"},
        {"wait": ["main.settings", "Change password"]},
        {"click": "header.bar .back"},
        {"click": "#nav-lock"},
        {"type": ["#password", PASSWORD]},
        {"click": "#unlock"},
        {"wait": ["#unlock-error", "Wrong password"]},
        {"type": ["#password", NEW]},
        {"click": "#unlock"},
        {"wait": ["#accounts", "GitHub"]},
    ]);
    let mut checked = None;
    let Some(_) = drive_with(
        &Value::Array(
            steps
                .as_array()
                .unwrap()
                .iter()
                .cloned()
                .chain([json!({"shot": "hook-check"})])
                .collect(),
        ),
        &[],
        // The file itself, while the app runs: the old password opens nothing.
        &mut |_, vault, _| {
            let old = tessera_core::vault::Vault::unlock(vault, PASSWORD.as_bytes()).is_ok();
            let new = tessera_core::vault::Vault::unlock(vault, NEW.as_bytes())
                .map(|(v, _)| v.accounts().len());
            checked = Some((old, new));
        },
    ) else {
        return;
    };
    let (old_opens, new_opens) = checked.expect("the hook ran");
    assert!(!old_opens, "the old password still opens the vault");
    assert_eq!(new_opens, Ok(1));
}

/// Leaving the screen while its job runs (Escape during an export's key derivation): the busy
/// indicator goes with the screen instead of covering the window for good.
#[test]
fn leaving_a_screen_during_its_job_does_not_leave_the_window_busy() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("left.json");
    let export = export.to_str().unwrap();
    let steps = after_setup(json!([
        {"click": "#nav-transfer"},
        {"type": ["#export-path", export]},
        {"type": ["#export-password", "for the colleague"]},
        {"type": ["#export-vault-password", PASSWORD]},
        {"click": "#export-now"},
        {"key": ["#export-now", "Escape"]},
        {"wait": ["main.list", "No accounts yet"]},
        {"gone": ".busy"},
        // The same with a job whose end writes to the screen that is gone (the import's
        // preview): the window lives on.
        {"click": "#nav-transfer"},
        {"type": ["#backup-path", format!("{export}.tessera")]},
        {"type": ["#backup-password", "moving day"]},
        {"type": ["#backup-vault-password", PASSWORD]},
        {"click": "#backup-now"},
        {"wait": ["#toast", "and verified"]},
        {"type": ["#import-path", format!("{export}.tessera")]},
        {"type": ["#import-password", "moving day"]},
        {"click": "#import-preview"},
        {"key": ["#import-preview", "Escape"]},
        {"wait": ["main.list", "No accounts yet"]},
        {"gone": ".busy"},
        {"sleep": 3000},
        {"click": "#nav-add"},
        {"wait": ["main.add", "Paste"]},
    ]));
    let _ = drive(&steps, &[]);
}
