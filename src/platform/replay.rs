//! A camera that replays image files, for the end-to-end test: with `TESSERA_TEST_CAMERA` set to
//! image paths (separated by the platform's path separator), the Scan tab reads these instead of
//! a camera. The frames go through the same preview, scanning loop and decoder as a real
//! camera's, which this machine does not have.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tessera_core::scan::{CameraError, FrameSource, GreyFrame, scan_image};

/// The environment variable naming the images to replay.
pub const REPLAY_VAR: &str = "TESSERA_TEST_CAMERA";

/// Frames per second of the replay, as a webcam delivers them.
const EVERY: Duration = Duration::from_millis(33);

/// How long the replay shows an empty grey frame before the first image, as when a camera is
/// pointed at the code after it starts.
const AIMING: Duration = Duration::from_millis(600);

/// Replays images in a loop at 30 frames per second, after [`AIMING`] of empty frames.
pub struct ReplayCamera {
    frames: Vec<GreyFrame>,
    started: Instant,
    next: usize,
}

impl ReplayCamera {
    /// The replay named by [`REPLAY_VAR`], if it is set.
    pub fn from_env() -> Option<Result<ReplayCamera, CameraError>> {
        let paths = std::env::var_os(REPLAY_VAR)?;
        Some(ReplayCamera::open(std::env::split_paths(&paths).collect()))
    }

    /// Reads the images; an unreadable one fails as a camera that stopped.
    pub fn open(paths: Vec<PathBuf>) -> Result<ReplayCamera, CameraError> {
        let frames = paths
            .iter()
            .map(|path| {
                let bytes = std::fs::read(path).map_err(|e| CameraError::Stopped(e.to_string()))?;
                scan_image(&bytes).map_err(|e| CameraError::Stopped(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if frames.is_empty() {
            return Err(CameraError::NoCamera);
        }
        Ok(ReplayCamera {
            frames,
            started: Instant::now(),
            next: 0,
        })
    }
}

impl FrameSource for ReplayCamera {
    fn next_frame(&mut self) -> Result<Option<GreyFrame>, CameraError> {
        std::thread::sleep(EVERY);
        let first = &self.frames[0];
        if self.started.elapsed() < AIMING {
            return Ok(Some(GreyFrame {
                data: vec![128; first.width * first.height],
                width: first.width,
                height: first.height,
            }));
        }
        let frame = self.frames[self.next % self.frames.len()].clone();
        self.next += 1;
        Ok(Some(frame))
    }
}

/// The first image of [`REPLAY_VAR`] as a `data:` URL, for the web view's camera script to
/// stand in for a camera; `None` when the variable is not set or the file cannot be read.
pub fn first_image_as_data_url() -> Option<String> {
    use base64::Engine;
    let paths = std::env::var_os(REPLAY_VAR)?;
    let first = std::env::split_paths(&paths).next()?;
    let bytes = std::fs::read(&first).ok()?;
    let mime = match first.extension().and_then(|e| e.to_str()) {
        Some("jpg" | "jpeg") => "image/jpeg",
        _ => "image/png",
    };
    Some(format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}
