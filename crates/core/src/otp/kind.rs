//! The kind of code (TOTP, HOTP, Steam, Yandex, mOTP) and the HMAC hash function, as accounts,
//! URIs and other apps' files name them.

use std::fmt;

/// Steam Guard codes last 30 s.
pub(crate) const STEAM_PERIOD: u32 = 30;

/// The HMAC hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA-1, what nearly every service uses.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The name used in `otpauth://` URIs: `SHA1`, `SHA256` or `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of one-time password, with its moving factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpKind {
    /// Time-based (RFC 6238): a new code every `period` seconds.
    Totp {
        /// Seconds each code lasts, at least 1.
        period: u32,
    },
    /// Counter-based (RFC 4226): a new code each time the counter moves on.
    Hotp {
        /// The counter of the current code.
        counter: u64,
    },
    /// Steam Guard: time-based, 30 s, SHA-1, five characters from Steam's alphabet.
    Steam,
    /// Yandex Key: time-based HMAC-SHA-256 keyed with SHA-256 of the PIN and the secret; eight
    /// lower-case letters. Needs the account's PIN.
    Yandex {
        /// Seconds each code lasts (Yandex uses 30).
        period: u32,
    },
    /// Mobile-OTP (motp.sourceforge.net): MD5 of `time / period`, the secret in hex and the PIN;
    /// six hex digits. Needs the account's PIN.
    Motp {
        /// Seconds each code lasts (mOTP uses 10).
        period: u32,
    },
}

impl OtpKind {
    /// `totp`, `hotp`, `steam`, `yandex` or `motp`: the kind's name in the vault and in Aegis
    /// files (the first three are also the `otpauth://TYPE/` of their URIs).
    pub fn as_str(self) -> &'static str {
        match self {
            OtpKind::Totp { .. } => "totp",
            OtpKind::Hotp { .. } => "hotp",
            OtpKind::Steam => "steam",
            OtpKind::Yandex { .. } => "yandex",
            OtpKind::Motp { .. } => "motp",
        }
    }

    /// The name shown to people: `TOTP`, `HOTP`, `Steam`, `Yandex` or `mOTP`.
    pub fn display_name(self) -> &'static str {
        match self {
            OtpKind::Totp { .. } => "TOTP",
            OtpKind::Hotp { .. } => "HOTP",
            OtpKind::Steam => "Steam",
            OtpKind::Yandex { .. } => "Yandex",
            OtpKind::Motp { .. } => "mOTP",
        }
    }

    /// Whether codes need the account's PIN as well as its secret (Yandex and mOTP).
    pub fn needs_pin(self) -> bool {
        matches!(self, OtpKind::Yandex { .. } | OtpKind::Motp { .. })
    }

    /// The counter, for HOTP.
    pub fn counter(self) -> Option<u64> {
        match self {
            OtpKind::Hotp { counter } => Some(counter),
            _ => None,
        }
    }

    /// The period in seconds, for time-based kinds.
    pub fn period(self) -> Option<u32> {
        match self {
            OtpKind::Totp { period } | OtpKind::Yandex { period } | OtpKind::Motp { period } => {
                Some(period)
            }
            OtpKind::Steam => Some(STEAM_PERIOD),
            OtpKind::Hotp { .. } => None,
        }
    }
}
