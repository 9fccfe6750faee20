//! The icon a user chose for an account: a bundled brand icon by its slug, the letter circle,
//! or an image of their own (or one imported from Aegis, Stratum or Ente). `None` on the
//! account means "match one from the issuer", which the app does.
//!
//! Images are kept small and tame before they reach the vault: raster images (PNG, JPEG, GIF,
//! WebP, BMP) are decoded under size limits and re-encoded as a PNG of at most
//! [`ICON_SIDE`] pixels a side; SVG is kept as it is when it is plain UTF-8 text under
//! [`MAX_ICON_BYTES`] (the app shows it only through an `<img>`, where an SVG runs no script
//! and loads nothing).

use std::io::Cursor;

use base64::Engine as _;
use image::{ImageDecoder, ImageReader, Limits};

/// The largest image kept for one account, in bytes.
pub const MAX_ICON_BYTES: usize = 64 * 1024;
/// Raster images are scaled down to fit this many pixels a side.
pub const ICON_SIDE: u32 = 96;
/// The largest file accepted as an icon before it is scaled down (a phone photo fits).
pub const MAX_ICON_SOURCE_BYTES: usize = 24 * 1024 * 1024;
/// The largest picture decoded, in pixels a side, and the memory its decoding may take (a
/// 50-megapixel phone photo fits).
const MAX_SOURCE_SIDE: u32 = 12_000;
const MAX_SOURCE_ALLOC: u64 = 256 * 1024 * 1024;
/// The same for icons inside another app's file (Aegis, Stratum): icon-sized pictures only,
/// so a hostile file of many huge ones cannot make an import decode gigabytes.
const MAX_IMPORTED_SIDE: u32 = 2048;
const MAX_IMPORTED_ALLOC: u64 = 32 * 1024 * 1024;

/// An account's chosen icon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountIcon {
    /// A bundled brand icon, by its slug (`github`, `microsoft`). A slug this version does not
    /// bundle (Stratum's and Ente's names differ in places) falls back to matching.
    Brand(String),
    /// The letter circle, even where a brand icon would match.
    Letter,
    /// The user's own image.
    Image(IconImage),
}

/// The image types kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconType {
    /// PNG (every raster image becomes one).
    Png,
    /// SVG, kept as written.
    Svg,
}

impl IconType {
    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            IconType::Png => "image/png",
            IconType::Svg => "image/svg+xml",
        }
    }
}

/// A small image, checked and scaled down (see the module docs).
#[derive(Clone, PartialEq, Eq)]
pub struct IconImage {
    kind: IconType,
    bytes: Vec<u8>,
}

impl std::fmt::Debug for IconImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "IconImage({}, {} bytes)",
            self.kind.mime(),
            self.bytes.len()
        )
    }
}

/// Why a file cannot be an icon.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IconError {
    /// Larger than [`MAX_ICON_SOURCE_BYTES`], or an SVG larger than [`MAX_ICON_BYTES`].
    #[error("the image is {size} bytes; an icon can be at most {limit} bytes")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit for its type.
        limit: usize,
    },
    /// Not an image Tessera reads, or a damaged one.
    #[error("this is not a PNG, JPEG, GIF, WebP, BMP or SVG image Tessera can read ({0})")]
    NotAnImage(String),
}

impl IconError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            IconError::TooLarge { .. } => {
                "Choose a smaller picture (a PNG or JPEG photo is scaled down; an SVG must be under 64 KiB)."
            }
            IconError::NotAnImage(_) => "Choose a PNG, JPEG or SVG file.",
        }
    }
}

impl IconImage {
    /// An icon from a file's bytes, whatever its name says: SVG kept, anything else decoded
    /// and scaled to fit [`ICON_SIDE`].
    pub fn from_bytes(bytes: &[u8]) -> Result<IconImage, IconError> {
        IconImage::decode(bytes, MAX_SOURCE_SIDE, MAX_SOURCE_ALLOC)
    }

    /// An icon from another app's file: as [`IconImage::from_bytes`], but only pictures of at
    /// most 2,048 pixels a side are decoded.
    pub fn from_imported(bytes: &[u8]) -> Result<IconImage, IconError> {
        IconImage::decode(bytes, MAX_IMPORTED_SIDE, MAX_IMPORTED_ALLOC)
    }

    fn decode(bytes: &[u8], max_side: u32, max_alloc: u64) -> Result<IconImage, IconError> {
        if looks_like_svg(bytes) {
            return IconImage::svg(bytes);
        }
        if bytes.len() > MAX_ICON_SOURCE_BYTES {
            return Err(IconError::TooLarge {
                size: bytes.len(),
                limit: MAX_ICON_SOURCE_BYTES,
            });
        }
        let bad = |e: image::ImageError| IconError::NotAnImage(e.to_string());
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| IconError::NotAnImage(e.to_string()))?;
        let mut decoder = reader.into_decoder().map_err(bad)?;
        let (w, h) = decoder.dimensions();
        if w == 0 || h == 0 || w > max_side || h > max_side {
            return Err(IconError::NotAnImage(format!("{w}x{h} pixels")));
        }
        let mut limits = Limits::default();
        limits.max_alloc = Some(max_alloc);
        decoder.set_limits(limits).map_err(bad)?;
        let picture = image::DynamicImage::from_decoder(decoder).map_err(bad)?;
        let picture = if w > ICON_SIDE || h > ICON_SIDE {
            picture.thumbnail(ICON_SIDE, ICON_SIDE)
        } else {
            picture
        };
        let mut png = Vec::new();
        picture
            .to_rgba8()
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(bad)?;
        Ok(IconImage {
            kind: IconType::Png,
            bytes: png,
        })
    }

    /// An SVG image, kept as written when it is UTF-8 text with an `<svg` element, under the
    /// size limit.
    fn svg(bytes: &[u8]) -> Result<IconImage, IconError> {
        if bytes.len() > MAX_ICON_BYTES {
            return Err(IconError::TooLarge {
                size: bytes.len(),
                limit: MAX_ICON_BYTES,
            });
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| IconError::NotAnImage("an SVG that is not UTF-8 text".into()))?;
        if !text.contains("<svg") {
            return Err(IconError::NotAnImage("no <svg> element".into()));
        }
        Ok(IconImage {
            kind: IconType::Svg,
            bytes: bytes.to_vec(),
        })
    }

    /// An icon as stored (the vault, a Tessera backup): the type and bytes are checked again,
    /// so a damaged or hand-edited entry never reaches the screen.
    pub fn from_stored(mime: &str, bytes: &[u8]) -> Result<IconImage, IconError> {
        let image = match mime {
            "image/svg+xml" => IconImage::svg(bytes)?,
            // What Tessera itself wrote: a small PNG whose header says at most 96 px a side
            // (anything else is decoded and scaled again, so the web view never meets a bomb).
            "image/png" if bytes.len() <= MAX_ICON_BYTES && small_png(bytes) => IconImage {
                kind: IconType::Png,
                bytes: bytes.to_vec(),
            },
            _ => IconImage::from_imported(bytes)?,
        };
        Ok(image)
    }

    /// The image type.
    pub fn kind(&self) -> IconType {
        self.kind
    }

    /// The image's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// A `data:` URL for an `<img>`.
    pub fn data_url(&self) -> String {
        format!(
            "data:{};base64,{}",
            self.kind.mime(),
            base64::engine::general_purpose::STANDARD.encode(&self.bytes)
        )
    }
}

/// A PNG whose header (IHDR) gives at most [`ICON_SIDE`] pixels a side.
fn small_png(bytes: &[u8]) -> bool {
    let side = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    bytes.starts_with(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR")
        && matches!((side(16), side(20)), (Some(w), Some(h)) if (1..=ICON_SIDE).contains(&w) && (1..=ICON_SIDE).contains(&h))
}

/// An SVG file: optional byte-order mark and white space, then `<?xml`, `<svg` or a comment.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else { return false };
    let head = &bytes[start..bytes.len().min(start + 4096)];
    (head.starts_with(b"<?xml") || head.starts_with(b"<svg") || head.starts_with(b"<!--"))
        && head.windows(4).any(|w| w == b"<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let picture = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 30, 30, 255]));
        let mut out = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn large_pictures_are_scaled_down_to_a_small_png() {
        let icon = IconImage::from_bytes(&png(1200, 600)).unwrap();
        assert_eq!(icon.kind(), IconType::Png);
        let back = image::load_from_memory(icon.bytes()).unwrap();
        assert_eq!((back.width(), back.height()), (96, 48));
        assert!(icon.bytes().len() <= MAX_ICON_BYTES);
        assert!(icon.data_url().starts_with("data:image/png;base64,iVBOR"));
    }

    #[test]
    fn small_pictures_keep_their_size() {
        let icon = IconImage::from_bytes(&png(32, 32)).unwrap();
        let back = image::load_from_memory(icon.bytes()).unwrap();
        assert_eq!((back.width(), back.height()), (32, 32));
    }

    #[test]
    fn svg_is_kept_as_written_and_capped() {
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0h24v24H0z"/></svg>"#;
        let icon = IconImage::from_bytes(svg).unwrap();
        assert_eq!(icon.kind(), IconType::Svg);
        assert_eq!(icon.bytes(), svg);
        let mut big = b"<svg>".to_vec();
        big.resize(MAX_ICON_BYTES + 1, b' ');
        assert!(matches!(
            IconImage::from_bytes(&big),
            Err(IconError::TooLarge { .. })
        ));
    }

    #[test]
    fn other_files_say_what_is_wrong() {
        for bad in [
            &b""[..],
            b"hello",
            b"\x89PNG\r\n\x1a\n\0\0",
            b"<?xml?><html/>",
        ] {
            let e = IconImage::from_bytes(bad).unwrap_err();
            assert!(matches!(e, IconError::NotAnImage(_)), "{e:?}");
            assert!(!e.advice().is_empty());
        }
    }

    #[test]
    fn a_huge_picture_header_is_refused_before_decoding() {
        // A PNG header claiming 60,000 x 60,000 pixels: refused from the header.
        let mut header = png(1, 1);
        header[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        header[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        assert!(IconImage::from_bytes(&header).is_err());
    }

    #[test]
    fn imported_icons_must_be_icon_sized() {
        let big = png(3000, 10);
        assert!(IconImage::from_bytes(&big).is_ok());
        assert!(matches!(
            IconImage::from_imported(&big),
            Err(IconError::NotAnImage(_))
        ));
        assert!(IconImage::from_imported(&png(512, 512)).is_ok());
    }

    #[test]
    fn stored_icons_are_checked_again() {
        let icon = IconImage::from_bytes(&png(10, 10)).unwrap();
        let back = IconImage::from_stored("image/png", icon.bytes()).unwrap();
        assert_eq!(back, icon);
        assert!(IconImage::from_stored("image/png", b"nonsense").is_err());
        // A stored PNG larger than an icon is scaled again, not passed on as it is.
        let big = png(400, 200);
        let again = IconImage::from_stored("image/png", &big).unwrap();
        let back = image::load_from_memory(again.bytes()).unwrap();
        assert_eq!((back.width(), back.height()), (96, 48));
        assert!(IconImage::from_stored("image/svg+xml", b"no svg here").is_err());
        assert_eq!(
            format!("{icon:?}"),
            format!("IconImage(image/png, {} bytes)", icon.bytes().len())
        );
    }
}
