//! The desktop camera: the real nokhwa code on this machine, and the conversions from every
//! frame format a webcam delivers to the grey frames the decoder reads.
#![cfg(feature = "desktop")]

use nokhwa::NokhwaError;
use nokhwa::utils::FrameFormat;
use tessera::platform::camera::{DesktopCamera, classify, grey};
use tessera_core::scan::{CameraError, Effort, FrameSource, GreyFrame, decode};

/// With a camera, frames arrive; without one (CI machines), the error is `NoCamera` or
/// permission, with advice, never a panic.
#[test]
fn opens_the_first_camera_or_says_why_not() {
    match DesktopCamera::open() {
        Ok(mut camera) => {
            let frame = camera.next_frame().expect("a frame").expect("not ended");
            assert!(frame.width > 0 && frame.height > 0);
        }
        Err(error) => {
            eprintln!("no usable camera here: {error} ({})", error.advice());
            assert!(matches!(
                error,
                CameraError::NoCamera | CameraError::PermissionDenied | CameraError::Busy
            ));
        }
    }
}

#[test]
fn os_errors_become_user_errors() {
    let open = |text: &str| NokhwaError::OpenDeviceError("/dev/video0".into(), text.into());
    assert_eq!(
        classify(&open("Permission denied (os error 13)")),
        CameraError::PermissionDenied
    );
    assert_eq!(
        classify(&open("Device or resource busy (os error 16)")),
        CameraError::Busy
    );
    assert_eq!(
        classify(&open("No such file or directory (os error 2)")),
        CameraError::NoCamera
    );
    assert!(matches!(
        classify(&NokhwaError::ReadFrameError("timeout".into())),
        CameraError::Stopped(_)
    ));
}

/// A 64x64 checkerboard with a known grey level per pixel, in each camera format.
#[test]
fn every_webcam_format_reduces_to_the_same_grey() {
    let (w, h) = (64, 64);
    let level = |x: usize, y: usize| {
        if (x / 8 + y / 8).is_multiple_of(2) {
            30u8
        } else {
            220
        }
    };
    let expected: Vec<u8> = (0..w * h).map(|i| level(i % w, i / w)).collect();

    let yuyv: Vec<u8> = expected.iter().flat_map(|&y| [y, 128]).collect();
    let nv12: Vec<u8> = expected
        .iter()
        .copied()
        .chain(vec![128; w * h / 2])
        .collect();
    let rgb: Vec<u8> = expected.iter().flat_map(|&y| [y, y, y]).collect();
    for (format, bytes) in [
        (FrameFormat::YUYV, &yuyv),
        (FrameFormat::NV12, &nv12),
        (FrameFormat::GRAY, &expected),
        (FrameFormat::RAWRGB, &rgb),
        (FrameFormat::RAWBGR, &rgb),
    ] {
        let frame = grey(format, w, h, bytes).unwrap();
        let close = frame
            .data
            .iter()
            .zip(&expected)
            .all(|(a, b)| a.abs_diff(*b) <= 1);
        assert!(close, "{format}");
    }
    // A short buffer and a broken JPEG are errors with advice, not panics.
    let short = grey(FrameFormat::YUYV, w, h, &yuyv[..100]).unwrap_err();
    assert!(short.to_string().contains("YUYV"), "{short}");
    assert!(!short.advice().is_empty());
    assert!(grey(FrameFormat::MJPEG, w, h, b"\xff\xd8 not a jpeg").is_err());
}

/// An MJPEG frame (what most USB webcams send at 720p) holding a real QR code decodes.
#[test]
fn mjpeg_frames_decode() {
    let shared = std::env::var_os("TESSERA_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let photo = shared.join("qr/zxing/qrcode-1/1.png");
    let Ok(png) = std::fs::read(&photo) else {
        println!(
            "skipping mjpeg_frames_decode: {} not found",
            photo.display()
        );
        return;
    };
    let image = image::load_from_memory(&png).unwrap().to_luma8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&image)
        .unwrap();
    let frame: GreyFrame = grey(
        FrameFormat::MJPEG,
        image.width() as usize,
        image.height() as usize,
        &jpeg,
    )
    .unwrap();
    let expected = std::fs::read_to_string(photo.with_extension("txt")).unwrap();
    assert_eq!(decode(&frame, Effort::Frame), [expected]);
}
