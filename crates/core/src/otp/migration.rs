//! Google Authenticator's "Transfer accounts" QR codes:
//! `otpauth-migration://offline?data=BASE64`, where the data is a protobuf `MigrationPayload`
//! (see `migration.proto` beside this file).
//!
//! A large export is split over several QR codes, a *batch*: each carries its index, the batch
//! size and a batch id shared by all of them, so a scanner can say "2 of 3 scanned" and refuse to
//! mix two exports. A damaged entry does not spoil the others: each entry decodes to its own
//! `Result`.
//!
//! What survives: secret, issuer, name, HOTP/TOTP, SHA-1/256/512, 6 or 8 digits, counter. The
//! format has no period (always 30 s), no 7, 9 or 10 digits and no Steam; [`google_limits`] says
//! what an account would lose before [`encode_migration`] is asked to write it.
//!
//! Google writes names as `Issuer:account` when the enrolment's label had a prefix; when that
//! prefix repeats the issuer it is dropped, so the account reads as it did in the original app.

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use prost::Message;

use super::account::{Enrolment, MAX_LABEL_LEN};
use super::params::{Algorithm, Otp, OtpKind};
use super::secret::{Secret, SecretError};

/// The longest migration URI accepted (64 KiB). Google's QR codes hold at most about 2 KiB.
pub const MAX_MIGRATION_LEN: usize = 64 * 1024;

const PREFIX: &str = "otpauth-migration://offline?";

/// Standard Base64 that accepts input with or without `=` padding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

mod proto {
    //! Hand-written prost messages mirroring `migration.proto` (no protoc needed to build).
    #![allow(missing_docs)]

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct MigrationPayload {
        #[prost(message, repeated, tag = "1")]
        pub otp_parameters: Vec<OtpParameters>,
        #[prost(int32, tag = "2")]
        pub version: i32,
        #[prost(int32, tag = "3")]
        pub batch_size: i32,
        #[prost(int32, tag = "4")]
        pub batch_index: i32,
        #[prost(int32, tag = "5")]
        pub batch_id: i32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct OtpParameters {
        #[prost(bytes = "vec", tag = "1")]
        pub secret: Vec<u8>,
        #[prost(string, tag = "2")]
        pub name: String,
        #[prost(string, tag = "3")]
        pub issuer: String,
        #[prost(int32, tag = "4")]
        pub algorithm: i32,
        #[prost(int32, tag = "5")]
        pub digits: i32,
        #[prost(int32, tag = "6")]
        pub r#type: i32,
        #[prost(int64, tag = "7")]
        pub counter: i64,
    }

    impl Drop for OtpParameters {
        fn drop(&mut self) {
            zeroize::Zeroize::zeroize(&mut self.secret);
        }
    }
}

/// Where one QR code sits in a Google Authenticator export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchInfo {
    /// 0-based index of this QR code.
    pub index: u32,
    /// How many QR codes the export has (at least 1).
    pub size: u32,
    /// The id all QR codes of one export share.
    pub id: i32,
}

/// One decoded QR code of a Google Authenticator export.
#[derive(Debug)]
pub struct MigrationBatch {
    /// Position in the export.
    pub info: BatchInfo,
    /// The format version Google wrote (1 so far).
    pub version: i32,
    /// The accounts, in order; each decodes on its own.
    pub entries: Vec<Result<Enrolment, MigrationEntryError>>,
}

/// Why a whole migration payload could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationError {
    /// Longer than [`MAX_MIGRATION_LEN`].
    #[error("the export link is {len} bytes long; Tessera accepts at most 65536")]
    TooLong {
        /// The length seen.
        len: usize,
    },
    /// Not `otpauth-migration://offline?data=...`.
    #[error(
        "this is not a Google Authenticator export link (otpauth-migration://offline?data=...)"
    )]
    NotMigration,
    /// No `data=` parameter.
    #[error("the Google Authenticator export link has no data")]
    MissingData,
    /// `data=` is not Base64.
    #[error("the data of the Google Authenticator export is not valid Base64")]
    Base64,
    /// The Base64 does not hold a migration protobuf.
    #[error("the data of the Google Authenticator export is damaged (not a valid export payload)")]
    Protobuf,
}

impl MigrationError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        "Scan the QR code again from Google Authenticator (Transfer accounts > Export accounts); \
         if you copied the link, copy all of it."
    }
}

/// Why one account of an export could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationEntryError {
    /// The secret is empty or too long.
    #[error("account {position} (\"{label}\"): {source}")]
    Secret {
        /// 1-based position in the QR code.
        position: usize,
        /// Issuer and name, for the user to recognise it.
        label: String,
        /// What is wrong.
        source: SecretError,
    },
    /// An algorithm Tessera cannot compute (MD5) or an unknown value.
    #[error("account {position} (\"{label}\"): {what}")]
    Unsupported {
        /// 1-based position in the QR code.
        position: usize,
        /// Issuer and name.
        label: String,
        /// What it uses.
        what: String,
    },
}

/// What Google Authenticator's format cannot carry for one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GoogleLimit {
    /// Steam codes: not representable at all.
    Steam,
    /// Yandex or mOTP codes (the kind's name): not representable at all.
    Kind(&'static str),
    /// A period other than 30 s: Google would show wrong codes.
    Period(u32),
    /// 7, 9 or 10 digits: Google only knows 6 and 8.
    Digits(u8),
}

impl std::fmt::Display for GoogleLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GoogleLimit::Steam => f.write_str("Google Authenticator cannot hold Steam accounts"),
            GoogleLimit::Kind(kind) => {
                write!(f, "Google Authenticator cannot hold {kind} accounts")
            }
            GoogleLimit::Period(p) => write!(
                f,
                "Google Authenticator only knows 30-second codes, this one uses {p} s"
            ),
            GoogleLimit::Digits(d) => write!(
                f,
                "Google Authenticator only knows 6 or 8 digits, this one uses {d}"
            ),
        }
    }
}

/// What an account would lose in a Google Authenticator export; empty when it fits.
pub fn google_limits(otp: &Otp) -> Vec<GoogleLimit> {
    let mut limits = Vec::new();
    match otp.kind() {
        OtpKind::Steam => return vec![GoogleLimit::Steam],
        kind @ (OtpKind::Yandex { .. } | OtpKind::Motp { .. }) => {
            return vec![GoogleLimit::Kind(kind.display_name())];
        }
        OtpKind::Totp { period } if period != 30 => limits.push(GoogleLimit::Period(period)),
        _ => {}
    }
    if !matches!(otp.digits(), 6 | 8) {
        limits.push(GoogleLimit::Digits(otp.digits()));
    }
    limits
}

/// Decodes one `otpauth-migration://offline?data=...` link.
///
/// The data may be percent-encoded or not: an unescaped `+` is Base64, never a space (some QR
/// generators leave `+` and `/` raw), and a space is read back as the `+` it once was.
pub fn decode_migration(uri: &str) -> Result<MigrationBatch, MigrationError> {
    if uri.len() > MAX_MIGRATION_LEN {
        return Err(MigrationError::TooLong { len: uri.len() });
    }
    let uri = uri.trim();
    let query = match uri.get(..PREFIX.len()) {
        Some(head) if head.eq_ignore_ascii_case(PREFIX) => &uri[PREFIX.len()..],
        _ => return Err(MigrationError::NotMigration),
    };
    let data = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("data="))
        .ok_or(MigrationError::MissingData)?;
    let data = percent_decode_str(data)
        .decode_utf8()
        .map_err(|_| MigrationError::Base64)?;
    let data: String = data
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .map(|c| match c {
            ' ' => '+',
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    if data.is_empty() {
        return Err(MigrationError::MissingData);
    }
    let bytes = zeroize::Zeroizing::new(
        BASE64
            .decode(data.as_bytes())
            .map_err(|_| MigrationError::Base64)?,
    );
    let payload =
        proto::MigrationPayload::decode(bytes.as_slice()).map_err(|_| MigrationError::Protobuf)?;
    if payload.otp_parameters.is_empty() && payload.batch_size == 0 {
        return Err(MigrationError::Protobuf);
    }
    let size = u32::try_from(payload.batch_size).unwrap_or(0).max(1);
    let index = u32::try_from(payload.batch_index)
        .unwrap_or(0)
        .min(size - 1);
    let entries = payload
        .otp_parameters
        .iter()
        .enumerate()
        .map(|(i, params)| read_entry(i + 1, params))
        .collect();
    Ok(MigrationBatch {
        info: BatchInfo {
            index,
            size,
            id: payload.batch_id,
        },
        version: payload.version,
        entries,
    })
}

fn read_entry(
    position: usize,
    params: &proto::OtpParameters,
) -> Result<Enrolment, MigrationEntryError> {
    let issuer = params.issuer.trim().to_owned();
    let (tenant, name) = split_name(params.name.trim(), &issuer);
    let label: String = super::account::label(&issuer, &name)
        .chars()
        .take(80)
        .collect();
    let unsupported = |what: String| MigrationEntryError::Unsupported {
        position,
        label: label.clone(),
        what,
    };
    if [&issuer, &name, &tenant]
        .iter()
        .any(|t| t.len() > MAX_LABEL_LEN)
    {
        return Err(unsupported(format!(
            "its issuer or name is longer than {MAX_LABEL_LEN} bytes"
        )));
    }
    let algorithm = match params.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => {
            return Err(unsupported(
                "it uses MD5, which Tessera cannot compute".into(),
            ));
        }
        other => return Err(unsupported(format!("unknown algorithm number {other}"))),
    };
    let digits = match params.digits {
        0 | 1 => 6,
        2 => 8,
        other => return Err(unsupported(format!("unknown digit count number {other}"))),
    };
    let kind = match params.r#type {
        0 | 2 => OtpKind::Totp { period: 30 },
        1 => OtpKind::Hotp {
            counter: u64::try_from(params.counter)
                .map_err(|_| unsupported(format!("negative counter {}", params.counter)))?,
        },
        other => return Err(unsupported(format!("unknown code type number {other}"))),
    };
    let secret = Secret::from_bytes(params.secret.clone()).map_err(|source| {
        MigrationEntryError::Secret {
            position,
            label: label.clone(),
            source,
        }
    })?;
    let otp = Otp::new(kind, algorithm, digits, secret).map_err(|e| unsupported(e.to_string()))?;
    Ok(Enrolment {
        issuer,
        name,
        tenant,
        otp,
    })
}

/// The tenant and the account of a Google name (Google keeps the URI's label whole): with an
/// issuer, `Issuer:account` is `account`, and `Contoso Ltd:admin@contoso.com` (as Microsoft
/// Entra's codes come in) is tenant `Contoso Ltd`, account `admin@contoso.com`. Without an
/// issuer the name stays whole.
fn split_name(name: &str, issuer: &str) -> (String, String) {
    match name.split_once(':') {
        Some((prefix, rest)) if !issuer.is_empty() => {
            let prefix = prefix.trim();
            let tenant = if prefix.eq_ignore_ascii_case(issuer) {
                ""
            } else {
                prefix
            };
            (tenant.to_owned(), rest.trim().to_owned())
        }
        _ => (String::new(), name.to_owned()),
    }
}

/// The name to write so that decoding gives `enrolment.name` and `tenant` back: the tenant as
/// the prefix; else, when the name holds a `:`, the issuer as the prefix (decoding drops it).
fn google_name(enrolment: &Enrolment) -> String {
    let Enrolment {
        issuer,
        name,
        tenant,
        ..
    } = enrolment;
    if issuer.is_empty() {
        name.clone()
    } else if !tenant.is_empty() && !tenant.contains(':') && !tenant.eq_ignore_ascii_case(issuer) {
        format!("{tenant}:{name}")
    } else if name.contains(':') {
        format!("{issuer}:{name}")
    } else {
        name.clone()
    }
}

/// Writes one QR code's link of a Google Authenticator export holding `entries`.
///
/// Fails, naming the first account and what it would lose, if any account does not fit the
/// format (see [`google_limits`]); check before and leave those out. The result holds secrets.
pub fn encode_migration(
    entries: &[&Enrolment],
    info: BatchInfo,
) -> Result<zeroize::Zeroizing<String>, (usize, GoogleLimit)> {
    let mut payload = proto::MigrationPayload {
        otp_parameters: Vec::with_capacity(entries.len()),
        version: 1,
        batch_size: i32::try_from(info.size).unwrap_or(i32::MAX),
        batch_index: i32::try_from(info.index).unwrap_or(i32::MAX),
        batch_id: info.id,
    };
    for (i, enrolment) in entries.iter().enumerate() {
        let otp = &enrolment.otp;
        if let Some(limit) = google_limits(otp).first() {
            return Err((i, *limit));
        }
        let (r#type, counter) = match otp.kind() {
            OtpKind::Hotp { counter } => (1, i64::try_from(counter).unwrap_or(i64::MAX)),
            _ => (2, 0),
        };
        payload.otp_parameters.push(proto::OtpParameters {
            secret: otp.secret().expose().to_vec(),
            name: google_name(enrolment),
            issuer: enrolment.issuer.clone(),
            algorithm: match otp.algorithm() {
                Algorithm::Sha1 => 1,
                Algorithm::Sha256 => 2,
                Algorithm::Sha512 => 3,
            },
            digits: if otp.digits() == 8 { 2 } else { 1 },
            r#type,
            counter,
        });
    }
    let bytes = zeroize::Zeroizing::new(payload.encode_to_vec());
    let data = zeroize::Zeroizing::new(BASE64.encode(bytes.as_slice()));
    Ok(zeroize::Zeroizing::new(format!(
        "{PREFIX}data={}",
        utf8_percent_encode(&data, NON_ALPHANUMERIC)
    )))
}
