//! What a scanned QR code or pasted text holds, and what to tell the user when Tessera cannot
//! use it.
//!
//! "Invalid QR code" helps nobody. A Microsoft push-notification enrolment, a web link, or a
//! link with a mistyped secret each get their own error, and every error carries advice.

use super::account::Enrolment;
use super::migration::{MigrationBatch, MigrationError, decode_migration};
use super::secret::Secret;
use super::uri::{UriError, parse_otpauth_with_pin};

/// Something Tessera can enrol.
#[derive(Debug)]
pub enum Payload {
    /// One account from an `otpauth://` or `steam://` link.
    Account(Enrolment),
    /// One QR code of a Google Authenticator export.
    Migration(MigrationBatch),
}

/// Why a payload cannot be enrolled, with what to do instead ([`PayloadError::advice`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// Nothing but white space.
    #[error("the QR code or text is empty")]
    Empty,
    /// A Microsoft Authenticator push-notification enrolment (`phonefactor://` or the
    /// `activateAccount` link), which only Microsoft's app can use.
    #[error(
        "this QR code is for Microsoft Authenticator notifications, which only Microsoft's app can use"
    )]
    MicrosoftPush,
    /// A web address.
    #[error("this QR code is a web link to {host}, not an authenticator code")]
    WebLink {
        /// The site it points to (no path or query, which may hold tokens).
        host: String,
    },
    /// A link of another app's kind, e.g. `otpauth://yaotp/` or `motp://`.
    #[error("this is a {scheme} link, which Tessera cannot use")]
    OtherScheme {
        /// The scheme (and type) seen.
        scheme: String,
    },
    /// A secret key on its own (Base32, as Microsoft's "Can't scan the image?" page shows):
    /// usable, but without the issuer and account it belongs to. The message never repeats it.
    #[error("this looks like a secret key on its own, without the account it belongs to")]
    BareSecret,
    /// Plain text, not a link. The message says how long it is, never what it says: pasted
    /// text may be a secret.
    #[error("this is not an authenticator code; it is plain text ({chars} characters), not a link")]
    PlainText {
        /// How many characters.
        chars: usize,
    },
    /// An `otpauth://` link with a problem.
    #[error(transparent)]
    Uri(#[from] UriError),
    /// A Google Authenticator export link with a problem.
    #[error(transparent)]
    Migration(#[from] MigrationError),
}

const MICROSOFT_ADVICE: &str = "On the Microsoft page, choose \"I want to use a different authenticator app\" \
(or \"Configure app without notifications\"), then scan the new QR code with Tessera.";

impl PayloadError {
    /// Whether this is a code or text that is not an authenticator enrolment at all (Microsoft
    /// push, a web link, another scheme, plain text, a bare secret): a screen explains what to
    /// do instead of showing an error. The others are enrolments that are damaged.
    pub fn is_guidance(&self) -> bool {
        matches!(
            self,
            PayloadError::MicrosoftPush
                | PayloadError::WebLink { .. }
                | PayloadError::OtherScheme { .. }
                | PayloadError::PlainText { .. }
                | PayloadError::BareSecret
        )
    }

    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            PayloadError::MicrosoftPush => MICROSOFT_ADVICE,
            PayloadError::Uri(error) => error.advice(),
            PayloadError::Migration(error) => error.advice(),
            PayloadError::OtherScheme { .. } => {
                "Ask the service for a standard authenticator (TOTP) QR code, or choose \
                 \"another authenticator app\" on its set-up page."
            }
            PayloadError::BareSecret => {
                "This looks like a secret key: add it by typing it in, giving the service and \
                 account names yourself."
            }
            PayloadError::Empty | PayloadError::WebLink { .. } | PayloadError::PlainText { .. } => {
                "Scan the QR code the service shows when you set up two-factor authentication \
                 (it starts with otpauth://), or paste that link."
            }
        }
    }
}

/// Whether `text` is a Base32 secret key on its own: at least 16 characters (80 bits) of the
/// Base32 alphabet, in either case, perhaps in groups split by spaces or hyphens, perhaps
/// padded with `=`.
pub fn looks_like_secret(text: &str) -> bool {
    let clean: Vec<char> = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\t'))
        .collect();
    let body_len = clean.iter().take_while(|c| **c != '=').count();
    let (body, padding) = clean.split_at(body_len);
    (16..=1024).contains(&body.len())
        && body
            .iter()
            .all(|c| c.is_ascii_alphabetic() || ('2'..='7').contains(c))
        && padding.iter().all(|c| *c == '=')
        && padding.len() < 8
}

/// Reads the text of a QR code or the clipboard.
pub fn parse_payload(text: &str) -> Result<Payload, PayloadError> {
    parse_payload_with_pin(text, None)
}

/// Reads the text of a QR code or the clipboard, with the PIN the user typed for a Yandex or
/// mOTP link that carries none (see [`parse_otpauth_with_pin`]).
pub fn parse_payload_with_pin(text: &str, pin: Option<&Secret>) -> Result<Payload, PayloadError> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Err(PayloadError::Empty);
    }
    let Some((scheme, rest)) = text.split_once("://").filter(|(s, _)| is_scheme(s)) else {
        if looks_like_secret(text) {
            return Err(PayloadError::BareSecret);
        }
        return Err(PayloadError::PlainText {
            chars: text.chars().count(),
        });
    };
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "otpauth" | "steam" | "motp" => {
            // `otpauth://xyz/`: another app's kind, not a broken link.
            match parse_otpauth_with_pin(text, pin) {
                Err(UriError::UnknownType(kind)) => Err(PayloadError::OtherScheme {
                    scheme: format!("otpauth://{kind}"),
                }),
                result => Ok(Payload::Account(result?)),
            }
        }
        "otpauth-migration" => Ok(Payload::Migration(decode_migration(text)?)),
        "phonefactor" => Err(PayloadError::MicrosoftPush),
        "http" | "https" => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = host
                .rsplit('@')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let path = rest[rest.find('/').unwrap_or(rest.len())..].to_ascii_lowercase();
            if is_microsoft_login(&host) && path.contains("/authenticatorapp/activateaccount") {
                Err(PayloadError::MicrosoftPush)
            } else {
                Err(PayloadError::WebLink {
                    host: host.chars().take(253).collect(),
                })
            }
        }
        _ => Err(PayloadError::OtherScheme {
            scheme: format!("{scheme}://"),
        }),
    }
}

/// An RFC 3986 scheme: a letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && text.len() <= 32
}

/// Microsoft's sign-in hosts that serve the Authenticator activation link.
fn is_microsoft_login(host: &str) -> bool {
    let host = host.split(':').next().unwrap_or_default();
    const HOSTS: [&str; 5] = [
        "login.microsoftonline.com",
        "login.microsoftonline.us",
        "login.partner.microsoftonline.cn",
        "login.microsoft.com",
        "login.live.com",
    ];
    HOSTS.contains(&host)
}
