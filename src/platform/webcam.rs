//! The camera inside the web view, as a [`FrameSource`]: how phones scan (Dioxus on Android and
//! iOS is a web view, and `getUserMedia` is its camera), and on desktop with
//! `TESSERA_CAMERA=web`.
//!
//! [`web_camera`] makes the two ends. The view runs [`SCRIPT`] through `document::eval` and
//! pumps its frames into [`WebFrames`] (one request, one frame: the page never sends faster
//! than the decoder takes them); the scanning loop reads [`WebCamera`] like any camera. When
//! the loop ends, the pump sees the closed channel and turns the camera off.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

use base64::Engine;
use tessera_core::scan::{CameraError, FrameSource, GreyFrame};

/// The page's side of the camera; `__TEST_IMAGE__` is replaced by `null` or a data URL (see
/// [`script`]).
const SCRIPT: &str = include_str!("webcam.js");

/// The script to evaluate in the page: the camera, or `test_image` (a `data:` URL) in its
/// place for tests on machines without a camera.
pub fn script(test_image: Option<&str>) -> String {
    let image = match test_image {
        Some(url) => serde_json::to_string(url).unwrap_or_else(|_| "null".into()),
        None => "null".into(),
    };
    SCRIPT.replace("__TEST_IMAGE__", &image)
}

/// The two ends of a web-view camera. Setting `stop` ends the camera's frames even while the
/// page sends none (e.g. the user stops while the permission prompt is still open).
pub fn web_camera(stop: Arc<AtomicBool>) -> (WebFrames, WebCamera) {
    let (sender, frames) = sync_channel(1);
    (WebFrames { sender }, WebCamera { frames, stop })
}

/// Frames from the page, for the scanning loop.
pub struct WebCamera {
    frames: Receiver<Result<GreyFrame, CameraError>>,
    stop: Arc<AtomicBool>,
}

impl FrameSource for WebCamera {
    fn next_frame(&mut self) -> Result<Option<GreyFrame>, CameraError> {
        loop {
            match self.frames.recv_timeout(Duration::from_millis(100)) {
                Ok(frame) => return frame.map(Some),
                Err(RecvTimeoutError::Timeout) if !self.stop.load(Ordering::Relaxed) => {}
                // Stopped, or the view stopped pumping (the user left the Scan tab).
                Err(_) => return Ok(None),
            }
        }
    }
}

/// The view's end: hands the page's messages to the scanning loop.
pub struct WebFrames {
    sender: SyncSender<Result<GreyFrame, CameraError>>,
}

/// What the pump should do after a message from the page.
#[derive(Debug, PartialEq, Eq)]
pub enum Pumped {
    /// The frame was taken (or the page had none yet): ask for the next one.
    Next,
    /// The scanning loop still holds the previous frame: offer this one again shortly.
    Full(Box<Result<GreyFrame, CameraError>>),
    /// The scanning loop has ended, or the camera failed: stop the page's camera.
    Stop,
}

impl WebFrames {
    /// Takes one message of [`SCRIPT`]: `frame:W:H:BASE64`, `wait` or `error:NAME:MESSAGE`.
    pub fn take(&self, message: &str) -> Pumped {
        if message == "wait" {
            return Pumped::Next;
        }
        self.offer(parse(message))
    }

    /// Offers a frame (or the camera's failure) to the scanning loop without blocking.
    pub fn offer(&self, frame: Result<GreyFrame, CameraError>) -> Pumped {
        let failed = frame.is_err();
        match self.sender.try_send(frame) {
            Ok(()) if failed => Pumped::Stop,
            Ok(()) => Pumped::Next,
            Err(TrySendError::Full(frame)) => Pumped::Full(Box::new(frame)),
            Err(TrySendError::Disconnected(_)) => Pumped::Stop,
        }
    }
}

/// A message of the page as a frame, or the camera error it reports.
fn parse(message: &str) -> Result<GreyFrame, CameraError> {
    if let Some(error) = message.strip_prefix("error:") {
        let (name, detail) = error.split_once(':').unwrap_or((error, ""));
        return Err(camera_error(name, detail));
    }
    let damaged = || CameraError::Stopped("the camera view sent a damaged frame".into());
    let mut parts = message
        .strip_prefix("frame:")
        .ok_or_else(damaged)?
        .splitn(3, ':');
    let mut number = || parts.next().and_then(|n| n.parse::<usize>().ok());
    let (Some(width), Some(height)) = (number(), number()) else {
        return Err(damaged());
    };
    let data = parts
        .next()
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .ok_or_else(damaged)?;
    if width == 0 || height == 0 || width.checked_mul(height) != Some(data.len()) {
        return Err(damaged());
    }
    Ok(GreyFrame {
        data,
        width,
        height,
    })
}

/// A `getUserMedia` error name as a camera error (names from the Media Capture spec).
pub fn camera_error(name: &str, detail: &str) -> CameraError {
    match name {
        "NotAllowedError" | "SecurityError" => CameraError::PermissionDenied,
        "NotFoundError" | "OverconstrainedError" | "TypeError" => CameraError::NoCamera,
        "NotReadableError" | "AbortError" => CameraError::Busy,
        "PlayError" => CameraError::NotPlaying(detail.to_owned()),
        _ if detail.is_empty() => CameraError::Stopped(name.to_owned()),
        _ => CameraError::Stopped(format!("{name}: {detail}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_message(width: usize, height: usize, data: &[u8]) -> String {
        format!(
            "frame:{width}:{height}:{}",
            base64::engine::general_purpose::STANDARD.encode(data)
        )
    }

    #[test]
    fn frames_reach_the_scanning_loop_one_at_a_time() {
        let (frames, mut camera) = web_camera(Arc::default());
        assert_eq!(
            frames.take(&frame_message(3, 2, &[1, 2, 3, 4, 5, 6])),
            Pumped::Next
        );
        // The loop has not taken the first: the second is handed back to offer again.
        let Pumped::Full(second) = frames.take(&frame_message(1, 1, &[9])) else {
            panic!("the slot is full")
        };
        let first = camera.next_frame().unwrap().unwrap();
        assert_eq!(
            (first.width, first.height, first.data),
            (3, 2, vec![1, 2, 3, 4, 5, 6])
        );
        assert_eq!(frames.offer(*second), Pumped::Next);
        assert_eq!(camera.next_frame().unwrap().unwrap().data, [9]);
        assert_eq!(frames.take("wait"), Pumped::Next);
        // The loop ends: the pump is told to stop the camera.
        drop(camera);
        assert_eq!(frames.take(&frame_message(1, 1, &[9])), Pumped::Stop);
    }

    #[test]
    fn stopping_ends_the_frames_while_the_page_sends_none() {
        let stop = Arc::new(AtomicBool::new(false));
        let (_frames, mut camera) = web_camera(stop.clone());
        let setter = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            stop.store(true, Ordering::Relaxed);
        });
        assert_eq!(camera.next_frame(), Ok(None));
        setter.join().unwrap();
    }

    #[test]
    fn page_errors_become_camera_errors_with_advice() {
        for (name, expected) in [
            ("NotAllowedError", CameraError::PermissionDenied),
            ("PlayError", CameraError::NotPlaying("denied".into())),
            ("NotFoundError", CameraError::NoCamera),
            ("NotReadableError", CameraError::Busy),
        ] {
            let (frames, mut camera) = web_camera(Arc::default());
            assert_eq!(frames.take(&format!("error:{name}:denied")), Pumped::Stop);
            assert_eq!(camera.next_frame().unwrap_err(), expected);
        }
        // Damaged frames: wrong sizes, bad Base64, no header, a size that overflows.
        for message in [
            "frame:3:3:AAAA",
            "frame:1:1:not base64!",
            "hello",
            "frame:x:1:AA==",
            "frame:0:0:",
            "frame:18446744073709551615:2:AA==",
        ] {
            let (frames, mut camera) = web_camera(Arc::default());
            assert_eq!(frames.take(message), Pumped::Stop, "{message}");
            assert!(matches!(camera.next_frame(), Err(CameraError::Stopped(_))));
        }
    }

    #[test]
    fn the_script_gets_the_test_image_as_a_js_string() {
        assert!(script(None).contains("const TEST_IMAGE = null;"));
        let with = script(Some("data:image/png;base64,AAA\"x"));
        assert!(with.contains(r#"const TEST_IMAGE = "data:image/png;base64,AAA\"x";"#));
    }
}
