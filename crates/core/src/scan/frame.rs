//! 8-bit grey frames and the converters from what cameras and files deliver.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader};

/// The largest frame accepted, in pixels (64 megapixels).
const MAX_PIXELS: usize = 64 * 1024 * 1024;

/// An 8-bit grey image, rows packed without padding.
#[derive(Clone, PartialEq, Eq)]
pub struct GreyFrame {
    /// `width * height` luminance bytes, row by row.
    pub data: Vec<u8>,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
}

impl std::fmt::Debug for GreyFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GreyFrame({}x{})", self.width, self.height)
    }
}

/// Why a frame or image could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The buffer is smaller than the size and stride say.
    #[error(
        "the frame buffer holds {got} bytes, but {width}x{height} with row stride {stride} needs {needed}"
    )]
    TooSmall {
        /// Bytes given.
        got: usize,
        /// Bytes needed.
        needed: usize,
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
        /// Bytes per row.
        stride: usize,
    },
    /// Zero or absurd dimensions, or a stride shorter than a row.
    #[error("the frame size {width}x{height} (row stride {stride}) is not usable")]
    BadSize {
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
        /// Bytes per row.
        stride: usize,
    },
    /// The file is not an image Tessera can read.
    #[error("this file is not a PNG, JPEG, GIF, WebP or BMP image Tessera can read ({0})")]
    Image(String),
}

impl FrameError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            FrameError::Image(_) => "Take a screenshot of the QR code and choose that PNG file.",
            _ => {
                "The camera delivered a frame Tessera cannot read; try another camera or use Image or Paste."
            }
        }
    }
}

impl GreyFrame {
    /// Copies `height` rows of `width` bytes, `stride` bytes apart (`bytes_per_pixel` = 1 for grey
    /// or a Y plane, the luminance being computed for 4-byte RGBA/BGRA by the converters).
    pub fn from_luma(
        data: &[u8],
        width: usize,
        height: usize,
        stride: usize,
    ) -> Result<GreyFrame, FrameError> {
        Self::convert(data, width, height, stride, 1, |p| p[0])
    }

    /// From RGBA pixels (4 bytes each), e.g. a web view's `getUserMedia` canvas.
    pub fn from_rgba(
        data: &[u8],
        width: usize,
        height: usize,
        stride: usize,
    ) -> Result<GreyFrame, FrameError> {
        Self::convert(data, width, height, stride, 4, |p| luma(p[0], p[1], p[2]))
    }

    /// From BGRA pixels (4 bytes each), as iOS and many webcams deliver.
    pub fn from_bgra(
        data: &[u8],
        width: usize,
        height: usize,
        stride: usize,
    ) -> Result<GreyFrame, FrameError> {
        Self::convert(data, width, height, stride, 4, |p| luma(p[2], p[1], p[0]))
    }

    /// From an NV21, NV12 or YUV420 (I420) frame: their first plane is the luminance, which is
    /// all QR decoding needs. `stride` is the Y plane's row stride.
    pub fn from_yuv420(
        data: &[u8],
        width: usize,
        height: usize,
        stride: usize,
    ) -> Result<GreyFrame, FrameError> {
        Self::from_luma(data, width, height, stride)
    }

    fn convert(
        data: &[u8],
        width: usize,
        height: usize,
        stride: usize,
        bytes_per_pixel: usize,
        to_grey: impl Fn(&[u8]) -> u8,
    ) -> Result<GreyFrame, FrameError> {
        let bad = FrameError::BadSize {
            width,
            height,
            stride,
        };
        let row = width.checked_mul(bytes_per_pixel).ok_or(bad.clone())?;
        if width == 0 || height == 0 || stride < row || width.saturating_mul(height) > MAX_PIXELS {
            return Err(bad);
        }
        let needed = stride
            .checked_mul(height - 1)
            .and_then(|n| n.checked_add(row))
            .ok_or(bad)?;
        if data.len() < needed {
            return Err(FrameError::TooSmall {
                got: data.len(),
                needed,
                width,
                height,
                stride,
            });
        }
        let mut grey = Vec::with_capacity(width * height);
        for y in 0..height {
            let line = &data[y * stride..y * stride + row];
            grey.extend(line.chunks_exact(bytes_per_pixel).map(&to_grey));
        }
        Ok(GreyFrame {
            data: grey,
            width,
            height,
        })
    }

    /// A frame from an already decoded image.
    pub fn from_image(image: &DynamicImage) -> GreyFrame {
        let grey = image.to_luma8();
        let (width, height) = (grey.width() as usize, grey.height() as usize);
        GreyFrame {
            data: grey.into_raw(),
            width,
            height,
        }
    }
}

/// ITU-R BT.601 luminance, in integers.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114 + 500) / 1000) as u8
}

/// Decodes an image file's bytes (format detected from content) into a grey frame, with its EXIF
/// orientation applied so that phone photos are upright.
pub fn scan_image(bytes: &[u8]) -> Result<GreyFrame, FrameError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| FrameError::Image(e.to_string()))?;
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| FrameError::Image(e.to_string()))?;
    let (w, h) = decoder.dimensions();
    if (w as usize).saturating_mul(h as usize) > MAX_PIXELS {
        return Err(FrameError::BadSize {
            width: w as usize,
            height: h as usize,
            stride: w as usize,
        });
    }
    let orientation = decoder.orientation().ok();
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| FrameError::Image(e.to_string()))?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(GreyFrame::from_image(&image))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stride_padding_is_skipped() {
        let data = [1, 2, 9, 3, 4, 9];
        let frame = GreyFrame::from_luma(&data, 2, 2, 3).unwrap();
        assert_eq!(frame.data, [1, 2, 3, 4]);
        assert!(matches!(
            GreyFrame::from_luma(&data[..4], 2, 2, 3),
            Err(FrameError::TooSmall { needed: 5, .. })
        ));
        assert!(matches!(
            GreyFrame::from_luma(&data, 4, 1, 3),
            Err(FrameError::BadSize { .. })
        ));
        assert!(matches!(
            GreyFrame::from_luma(&data, 0, 1, 3),
            Err(FrameError::BadSize { .. })
        ));
    }

    #[test]
    fn colour_converters_agree() {
        let rgba = [255, 0, 0, 255, 0, 0, 255, 255];
        let bgra = [0, 0, 255, 255, 255, 0, 0, 255];
        let a = GreyFrame::from_rgba(&rgba, 2, 1, 8).unwrap();
        let b = GreyFrame::from_bgra(&bgra, 2, 1, 8).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.data, [76, 29]);
    }

    #[test]
    fn garbage_is_not_an_image() {
        assert!(matches!(
            scan_image(b"definitely not an image"),
            Err(FrameError::Image(_))
        ));
        assert!(matches!(scan_image(b""), Err(FrameError::Image(_))));
    }
}
