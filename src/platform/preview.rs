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

/// The newest frame at preview size, kept for every frame (not ten a second), so the view can
/// freeze the very frame a code was found in.
pub type NewestSlot = Arc<Mutex<Option<GreyFrame>>>;

/// Wraps a frame source and fills a [`PreviewSlot`].
pub struct Previewing<S> {
    inner: S,
    slot: PreviewSlot,
    newest: NewestSlot,
    /// Whether to make the JPEGs (not when the view shows the camera itself, as the web view
    /// does with its `<video>`).
    jpegs: bool,
    last: Option<Instant>,
}

impl<S: FrameSource> Previewing<S> {
    /// Wraps `inner`; the view reads `slot`.
    pub fn new(inner: S, slot: PreviewSlot) -> Previewing<S> {
        Previewing {
            inner,
            slot,
            newest: NewestSlot::default(),
            jpegs: true,
            last: None,
        }
    }

    /// Keeps the newest frame at preview size in `newest` (see [`NewestSlot`]).
    pub fn keeping_newest(self, newest: NewestSlot) -> Previewing<S> {
        Previewing { newest, ..self }
    }

    /// Makes no JPEGs: the view shows the camera some other way; only the newest frame is kept.
    pub fn without_jpegs(self) -> Previewing<S> {
        Previewing {
            jpegs: false,
            ..self
        }
    }
}

impl<S: FrameSource> FrameSource for Previewing<S> {
    fn next_frame(&mut self) -> Result<Option<GreyFrame>, CameraError> {
        let frame = self.inner.next_frame()?;
        let Some(small) = frame.as_ref().and_then(preview_frame) else {
            return Ok(frame);
        };
        if self.jpegs && self.last.is_none_or(|t| t.elapsed() >= PREVIEW_EVERY) {
            self.last = Some(Instant::now());
            if let Some(jpeg) = jpeg(&small)
                && let Ok(mut slot) = self.slot.lock()
            {
                *slot = Some(jpeg);
            }
        }
        if let Ok(mut newest) = self.newest.lock() {
            *newest = Some(small);
        }
        Ok(frame)
    }
}

/// A frame scaled to [`PREVIEW_WIDTH`] (nearest pixel) as a JPEG; `None` for empty frames.
pub fn preview_jpeg(frame: &GreyFrame) -> Option<Vec<u8>> {
    jpeg(&preview_frame(frame)?)
}

/// A frame scaled to [`PREVIEW_WIDTH`] (nearest pixel); `None` for empty frames.
fn preview_frame(frame: &GreyFrame) -> Option<GreyFrame> {
    if frame.width == 0 || frame.height == 0 || frame.data.len() < frame.width * frame.height {
        return None;
    }
    let width = PREVIEW_WIDTH.min(frame.width);
    let height = (frame.height * width / frame.width).max(1);
    let mut data = Vec::with_capacity(width * height);
    for y in 0..height {
        let row = y * frame.height / height * frame.width;
        data.extend((0..width).map(|x| frame.data[row + x * frame.width / width]));
    }
    Some(GreyFrame {
        data,
        width,
        height,
    })
}

/// A preview-sized frame as a JPEG.
pub fn jpeg(small: &GreyFrame) -> Option<Vec<u8>> {
    let image =
        image::GrayImage::from_raw(small.width as u32, small.height as u32, small.data.clone())?;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 70)
        .encode_image(&image)
        .ok()?;
    Some(jpeg)
}
