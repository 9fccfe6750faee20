//! Animated QR transfers: frames dropped, repeated and out of order still deliver every
//! account exactly; a wrong code can be retyped; another transfer's frames are ignored; a
//! tampered or hostile sequence adds nothing and never panics.

use tessera_core::otp::{Account, Algorithm, Enrolment, Otp, OtpKind, Secret};
use tessera_core::transfer::backup::content_hash;
use tessera_core::transfer::handover::{
    FrameError, ReceiveError, Receiver, Sender, TransferCode, UR_TYPE, is_transfer_frame,
};
use tessera_core::vault::{BackupEntry, KdfParams, SealedBackup};

fn entries(n: usize) -> Vec<BackupEntry> {
    (0..n)
        .map(|i| {
            let secret = Secret::from_bytes((0..20).map(|b| (b * 3 + i) as u8).collect()).unwrap();
            let otp = Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret).unwrap();
            let mut a = Account::new(
                Enrolment {
                    issuer: "Microsoft".into(),
                    name: format!("admin{i}@contoso{i}.onmicrosoft.com"),
                    tenant: String::new(),
                    otp,
                },
                1_700_000_000 + i as u64,
            );
            a.tenant = format!("Contoso {i}");
            a.tags = vec!["customer".into(), format!("t{i}")];
            a.note = "Enrolled on the shared admin phone; re-enrol via aka.ms/mfasetup. ".repeat(3);
            (a, None)
        })
        .collect()
}

/// Whether frame `i` of two stream cycles (`cycle` frames each) is lost: a fifth of each
/// cycle, at positions that differ between the cycles, so no plain fragment loses both copies
/// and the receiver must complete whatever the random container.
fn dropped(i: usize, cycle: usize) -> bool {
    (i % cycle) % 5 == if i < cycle { 2 } else { 3 }
}

#[test]
fn frames_dropped_repeated_and_out_of_order_deliver_every_account() {
    let entries = entries(40);
    let code = TransferCode::generate();
    let mut sender = Sender::new(&entries, &code, KdfParams::MINIMUM).unwrap();
    assert!(sender.fragments() > 10, "{sender:?}");
    // Two cycles of the stream, backwards, with repeats and a fifth lost.
    let cycle = 2 * sender.fragments();
    let mut frames: Vec<(usize, String)> =
        (0..2 * cycle).map(|i| (i, sender.next_frame())).collect();
    assert!(
        frames
            .iter()
            .all(|(_, f)| f.starts_with("UR:TESSERA-TRANSFER/"))
    );
    assert!(frames.iter().all(|(_, f)| is_transfer_frame(f)));
    frames.reverse();
    let repeated = frames[0].1.clone();
    let mut receiver = Receiver::default();
    let mut used = 0;
    for (i, frame) in &frames {
        if dropped(*i, cycle) {
            continue;
        }
        used += 1;
        let progress = receiver.receive(frame).unwrap();
        assert!(progress.fraction() <= 1.0);
        receiver.receive(&repeated).unwrap();
        if progress.complete {
            break;
        }
    }
    assert!(receiver.progress().complete, "complete after {used} frames");
    let back = receiver.open(&code).unwrap();
    assert_eq!(content_hash(&back), content_hash(&entries));
}

#[test]
fn a_wrong_code_can_be_retyped_without_scanning_again() {
    let entries = entries(3);
    let code = TransferCode::generate();
    let mut sender = Sender::new(&entries, &code, KdfParams::MINIMUM).unwrap();
    let mut receiver = Receiver::default();
    assert_eq!(
        receiver.open(&code),
        Err(ReceiveError::Incomplete(0.0)),
        "nothing yet"
    );
    while !receiver.progress().complete {
        receiver.receive(&sender.next_frame()).unwrap();
    }
    let other = TransferCode::generate();
    assert_eq!(receiver.open(&other), Err(ReceiveError::WrongCode));
    assert_eq!(receiver.open(&code).unwrap().len(), 3);
}

#[test]
fn another_transfers_frames_are_ignored_and_do_not_spoil_this_one() {
    let code = TransferCode::generate();
    let mut first = Sender::new(&entries(5), &code, KdfParams::MINIMUM).unwrap();
    let mut second = Sender::new(&entries(6), &code, KdfParams::MINIMUM).unwrap();
    let mut receiver = Receiver::default();
    receiver.receive(&first.next_frame()).unwrap();
    assert_eq!(
        receiver.receive(&second.next_frame()),
        Err(FrameError::OtherTransfer)
    );
    assert_eq!(
        receiver.receive("otpauth://totp/x?secret=JBSWY3DP"),
        Err(FrameError::NotTransfer)
    );
    while !receiver.progress().complete {
        receiver.receive(&first.next_frame()).unwrap();
        let _ = receiver.receive(&second.next_frame());
    }
    assert_eq!(receiver.open(&code).unwrap().len(), 5);
}

#[test]
fn a_tampered_container_in_well_formed_frames_adds_nothing() {
    let code = TransferCode::generate();
    let sealed = SealedBackup::seal(&entries(4), code.password(), KdfParams::MINIMUM).unwrap();
    // Someone re-encodes a changed container into frames that are themselves valid.
    let mut bytes = sealed.bytes.clone();
    let n = bytes.len() - 20;
    bytes[n] ^= 1;
    let mut encoder = ur::Encoder::new(&bytes, 160, UR_TYPE).unwrap();
    let mut receiver = Receiver::default();
    while !receiver.progress().complete {
        receiver.receive(&encoder.next_part().unwrap()).unwrap();
    }
    let error = receiver.open(&code).unwrap_err();
    assert!(matches!(error, ReceiveError::Tampered(_)), "{error:?}");
    assert!(error.to_string().contains("nothing was added"));

    // The same container untouched opens: the failure above is the change, not the route.
    let mut encoder = ur::Encoder::new(&sealed.bytes, 160, UR_TYPE).unwrap();
    let mut receiver = Receiver::default();
    while !receiver.progress().complete {
        receiver.receive(&encoder.next_part().unwrap()).unwrap();
    }
    assert_eq!(receiver.open(&code).unwrap().len(), 4);
}

#[test]
fn hostile_frames_are_refused_before_the_fountain_decoder_sees_them() {
    // A part claiming 4 billion fragments (the decoder would allocate for each).
    let part = |seq: u32, count: u32, length: u32, data: &[u8]| {
        let mut cbor = Vec::new();
        minicbor::Encoder::new(&mut cbor)
            .array(5)
            .unwrap()
            .u32(seq)
            .unwrap()
            .u32(count)
            .unwrap()
            .u32(length)
            .unwrap()
            .u32(7)
            .unwrap()
            .bytes(data)
            .unwrap();
        let words = ur::bytewords::encode(&cbor, ur::bytewords::Style::Minimal);
        format!("ur:{UR_TYPE}/{seq}-{count}/{words}")
    };
    // Found by the fuzz target: byte 20 inside a character.
    assert!(!is_transfer_frame(
        "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}x"
    ));
    let mut receiver = Receiver::default();
    assert_eq!(
        receiver.receive("\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}x"),
        Err(FrameError::NotTransfer)
    );
    for frame in [
        part(1, u32::MAX, 100, &[0; 100]),
        part(0, 3, 300, &[0; 100]),
        part(1, 3, 9_000, &[0; 100]),
        part(1, 3, 300, &[]),
        part(1, 3, 300, &[0; 5_000]),
        part(70_000, 3, 300, &[0; 100]),
        "ur:tessera-transfer/1-3/".to_owned(),
        "ur:tessera-transfer/nonsense".to_owned(),
        "UR:TESSERA-TRANSFER/1-2/ZZZZ".to_owned(),
    ] {
        assert!(
            matches!(receiver.receive(&frame), Err(FrameError::Damaged(_))),
            "{frame}"
        );
    }
    // The header's numbers must agree with the text's.
    let liar = part(1, 3, 300, &[0; 100]).replacen("/1-3/", "/2-3/", 1);
    assert!(matches!(
        receiver.receive(&liar),
        Err(FrameError::Damaged(_))
    ));
    assert!(!receiver.started());
    // A well-formed part still goes in afterwards.
    assert!(receiver.receive(&part(1, 3, 300, &[0; 100])).is_ok());
}

#[test]
fn the_stream_starts_over_after_twice_the_fragments_so_late_receivers_see_plain_parts() {
    let code = TransferCode::generate();
    let mut sender = Sender::new(&entries(10), &code, KdfParams::MINIMUM).unwrap();
    let n = sender.fragments();
    let seq = |frame: &str| -> usize {
        frame
            .split('/')
            .nth(1)
            .unwrap()
            .split('-')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let frames: Vec<String> = (0..4 * n + 1).map(|_| sender.next_frame()).collect();
    assert_eq!(seq(&frames[0]), 1);
    assert_eq!(seq(&frames[2 * n - 1]), 2 * n, "plain, then as many mixed");
    assert_eq!(seq(&frames[2 * n]), 1, "then over again");
    assert_eq!(frames[2 * n], frames[0], "the same plain fragment");
    // A receiver that joins in the mixed half completes from what follows.
    let mut receiver = Receiver::default();
    for frame in &frames[n + n / 2..] {
        if receiver.receive(frame).unwrap().complete {
            break;
        }
    }
    assert!(receiver.progress().complete);
    assert_eq!(receiver.open(&code).unwrap().len(), 10);
}
