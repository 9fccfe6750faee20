//! The core of Tessera: everything that is not UI.
//!
//! A wrong code or a misread QR code is the one failure a user cannot work around, so this crate
//! keeps the parts that decide them apart from any window, where their tests build and run in
//! seconds. It never depends on Dioxus.
//!
//! The main types:
//!
//! * [`otp::Otp`]: how to compute codes (kind, algorithm, digits, period or counter, and the
//!   [`otp::Secret`]), with [`otp::Otp::codes_at`] giving the current code, the next one and the
//!   seconds left.
//! * [`otp::Enrolment`]: what an enrolment QR code or `otpauth://` URI carries (issuer, account
//!   name and an `Otp`); [`otp::Account`] adds what Tessera keeps about it (id, tenant, tags, note,
//!   pinned, times).
//! * [`otp::parse_payload`]: reads any text a QR code or the clipboard may hold and says what it
//!   is: one account, a Google Authenticator export batch, or a [`otp::PayloadError`] that tells
//!   the user what to do instead (for example a Microsoft push-notification QR code).
//!
//! ```
//! use tessera_core::otp::{parse_payload, Payload};
//!
//! let payload = parse_payload("otpauth://totp/ACME:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME")?;
//! let Payload::Account(enrolment) = payload else { unreachable!() };
//! assert_eq!(enrolment.issuer, "ACME");
//! // RFC 6238, Appendix B: T = 59 s gives 94287082 for this secret (SHA-1, 8 digits).
//! assert_eq!(enrolment.otp.codes_at(59).current.as_str(), "287082");
//! # Ok::<(), tessera_core::otp::PayloadError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod file;
pub mod otp;
pub mod scan;
pub mod transfer;
pub mod vault;
