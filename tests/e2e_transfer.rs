//! Phone to phone by animated QR codes, end to end in real windows: one app instance shows the
//! transfer (Transfer → Send to another device); the test photographs its window while the
//! codes play (X screenshots: the pixels the sender's own code put on screen), loses a fifth of
//! the distinct frames, puts two frames of another transfer in among them, and replays the rest
//! through the replay camera into a second instance with a fresh vault. There the ring fills,
//! a wrong code is refused and retyped without scanning again, the merge preview shows three
//! new accounts, and every seed, note, tenant and tag arrives exactly (read back from the
//! second vault's file).
//!
//! Skipped with a notice when Xvfb is missing (TESSERA_REQUIRE_XVFB=1 makes that a failure).

#![recursion_limit = "512"]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tessera_core::otp::{Account, Enrolment, Payload, parse_payload, to_otpauth};
use tessera_core::scan::{Effort, decode, scan_image};
use tessera_core::transfer::export::qr;
use tessera_core::transfer::handover::{Receiver, Sender, TransferCode, is_transfer_frame};
use tessera_core::vault::{KdfParams, Vault};

#[path = "support/driver.rs"]
mod driver;
mod support;

use driver::{PASSWORD, after_setup, drive_with};

/// The accounts sent: URI, tenant, tags, note.
const ACCOUNTS: [(&str, &str, &str, &str); 3] = [
    (
        "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft",
        "Contoso Ltd",
        "m365, break-glass",
        "Anna's phone\nre-enrol: aka.ms/mfasetup",
    ),
    (
        "otpauth://totp/GitHub:tech@fabrikam.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub&digits=8&period=60&algorithm=SHA256",
        "Fabrikam",
        "dev",
        "Shared with Bob (his phone is enrolled separately)",
    ),
    (
        "otpauth://hotp/VPN:tech?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ&counter=7",
        "",
        "",
        "",
    ),
];

/// The sender: three accounts, then the sending screen; `hook-frames` is where the test
/// photographs it.
fn sender_steps() -> Value {
    let mut steps = Vec::new();
    for (uri, tenant, tags, note) in ACCOUNTS {
        steps.extend([
            json!({"click": "#nav-add"}),
            json!({"click": "#tab-paste"}),
            json!({"type": ["#paste-uri", uri]}),
            json!({"type": ["#add-tenant", tenant]}),
            json!({"type": ["#add-tags", tags]}),
            json!({"type": ["#add-note", note]}),
            json!({"click": "#add-paste"}),
            json!({"wait": ["#toast", "added"]}),
        ]);
    }
    steps.extend([
        json!({"wait": ["#accounts", "VPN"]}),
        json!({"click": "#nav-transfer"}),
        json!({"click": "#open-send"}),
        json!({"wait": ["#send-count", "3 accounts will be sent"]}),
        json!({"type": ["#send-vault-password", PASSWORD]}),
        json!({"click": "#send-start"}),
        json!({"wait": ["#send-facts", "3 accounts"]}),
        json!({"wait": ["#send-qr", ""]}),
        json!({"read": ["code", "#send-code"]}),
        json!({"shot": "transfer-send"}),
        json!({"shot": "hook-frames"}),
        json!({"click": "#send-stop"}),
        json!({"wait": ["main.transfer", "Send to another device"]}),
    ]);
    after_setup(Value::Array(steps))
}

/// A screenshot of the whole display, as PNG bytes.
fn photograph(display: &str, file: &Path) -> Option<Vec<u8>> {
    let status = Command::new("import")
        .args(["-window", "root", file.to_str().unwrap()])
        .env("DISPLAY", display)
        .status()
        .ok()?;
    status.success().then(|| std::fs::read(file).ok())?
}

/// Photographs the sending window until the frames kept complete the transfer; every fifth
/// distinct frame is lost the first time it is photographed (it is caught when the endless
/// stream brings it round again, as a camera would). Returns the kept photographs, in the
/// order taken.
fn photograph_frames(display: &str, dir: &Path) -> Vec<PathBuf> {
    let mut seen = Vec::<String>::new();
    let mut lost = Vec::<String>::new();
    let mut taken = Vec::<String>::new();
    let mut kept = Vec::new();
    let mut receiver = Receiver::default();
    // Generous: under load a photograph of the display can take a second.
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut shot = 0;
    while !receiver.progress().complete {
        assert!(
            Instant::now() < deadline,
            "240 s of photographs did not complete the transfer: {:?}, {} distinct frames, {} lost",
            receiver.progress(),
            seen.len(),
            lost.len()
        );
        shot += 1;
        let file = dir.join(format!("photo-{shot:03}.png"));
        let Some(png) = photograph(display, &file) else {
            panic!("import could not photograph the display (apt-get install imagemagick)");
        };
        let frame = scan_image(&png).unwrap();
        let Some(text) = decode(&frame, Effort::Frame)
            .into_iter()
            .find(|t| is_transfer_frame(t))
        else {
            continue;
        };
        if taken.contains(&text) {
            continue;
        }
        if !seen.contains(&text) {
            seen.push(text.clone());
            if seen.len() % 5 == 3 {
                lost.push(text);
                continue;
            }
        }
        receiver.receive(&text).unwrap();
        taken.push(text);
        kept.push(file);
    }
    let caught = taken.iter().filter(|t| lost.contains(t)).count();
    eprintln!(
        "{shot} photographs: {} distinct frames, {} lost at first sight ({caught} caught when \
         they came round), {} kept",
        seen.len(),
        lost.len(),
        kept.len()
    );
    assert!(
        !lost.is_empty(),
        "no frame was lost: the test would prove nothing"
    );
    kept
}

/// The account an [`ACCOUNTS`] URI makes.
fn enrolment(uri: &str) -> Enrolment {
    match parse_payload(uri) {
        Ok(Payload::Account(enrolment)) => enrolment,
        _ => panic!("not an account URI"),
    }
}

/// A frame of another transfer (another sender, another code), as an image file.
fn other_transfer_frame(dir: &Path) -> PathBuf {
    let account = Account::new(
        enrolment("otpauth://totp/Other:x?secret=JBSWY3DPEHPK3PXP"),
        0,
    );
    let code = TransferCode::generate();
    let mut sender = Sender::new(&[(account, None)], &code, KdfParams::MINIMUM).unwrap();
    let file = dir.join("other-transfer.png");
    std::fs::write(&file, qr::png(&sender.next_frame()).unwrap()).unwrap();
    file
}

#[test]
fn a_transfer_plays_from_one_window_into_another_with_frames_lost() {
    let dir = tempfile::tempdir().unwrap();
    let mut kept = Vec::new();
    let Some(sent) = drive_with(&sender_steps(), &[], &mut |name, _vault, display| {
        if name == "frames" {
            kept = photograph_frames(display, dir.path());
        }
    }) else {
        return;
    };
    let code = sent["reads"]["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 14, "XXXX-XXXX-XXXX: {code:?}");

    // Two frames of another transfer among the sender's: after the third and in the middle
    // (never first, where the receiver would take the other transfer for its own).
    let other = other_transfer_frame(dir.path());
    let mut replay = kept.clone();
    replay.insert(replay.len() / 2, other.clone());
    replay.insert(3.min(replay.len()), other);
    let replay = std::env::join_paths(&replay).unwrap();

    let mut wrong = TransferCode::generate().display().as_str().to_owned();
    while wrong == code {
        wrong = TransferCode::generate().display().as_str().to_owned();
    }
    let steps = after_setup(json!([
        {"resize": [360, 800]},
        {"click": "#nav-add"},
        {"click": "#tab-scan"},
        {"watch": ["ring", "#transfer-progress"]},
        {"click": "#start-camera"},
        {"wait": ["main", "Type the code the sending device shows"]},
        {"wait": ["#seen-ring", ""]},
        {"read": ["other", "#transfer-other"]},
        {"read": ["extra", "details.extra", "style:display"]},
        {"type": ["#transfer-code", wrong]},
        {"click": "#transfer-open"},
        {"wait": ["#transfer-error", "not the code"]},
        {"shot": "phone-transfer-wrong-code"},
        {"type": ["#transfer-code", code.to_lowercase()]},
        {"click": "#transfer-open"},
        {"wait": [".merge-preview", "New 3"]},
        {"read": ["preview", ".merge-preview"]},
        {"shot": "phone-transfer-preview"},
        {"click": "#transfer-add"},
        {"wait": ["#toast", "3 accounts added"]},
        {"wait": ["#accounts", "VPN"]},
        {"shot": "hook-vault"}
    ]));
    let mut arrived = Vec::new();
    let Some(result) = drive_with(
        &steps,
        &[("TESSERA_TEST_CAMERA", Some(replay.as_os_str()))],
        &mut |name, vault, _| {
            if name == "vault" {
                let (vault, _) = Vault::unlock(vault, PASSWORD.as_bytes()).unwrap();
                arrived = vault
                    .accounts()
                    .into_iter()
                    .map(|a| {
                        (
                            // The tenant is compared on its own.
                            to_otpauth(&Enrolment {
                                tenant: String::new(),
                                ..a.enrolment()
                            })
                            .as_str()
                            .to_owned(),
                            a.tenant.clone(),
                            a.tags.join(", "),
                            a.note.clone(),
                        )
                    })
                    .collect();
            }
        },
    ) else {
        return;
    };
    let reads = &result["reads"];
    assert!(
        reads["other"]
            .as_str()
            .unwrap()
            .contains("another transfer"),
        "{reads}"
    );
    // The one-account tenant, tags and note fields would not apply to what arrives.
    assert_eq!(reads["extra"], "none", "{reads}");
    let preview = reads["preview"].as_str().unwrap();
    assert!(preview.contains("From the other device: New 3"), "{reads}");
    assert!(preview.contains("QR codes"), "{reads}");
    let mut expected: Vec<(String, String, String, String)> = ACCOUNTS
        .iter()
        .map(|(uri, tenant, tags, note)| {
            (
                to_otpauth(&enrolment(uri)).as_str().to_owned(),
                tenant.to_string(),
                tags.to_string(),
                note.to_string(),
            )
        })
        .collect();
    expected.sort();
    arrived.sort();
    assert_eq!(arrived, expected);
}
