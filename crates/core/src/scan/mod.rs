//! Reading enrolment QR codes from camera frames and image files.
//!
//! Everything works on 8-bit grey frames ([`GreyFrame`]), which every camera format reduces to
//! cheaply (the Y plane of NV21, NV12 and YUV420 *is* a grey frame). [`decode`] returns every QR
//! payload it finds; [`scan_image`] reads an image file (PNG, JPEG, GIF, WebP, BMP) with its
//! EXIF orientation applied. Decoded text is never trusted: it goes through
//! [`crate::otp::parse_payload`], which rejects a misread (a bad Base32 secret) as an error.

mod camera;
mod decode;
mod frame;
mod prepare;

pub use camera::{CameraError, FrameSource, Outline, ScanEvent, ScanLoop};
pub use decode::{Effort, FRAME_BUDGET, Sighting, decode, decode_within, locate, locate_within};
pub use frame::{FrameError, GreyFrame, scan_image};
