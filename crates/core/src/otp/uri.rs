//! `otpauth://` URIs, the [Key Uri Format] every authenticator QR code uses, and Steam's
//! `steam://SECRET`.
//!
//! ```text
//! otpauth://TYPE/LABEL?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
//! otpauth://hotp/LABEL?secret=BASE32&counter=0
//! otpauth://yaotp/LABEL?secret=BASE32&pin=BASE32_OF_PIN      (Yandex, as Aegis writes it)
//! motp://LABEL?secret=HEX&pin=BASE32_OF_PIN                   (mOTP)
//! ```
//!
//! **Yandex and mOTP** need the account's PIN. Aegis writes a Yandex PIN Base32-encoded in
//! `pin=`, and Tessera does the same for both kinds; Yandex's own QR codes carry no PIN (only
//! `pin_length=`), and mOTP links usually none, so [`parse_otpauth_with_pin`] takes the PIN
//! the user typed. Without one, reading fails with [`OtpError::PinMissing`]. A Yandex link
//! with no issuer gets `Yandex`.
//!
//! Reading is lenient where real QR codes vary: the scheme, type and algorithm in any case, the
//! secret with spaces or padding, `+` or `%20` for spaces in parameters, the label separator as
//! `:` or `%3A` with optional spaces after it, unknown parameters ignored, Steam written as
//! `otpauth://steam/`, as `encoder=steam` or as `steam://SECRET`.
//!
//! **Issuer:** when the `issuer=` parameter and the label prefix (`Issuer:` in `Issuer:account`)
//! disagree, the parameter wins. The Key Uri Format calls the parameter the authoritative,
//! recommended field; the label prefix is free text meant for display, which services abbreviate
//! or leave out (Microsoft writes `Microsoft:alice@contoso.com` with `issuer=Microsoft`, some
//! services put the tenant or the e-mail there), and Google Authenticator itself prefers the
//! parameter. The label prefix is used as the issuer only when there is no parameter.
//!
//! **Tenant:** the Key Uri Format says the two "should be equal"; when they are not (other
//! than in letter case), the prefix is kept as the enrolment's tenant rather than dropped.
//! Microsoft Entra writes the organisation there (`Contoso%20Ltd:admin%40contoso.com` with
//! `issuer=Microsoft`, or `Some+Company%3Ame%40...`): a guest in twelve tenants then sees
//! twelve tenants, not twelve "Microsoft" rows. `+` is a space in the prefix, but not in the
//! account name, where e-mail addresses use it. Writing puts a tenant back in the label.
//!
//! Writing produces one canonical form, so `parse(emit(e)) == e` for every enrolment whose
//! issuer and name carry no surrounding spaces (parsing trims them).
//!
//! [Key Uri Format]: https://github.com/google/google-authenticator/wiki/Key-Uri-Format

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::account::{Enrolment, MAX_LABEL_LEN};
use super::params::{
    Algorithm, DEFAULT_PERIOD, MOTP_PERIOD, Otp, OtpError, OtpKind, YANDEX_DIGITS, YANDEX_PERIOD,
};
use super::secret::{Secret, SecretError};

/// The longest URI accepted (4 KiB). Real enrolment URIs are under 300 bytes.
pub const MAX_URI_LEN: usize = 4096;

/// Characters left as they are in the label and parameter values of emitted URIs.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Why an `otpauth://` URI could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// Longer than [`MAX_URI_LEN`].
    #[error("the link is {len} bytes long; an authenticator link is at most 4096")]
    TooLong {
        /// The length seen.
        len: usize,
    },
    /// Does not start with `otpauth://` or `steam://`.
    #[error("this is not an otpauth:// link")]
    NotOtpauth,
    /// `otpauth://TYPE/` with a type other than totp, hotp or steam.
    #[error("Tessera cannot compute \"{0}\" codes; it supports totp, hotp and steam")]
    UnknownType(String),
    /// No `secret=` parameter.
    #[error("the link has no secret= parameter")]
    MissingSecret,
    /// The secret is not valid Base32.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// Digits, period, counter or algorithm out of range.
    #[error(transparent)]
    Otp(#[from] OtpError),
    /// An issuer or account name longer than [`MAX_LABEL_LEN`] bytes.
    #[error("the {part} is {len} bytes long; Tessera accepts at most 256")]
    LabelTooLong {
        /// `issuer` or `account name`.
        part: &'static str,
        /// The length seen.
        len: usize,
    },
    /// A `pin=` parameter that is not the Base32 form of a PIN.
    #[error("the pin= parameter of the link is not a Base32-encoded PIN")]
    BadPin,
    /// Percent-encoding that does not decode to UTF-8 text.
    #[error("the {0} of the link is not valid percent-encoded UTF-8 text")]
    BadEncoding(&'static str),
}

impl UriError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            UriError::Secret(error) => error.advice(),
            UriError::Otp(error) => error.advice(),
            UriError::UnknownType(_) => {
                "Ask the service for a standard authenticator (TOTP) QR code, or choose \
                 \"another authenticator app\" on its set-up page."
            }
            UriError::TooLong { .. } | UriError::NotOtpauth => {
                "Scan the QR code the service shows when you set up two-factor authentication, \
                 or copy the otpauth:// link from it."
            }
            UriError::MissingSecret
            | UriError::BadEncoding(_)
            | UriError::LabelTooLong { .. }
            | UriError::BadPin => {
                "The link looks damaged: scan the QR code again, or type the secret key by hand."
            }
        }
    }
}

/// Reads an `otpauth://`, `steam://` or `motp://` URI.
pub fn parse_otpauth(uri: &str) -> Result<Enrolment, UriError> {
    parse_otpauth_with_pin(uri, None)
}

/// Reads an `otpauth://`, `steam://` or `motp://` URI; a Yandex or mOTP link without a `pin=`
/// takes `pin` (what the user typed). The PIN is ignored for other kinds.
pub fn parse_otpauth_with_pin(uri: &str, pin: Option<&Secret>) -> Result<Enrolment, UriError> {
    if uri.len() > MAX_URI_LEN {
        return Err(UriError::TooLong { len: uri.len() });
    }
    let uri = uri.trim();
    let (scheme, rest) = uri.split_once("://").ok_or(UriError::NotOtpauth)?;
    if scheme.eq_ignore_ascii_case("steam") {
        let secret = Secret::from_base32(rest.trim_end_matches('/'))?;
        let otp = Otp::new(OtpKind::Steam, Algorithm::Sha1, 5, secret)?;
        return Ok(Enrolment {
            issuer: "Steam".into(),
            name: String::new(),
            tenant: String::new(),
            otp,
        });
    }
    let motp = scheme.eq_ignore_ascii_case("motp");
    if !motp && !scheme.eq_ignore_ascii_case("otpauth") {
        return Err(UriError::NotOtpauth);
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (kind, label) = match motp {
        true => ("motp", path.trim_start_matches('/')),
        false => path.split_once('/').unwrap_or((path, "")),
    };
    let params = Params::parse(query)?;

    let otp = read_otp(&kind.to_ascii_lowercase(), &params, pin)?;
    let (prefix, name) = split_label(label)?;
    let (issuer, tenant) = match params.get("issuer") {
        Some(issuer) if !issuer.trim().is_empty() => {
            let issuer = issuer.trim().to_owned();
            // A label prefix that names someone else than the issuer is the organisation.
            let tenant = prefix
                .filter(|p| !p.is_empty() && !p.eq_ignore_ascii_case(&issuer))
                .unwrap_or_default();
            (issuer, tenant)
        }
        _ => (prefix.unwrap_or_default(), String::new()),
    };
    let issuer = match otp.kind() {
        OtpKind::Yandex { .. } if issuer.is_empty() => "Yandex".to_owned(),
        _ => issuer,
    };
    for (part, text) in [
        ("issuer", &issuer),
        ("account name", &name),
        ("organisation", &tenant),
    ] {
        if text.len() > MAX_LABEL_LEN {
            return Err(UriError::LabelTooLong {
                part,
                len: text.len(),
            });
        }
    }
    Ok(Enrolment {
        issuer,
        name,
        tenant,
        otp,
    })
}

/// The decoded query parameters, keys in lower case; the first of repeated keys wins.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(query: &str) -> Result<Params, UriError> {
        let mut params: Vec<(String, String)> = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(key, true, "parameter names")?.to_ascii_lowercase();
            if params.iter().all(|(seen, _)| *seen != key) {
                params.push((key, decode(value, true, "parameters")?.into_owned()));
            }
        }
        Ok(Params(params))
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn read_otp(kind: &str, params: &Params, typed_pin: Option<&Secret>) -> Result<Otp, UriError> {
    let secret = params.get("secret").ok_or(UriError::MissingSecret)?;
    let secret = match kind {
        "motp" => Secret::from_hex(secret)?,
        _ => Secret::from_base32(secret)?,
    };
    let algorithm = match params.get("algorithm") {
        // mOTP is MD5 by definition; the parameter (`MD5`) says nothing more.
        _ if kind == "motp" => Algorithm::Sha1,
        Some(name) if !name.is_empty() => name.parse::<Algorithm>()?,
        _ => Algorithm::Sha1,
    };
    let digits = match params.get("digits") {
        Some(text) => text
            .trim()
            .parse::<u8>()
            .map_err(|_| OtpError::Digits(shorten(text)))?,
        None if kind == "yaotp" || kind == "yandex" => YANDEX_DIGITS,
        None => 6,
    };
    let period = |default| match params.get("period") {
        Some(text) => text
            .trim()
            .parse::<u32>()
            .map_err(|_| OtpError::Period(shorten(text))),
        None => Ok(default),
    };
    let steam = kind == "steam"
        || params
            .get("encoder")
            .is_some_and(|e| e.eq_ignore_ascii_case("steam"));
    let kind = match kind {
        _ if steam => OtpKind::Steam,
        "totp" => OtpKind::Totp {
            period: period(DEFAULT_PERIOD)?,
        },
        "yaotp" | "yandex" => OtpKind::Yandex {
            period: period(YANDEX_PERIOD)?,
        },
        "motp" => OtpKind::Motp {
            period: period(MOTP_PERIOD)?,
        },
        "hotp" => {
            let counter = match params.get("counter") {
                Some(text) => text
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| OtpError::Counter(shorten(text)))?,
                None => 0,
            };
            OtpKind::Hotp { counter }
        }
        other => return Err(UriError::UnknownType(shorten(other))),
    };
    if !kind.needs_pin() {
        return Ok(Otp::new(kind, algorithm, digits, secret)?);
    }
    let pin = match params.get("pin").filter(|pin| !pin.trim().is_empty()) {
        Some(text) => Secret::from_base32(text).map_err(|_| UriError::BadPin)?,
        None => typed_pin
            .cloned()
            .ok_or(OtpError::PinMissing(kind.display_name()))?,
    };
    Ok(Otp::with_pin(kind, algorithm, digits, secret, pin)?)
}

/// Splits `Issuer:account` (or `Issuer%3Aaccount`) into its decoded parts. A literal `:` is
/// preferred as the separator, so an issuer written with `%3A` inside it survives.
fn split_label(raw: &str) -> Result<(Option<String>, String), UriError> {
    let split = raw
        .find(':')
        .map(|at| (at, 1))
        .or_else(|| raw.to_ascii_lowercase().find("%3a").map(|at| (at, 3)));
    match split {
        Some((at, len)) => {
            // `+` is a space in the prefix (Entra writes `Some+Company%3Ame%40...`), never
            // in the account name, where e-mail addresses use it (`me+github@...`).
            let prefix = decode(&raw[..at], true, "label")?.trim().to_owned();
            let name = decode(&raw[at + len..], false, "label")?.trim().to_owned();
            Ok((Some(prefix), name))
        }
        None => Ok((None, decode(raw, false, "label")?.trim().to_owned())),
    }
}

/// Percent-decodes a URI component; in query values `+` also means a space.
fn decode<'a>(
    text: &'a str,
    plus_is_space: bool,
    part: &'static str,
) -> Result<Cow<'a, str>, UriError> {
    let text: Cow<'a, str> = if plus_is_space && text.contains('+') {
        Cow::Owned(text.replace('+', " "))
    } else {
        Cow::Borrowed(text)
    };
    let decoded = percent_decode_str(&text)
        .decode_utf8()
        .map_err(|_| UriError::BadEncoding(part))?;
    Ok(Cow::Owned(decoded.into_owned()))
}

/// A short, printable excerpt of a bad value for an error message.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().filter(|c| !c.is_control()).take(24).collect();
    if text.chars().count() > 24 {
        short.push('…');
    }
    short
}

/// Writes the canonical `otpauth://` URI of an enrolment.
///
/// The label is `Issuer:name` with both parts percent-encoded (a `:` inside them becomes
/// `%3A`), and the issuer is repeated in `issuer=`; with a tenant (and an issuer, other than
/// the tenant) the label is `Tenant:name`, as Microsoft Entra writes it. All parameters are written, even defaults,
/// so another app never has to guess. The result holds the secret: treat it as one.
pub fn to_otpauth(enrolment: &Enrolment) -> zeroize::Zeroizing<String> {
    let otp = &enrolment.otp;
    let issuer = utf8_percent_encode(&enrolment.issuer, COMPONENT).to_string();
    let name = utf8_percent_encode(&enrolment.name, COMPONENT).to_string();
    let tenant = &enrolment.tenant;
    let label = if !issuer.is_empty()
        && !tenant.is_empty()
        && !tenant.eq_ignore_ascii_case(&enrolment.issuer)
    {
        // As Microsoft Entra writes it: the organisation in the label, the issuer beside.
        format!("{}:{name}", utf8_percent_encode(tenant, COMPONENT))
    } else if !issuer.is_empty() {
        format!("{issuer}:{name}")
    } else if enrolment.name.contains(':') {
        format!(":{name}")
    } else {
        name
    };
    let mut uri = zeroize::Zeroizing::new(match otp.kind() {
        OtpKind::Motp { .. } => format!("motp://{label}?secret={}", otp.secret().to_hex().as_str()),
        kind => format!(
            "otpauth://{}/{label}?secret={}",
            match kind {
                OtpKind::Yandex { .. } => "yaotp",
                other => other.as_str(),
            },
            otp.secret().to_base32().as_str()
        ),
    });
    if !issuer.is_empty() {
        uri.push_str(&format!("&issuer={issuer}"));
    }
    match otp.kind() {
        OtpKind::Totp { period } => uri.push_str(&format!(
            "&algorithm={}&digits={}&period={period}",
            otp.algorithm(),
            otp.digits()
        )),
        OtpKind::Hotp { counter } => uri.push_str(&format!(
            "&algorithm={}&digits={}&counter={counter}",
            otp.algorithm(),
            otp.digits()
        )),
        OtpKind::Steam => {}
        OtpKind::Yandex { period } | OtpKind::Motp { period } => {
            let pin = otp.pin().map(|pin| pin.to_base32()).unwrap_or_default();
            uri.push_str(&format!(
                "&algorithm={}&digits={}&period={period}&pin=",
                otp.algorithm_name(),
                otp.digits()
            ));
            uri.push_str(&pin);
        }
    }
    uri
}
