//! The camera preview: a [`FrameSource`] wrapper that passes every frame on to the scanning loop
//! and keeps a small JPEG of the newest one for the view (about ten a second, 320 pixels wide),
//! so the user sees where the camera points while the decoder works on full frames.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tessera_core::scan::{CameraError, FrameSource, GreyFrame};

/// Width of the preview images.
pub const PREVIEW_WIDTH: usize = 320;
/// Time between two preview images.
pub const PREVIEW_EVERY: Duration = Duration::from_millis(100);

/// The newest preview image (JPEG), shared with the view.
pub type PreviewSlot = Arc<Mutex<Option<Vec<u8>>>>;

/// Wraps a frame source and fills a [`PreviewSlot`].
pub struct Previewing<S> {
    inner: S,
    slot: PreviewSlot,
    last: Option<Instant>,
}

impl<S: FrameSource> Previewing<S> {
    /// Wraps `inner`; the view reads `slot`.
    pub fn new(inner: S, slot: PreviewSlot) -> Previewing<S> {
        Previewing {
            inner,
            slot,
            last: None,
        }
    }
}

impl<S: FrameSource> FrameSource for Previewing<S> {
    fn next_frame(&mut self) -> Result<Option<GreyFrame>, CameraError> {
        let frame = self.inner.next_frame()?;
        if let Some(frame) = &frame
            && self.last.is_none_or(|t| t.elapsed() >= PREVIEW_EVERY)
        {
            self.last = Some(Instant::now());
            if let Some(jpeg) = preview_jpeg(frame)
                && let Ok(mut slot) = self.slot.lock()
            {
                *slot = Some(jpeg);
            }
        }
        Ok(frame)
    }
}

/// A frame scaled to [`PREVIEW_WIDTH`] (nearest pixel) as a JPEG; `None` for empty frames.
pub fn preview_jpeg(frame: &GreyFrame) -> Option<Vec<u8>> {
    if frame.width == 0 || frame.height == 0 {
        return None;
    }
    let width = PREVIEW_WIDTH.min(frame.width);
    let height = (frame.height * width / frame.width).max(1);
    let small = image::GrayImage::from_fn(width as u32, height as u32, |x, y| {
        let (sx, sy) = (
            x as usize * frame.width / width,
            y as usize * frame.height / height,
        );
        image::Luma([frame.data[sy * frame.width + sx]])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 70)
        .encode_image(&small)
        .ok()?;
    Some(jpeg)
}
