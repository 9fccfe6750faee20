//! Animated QR transfers (issue 16): making a frame, decoding one transfer frame from a 720p
//! camera picture, and taking it into the receiver; printed once: the camera time a transfer
//! needs at 30 frames per second with 20% of frames lost (40 accounts with 200-character notes,
//! and 500), the QR code's size, and what one guess of the code costs (the transfer's
//! Argon2id).
//!
//! Goals: 40 accounts in under 5 s of camera time, 500 in under 60 s; one frame decoded at
//! 720p in under 10 ms. Run with `cargo bench --bench handover`.

use criterion::{Criterion, criterion_group, criterion_main};
use image::imageops::FilterType;
use tessera_core::otp::{Account, Algorithm, Enrolment, Otp, OtpKind, Secret};
use tessera_core::scan::{Effort, GreyFrame, decode, scan_image};
use tessera_core::transfer::export::qr;
use tessera_core::transfer::handover::{Receiver, Sender, TRANSFER_KDF, TransferCode};
use tessera_core::vault::{BackupEntry, KdfParams};

fn accounts(n: usize) -> Vec<BackupEntry> {
    let note = "Enrolled on the shared admin phone; re-enrol through the tenant portal. ".repeat(3)
        [..200]
        .to_owned();
    (0..n)
        .map(|i| {
            let secret =
                Secret::from_bytes((0..20).map(|b| (b as usize * 31 + i * 7) as u8).collect())
                    .unwrap();
            let otp = Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret).unwrap();
            let enrolment = Enrolment {
                issuer: "Microsoft".into(),
                name: format!("admin{i}@tenant{}.onmicrosoft.com", i % 300),
                tenant: String::new(),
                otp,
            };
            let mut a = Account::new(enrolment, 1_700_000_000);
            a.note = note.clone();
            a.tenant = format!("Customer {}", i % 300);
            a.tags = vec![format!("tag{}", i % 7), "msp".into()];
            (a, None)
        })
        .collect()
}

/// Frames shown until a receiver that loses every fifth frame at random has the container.
fn frames_until_complete(sender: &mut Sender, seed: u64) -> usize {
    let mut receiver = Receiver::default();
    let mut state = seed;
    let mut shown = 0;
    while !receiver.progress().complete {
        let frame = sender.next_frame();
        shown += 1;
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        if (state >> 33).is_multiple_of(5) {
            continue; // lost
        }
        receiver.receive(&frame).expect("a valid frame");
    }
    shown
}

/// A 1280x720 camera picture with the QR code filling about two thirds of its height (a phone
/// held at arm's length from the sending screen).
fn camera_picture(png: &[u8]) -> GreyFrame {
    let code = image::load_from_memory(png).unwrap().to_luma8();
    let side = 480;
    let code = image::imageops::resize(&code, side, side, FilterType::Triangle);
    let mut picture = image::GrayImage::from_pixel(1280, 720, image::Luma([128]));
    image::imageops::overlay(&mut picture, &code, (1280 - side as i64) / 2, 120);
    let mut bytes = Vec::new();
    picture
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    scan_image(&bytes).unwrap()
}

fn bench(c: &mut Criterion) {
    let code = TransferCode::generate();
    for n in [40, 500] {
        let entries = accounts(n);
        let mut sender = Sender::new(&entries, &code, KdfParams::MINIMUM).unwrap();
        let runs: Vec<usize> = (1..=5)
            .map(|seed| frames_until_complete(&mut sender, seed))
            .collect();
        let worst = *runs.iter().max().unwrap();
        eprintln!(
            "{n} accounts: {} bytes, {} fragments; frames until complete with 20% lost: {runs:?}; \
             worst {worst} = {:.1} s at 30 frames per second",
            sender.bytes(),
            sender.fragments(),
            worst as f64 / 30.0
        );
    }

    let mut sender = Sender::new(&accounts(40), &code, KdfParams::MINIMUM).unwrap();
    let text = sender.next_frame();
    let png = qr::png(&text).unwrap();
    let modules = image::load_from_memory(&png).unwrap().width() / 8 - 8;
    eprintln!(
        "a frame: {} characters, a QR code of {modules} modules a side (version {})",
        text.len(),
        (modules - 17) / 4
    );
    let picture = camera_picture(&png);
    assert_eq!(
        decode(&picture, Effort::Frame),
        vec![text.clone()],
        "the picture decodes"
    );

    let start = std::time::Instant::now();
    let _ = tessera_core::vault::SealedBackup::seal(&accounts(1), b"guess", TRANSFER_KDF);
    eprintln!(
        "one guess of a transfer code (Argon2id {} KiB, {} passes, {} lanes): {:.2} s",
        TRANSFER_KDF.m_kib,
        TRANSFER_KDF.t,
        TRANSFER_KDF.p,
        start.elapsed().as_secs_f64()
    );

    let mut group = c.benchmark_group("handover");
    group.sample_size(20);
    group.bench_function("next frame and its PNG", |b| {
        b.iter(|| qr::png(&sender.next_frame()).unwrap())
    });
    group.bench_function("decode one transfer frame at 720p", |b| {
        b.iter(|| decode(&picture, Effort::Frame))
    });
    let frames: Vec<String> = (0..sender.fragments() * 2)
        .map(|_| sender.next_frame())
        .collect();
    group.bench_function("receive every frame of 40 accounts", |b| {
        b.iter(|| {
            let mut receiver = Receiver::default();
            for f in &frames {
                if receiver.receive(f).unwrap().complete {
                    break;
                }
            }
            receiver
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
