//! The desktop camera over nokhwa, as a [`FrameSource`] for the scanning loop.
//!
//! nokhwa's `Camera` may not leave the thread that opened it, so [`DesktopCamera`] owns a
//! thread that opens the camera, reads frames, reduces each to grey (the QR decoder needs
//! nothing else) and hands them over a one-frame channel. Dropping it stops the thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use nokhwa::pixel_format::LumaFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
};
use nokhwa::{Camera, NokhwaError};
use tessera_core::scan::{CameraError, FrameSource, GreyFrame, scan_image};

/// The first camera of the machine, delivering grey frames.
pub struct DesktopCamera {
    frames: Receiver<Result<GreyFrame, CameraError>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl DesktopCamera {
    /// Opens the first camera, asking for 1280x720 (the decoder's sweet spot: codes held at
    /// arm's length have modules several pixels wide) in whatever format the camera offers.
    /// Fails with [`CameraError::NoCamera`], [`CameraError::PermissionDenied`] or
    /// [`CameraError::Busy`], each with advice for the user.
    pub fn open() -> Result<DesktopCamera, CameraError> {
        let cameras = nokhwa::query(ApiBackend::Auto).map_err(|e| classify(&e))?;
        let Some(first) = cameras.first() else {
            return Err(CameraError::NoCamera);
        };
        let index = first.index().clone();
        let stop = Arc::new(AtomicBool::new(false));
        let (opened_tx, opened_rx) = sync_channel(1);
        let (frames_tx, frames) = sync_channel(1);
        let thread_stop = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("camera".into())
            .spawn(move || run(index, &thread_stop, &opened_tx, &frames_tx))
            .map_err(|e| CameraError::Stopped(e.to_string()))?;
        let opened = opened_rx
            .recv()
            .unwrap_or_else(|_| Err(CameraError::Stopped("the camera thread ended".into())));
        let camera = DesktopCamera {
            frames,
            stop,
            thread: Some(thread),
        };
        opened.map(|()| camera)
    }
}

impl FrameSource for DesktopCamera {
    fn next_frame(&mut self) -> Result<Option<GreyFrame>, CameraError> {
        match self.frames.recv() {
            Ok(frame) => frame.map(Some),
            Err(_) => Ok(None),
        }
    }
}

impl Drop for DesktopCamera {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Unblock a camera thread waiting to hand over a frame.
        while self.frames.try_recv().is_ok() {}
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The camera thread: open, then read frames until stopped or the receiver is gone.
fn run(
    index: CameraIndex,
    stop: &AtomicBool,
    opened: &SyncSender<Result<(), CameraError>>,
    frames: &SyncSender<Result<GreyFrame, CameraError>>,
) {
    let wanted = CameraFormat::new_from(1280, 720, FrameFormat::YUYV, 30);
    let format = RequestedFormat::new::<LumaFormat>(RequestedFormatType::Closest(wanted));
    let mut camera = match Camera::new(index, format).and_then(|mut camera| {
        camera.open_stream()?;
        Ok(camera)
    }) {
        Ok(camera) => camera,
        Err(error) => {
            let _ = opened.send(Err(classify(&error)));
            return;
        }
    };
    let _ = opened.send(Ok(()));
    while !stop.load(Ordering::Relaxed) {
        let frame = camera.frame().map_err(|e| classify(&e)).and_then(|buffer| {
            let size = buffer.resolution();
            grey(
                buffer.source_frame_format(),
                size.width() as usize,
                size.height() as usize,
                buffer.buffer(),
            )
        });
        let failed = frame.is_err();
        if frames.send(frame).is_err() || failed {
            break;
        }
    }
    let _ = camera.stop_stream();
}

/// The luminance of a camera buffer: the Y bytes of YUYV and NV12, the bytes of GRAY, a
/// weighted sum for raw RGB/BGR, and a JPEG decode for MJPEG (most USB webcams at 720p).
pub fn grey(
    format: FrameFormat,
    width: usize,
    height: usize,
    bytes: &[u8],
) -> Result<GreyFrame, CameraError> {
    let bad = |what: &dyn std::fmt::Display| {
        CameraError::Stopped(format!(
            "the camera sent an unreadable {format} frame: {what}"
        ))
    };
    match format {
        FrameFormat::GRAY | FrameFormat::NV12 => {
            GreyFrame::from_luma(bytes, width, height, width).map_err(|e| bad(&e))
        }
        FrameFormat::YUYV => {
            let luma: Vec<u8> = bytes.iter().step_by(2).copied().collect();
            GreyFrame::from_luma(&luma, width, height, width).map_err(|e| bad(&e))
        }
        FrameFormat::RAWRGB | FrameFormat::RAWBGR => {
            let (r, b) = if format == FrameFormat::RAWRGB {
                (0, 2)
            } else {
                (2, 0)
            };
            let luma: Vec<u8> = bytes
                .chunks_exact(3)
                .map(|p| {
                    let y = 299 * u32::from(p[r]) + 587 * u32::from(p[1]) + 114 * u32::from(p[b]);
                    (y / 1000) as u8
                })
                .collect();
            GreyFrame::from_luma(&luma, width, height, width).map_err(|e| bad(&e))
        }
        FrameFormat::MJPEG => scan_image(bytes).map_err(|e| bad(&e)),
    }
}

/// Which of the user-facing camera errors a nokhwa error is. nokhwa reports OS errors as text,
/// so this reads the text (EACCES, EBUSY, ENOENT and their platform wordings).
pub fn classify(error: &NokhwaError) -> CameraError {
    let text = error.to_string();
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&[
        "permission denied",
        "os error 13",
        "not authorized",
        "access is denied",
    ]) {
        CameraError::PermissionDenied
    } else if has(&["busy", "os error 16", "in use"]) {
        CameraError::Busy
    } else if has(&["no such file", "os error 2", "no device", "not found"]) {
        CameraError::NoCamera
    } else {
        CameraError::Stopped(text)
    }
}
