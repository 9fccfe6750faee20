//! Turning one source entry's fields into a Tessera account, with a reason when it cannot be.

use zeroize::Zeroizing;

use crate::otp::{
    Account, AccountIcon, Algorithm, Enrolment, IconImage, Otp, OtpError, OtpKind, Secret,
};

/// Shared import settings.
pub struct Context {
    /// Creation time for imported accounts.
    pub now: u64,
    /// A KeePass key file's contents, when the user gave one.
    pub key_file: Option<Zeroizing<Vec<u8>>>,
}

/// One entry that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// 1-based position in the file.
    pub position: usize,
    /// Issuer and name as far as they could be read, for the user to recognise it.
    pub label: String,
    /// Why, in words.
    pub reason: String,
}

impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "entry {} (\"{}\"): {}",
            self.position, self.label, self.reason
        )
    }
}

/// The kind of code, as sources name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Time-based.
    Totp,
    /// Counter-based.
    Hotp,
    /// Steam Guard.
    Steam,
    /// Yandex (needs the PIN).
    Yandex,
    /// mOTP (needs the PIN).
    Motp,
}

impl Kind {
    /// From a source's type name ("totp", "TOTP", "HOTP", "steam", ...).
    pub fn parse(text: &str) -> Result<Kind, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "totp" | "" => Ok(Kind::Totp),
            "hotp" => Ok(Kind::Hotp),
            "steam" => Ok(Kind::Steam),
            "yandex" | "yaotp" => Ok(Kind::Yandex),
            "motp" => Ok(Kind::Motp),
            other => Err(format!("Tessera cannot compute \"{other}\" codes")),
        }
    }
}

/// The secret as a source stores it.
pub enum SecretText {
    /// Base32 text.
    Base32(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// Hexadecimal text (mOTP secrets).
    Hex(String),
}

/// Everything a source entry can hold; absent numbers take the usual defaults (SHA1, 6
/// digits, 30 s, counter 0).
pub struct Draft {
    pub issuer: String,
    pub name: String,
    pub kind: Kind,
    pub algorithm: String,
    pub digits: Option<i64>,
    pub period: Option<i64>,
    pub counter: Option<i64>,
    pub secret: SecretText,
    pub note: String,
    pub tags: Vec<String>,
    pub pinned: bool,
    pub tenant: String,
    /// The PIN of a Yandex or mOTP account, when the source holds it.
    pub pin: Option<Zeroizing<String>>,
    /// Why the entry cannot be imported, found while reading it (e.g. an unknown kind).
    pub problem: Option<String>,
    /// The icon the source holds for it (an unusable image is left out, not a failure).
    pub icon: Option<AccountIcon>,
}

impl Draft {
    /// A TOTP draft with defaults.
    pub fn new(issuer: impl Into<String>, name: impl Into<String>, secret: SecretText) -> Draft {
        Draft {
            issuer: issuer.into(),
            name: name.into(),
            kind: Kind::Totp,
            algorithm: String::new(),
            digits: None,
            period: None,
            counter: None,
            secret,
            note: String::new(),
            tags: Vec::new(),
            pinned: false,
            tenant: String::new(),
            pin: None,
            problem: None,
            icon: None,
        }
    }

    /// The kind from a source's type name (an unknown one fails the entry when built), and the
    /// algorithm, digits, period and counter from `fields` of `value` with these names.
    pub fn params(&mut self, kind: &str, value: &serde_json::Value, names: [&str; 4]) {
        match Kind::parse(kind) {
            Ok(kind) => self.kind = kind,
            Err(reason) => self.problem = Some(reason),
        }
        let [algorithm, digits, period, counter] = names;
        self.algorithm = super::json::text(value, algorithm);
        self.digits = super::json::number(value, digits);
        self.period = super::json::number(value, period);
        self.counter = super::json::number(value, counter);
    }

    /// The account, or why not.
    pub fn build(self, cx: &Context) -> Result<Account, String> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        let secret = match self.secret {
            SecretText::Base32(text) => Secret::from_base32(&text),
            SecretText::Bytes(bytes) => Secret::from_bytes(bytes),
            SecretText::Hex(text) => Secret::from_hex(&text),
        }
        .map_err(|e| e.to_string())?;
        // mOTP is MD5 by definition (Aegis writes `MD5`); the field says nothing more.
        let algorithm = if self.algorithm.trim().is_empty() || self.kind == Kind::Motp {
            Algorithm::Sha1
        } else {
            self.algorithm
                .trim()
                .parse::<Algorithm>()
                .map_err(|_| format!("unknown algorithm \"{}\"", self.algorithm))?
        };
        let number = |value: Option<i64>, default: i64, what: &str| -> Result<i64, String> {
            let value = value.unwrap_or(default);
            if value < 0 {
                return Err(format!("negative {what} ({value})"));
            }
            Ok(value)
        };
        let period = |default: i64| -> Result<u32, String> {
            let period = number(self.period, default, "period")?;
            let period = if period == 0 { default } else { period };
            u32::try_from(period).map_err(|_| format!("period {period} s is too long"))
        };
        let (kind, default_digits) = match self.kind {
            Kind::Totp => (
                OtpKind::Totp {
                    period: period(30)?,
                },
                6,
            ),
            Kind::Yandex => (
                OtpKind::Yandex {
                    period: period(30)?,
                },
                8,
            ),
            Kind::Motp => (
                OtpKind::Motp {
                    period: period(10)?,
                },
                6,
            ),
            Kind::Hotp => (
                OtpKind::Hotp {
                    counter: number(self.counter, 0, "counter")? as u64,
                },
                6,
            ),
            Kind::Steam => (OtpKind::Steam, 6),
        };
        let digits = number(self.digits, default_digits, "digits")?;
        let digits = u8::try_from(digits).map_err(|_| format!("{digits} digits"))?;
        let pin = self
            .pin
            .as_deref()
            .filter(|pin| !pin.is_empty())
            .map(|pin| Secret::from_bytes(pin.as_bytes().to_vec()))
            .transpose()
            .map_err(|e| e.to_string())?;
        let otp = match pin {
            Some(pin) => Otp::with_pin(kind, algorithm, digits, secret, pin),
            None => Otp::new(kind, algorithm, digits, secret),
        }
        .map_err(|e| match e {
            OtpError::PinMissing(kind) => format!(
                "{kind} codes need the PIN chosen for this account, and this file does not \
                 hold it: add the account by hand with its PIN"
            ),
            other => other.to_string(),
        })?;
        let enrolment = Enrolment {
            issuer: self.issuer.trim().to_owned(),
            name: self.name.trim().to_owned(),
            tenant: String::new(),
            otp,
        };
        if enrolment.issuer.len() > crate::otp::MAX_LABEL_LEN
            || enrolment.name.len() > crate::otp::MAX_LABEL_LEN
        {
            return Err("the issuer or name is longer than 256 bytes".into());
        }
        let mut account = Account::new(enrolment, cx.now);
        account.note = self.note;
        account.tenant = self.tenant;
        for tag in self.tags {
            let tag = tag.trim().to_owned();
            if !tag.is_empty() && !account.tags.contains(&tag) {
                account.tags.push(tag);
            }
        }
        account.pinned = self.pinned;
        account.icon = self.icon;
        Ok(account)
    }
}

/// An icon image from Base64 (Aegis, Stratum), scaled and checked; `None` when it is not one.
pub fn icon_image(base64_text: &str) -> Option<AccountIcon> {
    use base64::Engine as _;
    let text = base64_text.trim();
    // Four Base64 characters per three bytes: refuse before decoding what no icon needs.
    if text.is_empty() || text.len() / 4 * 3 > 4 * 1024 * 1024 {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    IconImage::from_imported(&bytes)
        .ok()
        .map(AccountIcon::Image)
}

/// A brand icon name from another app (Stratum's icon pack, Ente's Simple Icons id).
pub fn icon_brand(name: &str) -> Option<AccountIcon> {
    let slug: String = name.trim().to_lowercase();
    (!slug.is_empty() && slug.len() <= 64).then_some(AccountIcon::Brand(slug))
}

/// Builds a draft into an entry result at `position`.
pub fn entry(
    position: usize,
    draft: Draft,
    cx: &Context,
) -> Result<(Account, Option<u64>), EntryError> {
    let label = crate::otp::label(&draft.issuer, &draft.name);
    draft
        .build(cx)
        .map(|a| (a, None))
        .map_err(|reason| EntryError {
            position,
            label,
            reason,
        })
}

/// An entry that failed before it became a draft.
pub fn failed(position: usize, label: impl Into<String>, reason: impl Into<String>) -> EntryError {
    EntryError {
        position,
        label: label.into(),
        reason: reason.into(),
    }
}
