//! The camera side of scanning, apart from the view: which camera the Scan tab uses (the
//! machine's through nokhwa, the web view's, or for the end-to-end tests a replay of image
//! files), with its preview, feeding the core's scanning loop until a code Tessera can use.
//! Frames of an animated Tessera transfer go to the transfer's receiver instead, until it is
//! complete.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tessera_core::otp::{Payload, PayloadError};
use tessera_core::scan::{CameraError, FrameSource, Outline, ScanEvent, ScanLoop};
use tessera_core::transfer::handover::{FrameError, Progress, Receiver, is_transfer_frame};

use super::preview::Previewing;
use super::webcam;

/// What the camera thread shares with the scan view.
#[derive(Clone, Default)]
pub struct CameraShared {
    /// The status line.
    pub status: Arc<Mutex<String>>,
    /// The newest preview image.
    pub preview: super::preview::PreviewSlot,
    /// The newest frame at preview size: frozen when a code is found in it.
    pub newest: super::preview::NewestSlot,
    /// Where a code was last seen, and when.
    pub outline: Arc<Mutex<Option<(Outline, Instant)>>>,
    /// An animated transfer being received: how far, once its first frame is in.
    pub transfer: Arc<Mutex<Option<Progress>>>,
    /// Frames of another transfer ignored so far (a second sending screen in view).
    pub other_transfer: Arc<Mutex<usize>>,
}

/// What a camera session found.
#[derive(Debug)]
pub enum Found {
    /// A code Tessera can use, or one it explains (Microsoft push).
    Code(Result<Payload, PayloadError>),
    /// Every part of an animated transfer is in: ask for its code.
    Transfer,
}

/// Whether the Scan tab uses the web view's camera: always on phones; on desktop when
/// `TESSERA_CAMERA=web` (the native camera through nokhwa otherwise).
pub fn web_camera_wanted() -> bool {
    cfg!(not(feature = "desktop")) || std::env::var("TESSERA_CAMERA").as_deref() == Ok("web")
}

/// Runs the camera loop until a usable code, a complete transfer, an error, or `stop`. `web`
/// is the web view's camera when the view started one; otherwise the replay of
/// `TESSERA_TEST_CAMERA`, or the machine's camera. Transfer frames go to `transfer`.
pub fn camera_scan(
    stop: &AtomicBool,
    shared: &CameraShared,
    seen: Vec<u32>,
    web: Option<webcam::WebCamera>,
    transfer: Arc<Mutex<Receiver>>,
) -> Result<Option<Found>, CameraError> {
    let source: Box<dyn FrameSource> = match (web, replay(shared)) {
        // The page shows the camera in its <video>: no JPEGs, only the frame to freeze.
        (Some(web), _) => Box::new(
            Previewing::new(web, shared.preview.clone())
                .keeping_newest(shared.newest.clone())
                .without_jpegs(),
        ),
        (None, Some(replay)) => replay?,
        (None, None) => open_camera(shared)?,
    };
    let scan = ScanLoop::start_claiming(
        source,
        Box::new(move |payload| match payload {
            Payload::Migration(batch) => !seen.contains(&batch.info.index),
            Payload::Account(_) => true,
        }),
        Box::new(is_transfer_frame),
    );
    loop {
        if stop.load(Ordering::Relaxed) {
            scan.stop();
            return Ok(None);
        }
        match scan.events.recv_timeout(Duration::from_millis(200)) {
            Ok(ScanEvent::Seen(outline)) => {
                if let Ok(mut o) = shared.outline.lock() {
                    *o = Some((outline, Instant::now()));
                }
            }
            Ok(ScanEvent::Progress {
                decoded, unusable, ..
            }) => {
                let receiving = shared.transfer.lock().is_ok_and(|p| p.is_some());
                let text = match unusable {
                    Some(error) => format!("Found a QR code Tessera cannot use: {error}"),
                    // The transfer's own status line stays.
                    None if receiving => continue,
                    None => format!("Looking for a QR code… ({decoded} frames)"),
                };
                if let Ok(mut p) = shared.status.lock() {
                    *p = text;
                }
            }
            Ok(ScanEvent::Claimed(text)) => {
                if take_transfer_frame(&transfer, &text, shared) {
                    scan.stop();
                    return Ok(Some(Found::Transfer));
                }
            }
            Ok(ScanEvent::Found(result)) => return Ok(Some(Found::Code(result))),
            Ok(ScanEvent::Failed(error)) => return Err(error),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(None),
        }
    }
}

/// Gives a transfer frame to the receiver and tells the view how far it is; whether the
/// transfer is complete.
fn take_transfer_frame(transfer: &Mutex<Receiver>, text: &str, shared: &CameraShared) -> bool {
    let Ok(mut receiver) = transfer.lock() else {
        return false;
    };
    let status = match receiver.receive(text) {
        Ok(progress) => {
            if let Ok(mut p) = shared.transfer.lock() {
                *p = Some(progress);
            }
            if progress.complete {
                return true;
            }
            format!(
                "Receiving a Tessera transfer: {} of at least {} parts. Keep the camera on the \
                 other device's screen.",
                progress.parts, progress.fragments
            )
        }
        Err(FrameError::OtherTransfer) => {
            if let Ok(mut n) = shared.other_transfer.lock() {
                *n += 1;
            }
            "A QR code of another transfer was ignored: scan only the screen you started with."
                .to_owned()
        }
        Err(error) => format!("{}.", capitalised(&error.to_string())),
    };
    if let Ok(mut p) = shared.status.lock() {
        *p = status;
    }
    false
}

fn capitalised(clause: &str) -> String {
    let mut chars = clause.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The machine's camera, with a preview.
#[cfg(feature = "desktop")]
fn open_camera(shared: &CameraShared) -> Result<Box<dyn FrameSource>, CameraError> {
    let camera = crate::platform::camera::DesktopCamera::open()?;
    Ok(previewing(camera, shared))
}

/// A camera with its preview going to the view.
#[cfg(any(feature = "desktop", feature = "e2e-driver"))]
fn previewing(camera: impl FrameSource + 'static, shared: &CameraShared) -> Box<dyn FrameSource> {
    Box::new(Previewing::new(camera, shared.preview.clone()).keeping_newest(shared.newest.clone()))
}

/// Phones have no native camera here: their camera is the web view's (see [`pump`]).
#[cfg(not(feature = "desktop"))]
fn open_camera(_shared: &CameraShared) -> Result<Box<dyn FrameSource>, CameraError> {
    Err(CameraError::NoCamera)
}

/// The replay camera of `TESSERA_TEST_CAMERA`, with its preview (end-to-end tests only).
#[cfg(feature = "e2e-driver")]
fn replay(shared: &CameraShared) -> Option<Result<Box<dyn FrameSource>, CameraError>> {
    super::replay::ReplayCamera::from_env().map(|camera| Ok(previewing(camera?, shared)))
}

/// Builds without the test driver have no replay camera.
#[cfg(not(feature = "e2e-driver"))]
fn replay(_shared: &CameraShared) -> Option<Result<Box<dyn FrameSource>, CameraError>> {
    None
}

/// The image the web view's camera script shows instead of a camera (end-to-end tests only).
pub fn test_image() -> Option<String> {
    #[cfg(feature = "e2e-driver")]
    {
        super::replay::first_image_as_data_url()
    }
    #[cfg(not(feature = "e2e-driver"))]
    {
        None
    }
}
