//! One-time passwords: the account model, code generation, `otpauth://` URIs, Google
//! Authenticator migration payloads, and the classification of enrolment payloads.
//!
//! Everything a QR code or a pasted link can hold enters through [`parse_payload`]; everything a
//! user sees as a code leaves through [`Otp::codes_at`] and [`Otp::code_at_counter`]. Time is
//! always passed in as an argument (Unix seconds), never read inside, so clock-skew handling and
//! tests can choose it.

mod account;
mod batch;
mod clock;
mod code;
mod icon;
mod kind;
mod migration;
mod params;
mod payload;
mod secret;
mod uri;

pub use account::{Account, AccountId, Enrolment, MAX_LABEL_LEN, label};
pub use batch::{BatchProgress, BatchStatus};
pub use clock::{CLOCK_CHECK_WINDOW_SECS, clock_offset};
pub use code::{Code, Codes, unix_now};
pub use icon::{AccountIcon, ICON_SIDE, IconError, IconImage, IconType, MAX_ICON_BYTES};
pub use migration::{
    BatchInfo, GoogleLimit, MAX_MIGRATION_LEN, MigrationBatch, MigrationEntryError, MigrationError,
    decode_migration, encode_migration, google_limits,
};
pub use params::{
    Algorithm, MAX_PIN_LEN, MOTP_DIGITS, MOTP_PERIOD, Otp, OtpError, OtpKind, YANDEX_DIGITS,
    YANDEX_PERIOD,
};
pub use payload::{Payload, PayloadError, parse_payload, parse_payload_with_pin};
pub use secret::{MAX_SECRET_TEXT_LEN, Secret, SecretError};
pub use uri::{MAX_URI_LEN, UriError, parse_otpauth, parse_otpauth_with_pin, to_otpauth};
