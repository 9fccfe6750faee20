//! Adding accounts: from a pasted text or scanned QR code ([`AppState::add_text`],
//! [`AppState::add_payload`]), from an image ([`read_image`], off the UI thread), or typed in
//! ([`Draft`]). Exact duplicates are not added but reported, for "Open it" or "Add anyway"; a
//! Google export is tracked QR code by QR code ([`BatchProgress`]), in the state, so the scanner
//! and the image tab count the same codes.

pub use tessera_core::otp::BatchProgress;
use tessera_core::otp::{
    Account, AccountId, Algorithm, BatchStatus, Enrolment, MOTP_DIGITS, MOTP_PERIOD, Otp, OtpError,
    OtpKind, Payload, PayloadError, Secret, UriError, YANDEX_DIGITS, YANDEX_PERIOD, parse_payload,
    parse_payload_with_pin, unix_now,
};
use tessera_core::vault::VaultError;
use zeroize::Zeroizing;

use super::{AppError, AppState};

/// What adding from a URI or QR code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// Accounts added (ids), and accounts skipped as exact duplicates.
    Added {
        /// The new accounts.
        ids: Vec<AccountId>,
        /// Accounts the vault already has, which were not added.
        duplicates: Vec<Duplicate>,
        /// For a Google export QR code: where its export stands now.
        batch: Option<BatchStatus>,
    },
    /// A code Tessera cannot use, with the guidance to show (e.g. Microsoft push enrolment).
    Guidance(PayloadError),
    /// A Yandex or mOTP code that carries no PIN: ask for it, then [`AppState::add_with_pin`].
    NeedsPin(PinRequest),
}

/// A scanned or pasted Yandex or mOTP code waiting for the PIN its owner chose (Yandex's QR
/// codes never carry it). Holds the code's text, which `Debug` never shows.
#[derive(Clone, PartialEq, Eq)]
pub struct PinRequest {
    /// `Yandex` or `mOTP`.
    pub kind: &'static str,
    text: Zeroizing<String>,
}

impl std::fmt::Debug for PinRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PinRequest({}, <hidden>)", self.kind)
    }
}

/// An account that was not added because the vault already has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The account already in the vault.
    pub existing: AccountId,
    /// Its label.
    pub label: String,
    /// When it was added.
    pub created: u64,
    /// What was to be added, for "Add anyway".
    pub enrolment: Enrolment,
}

/// Extra fields for new accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewMeta {
    /// Tenant.
    pub tenant: String,
    /// Note.
    pub note: String,
    /// Tags.
    pub tags: Vec<String>,
}

impl NewMeta {
    /// The fields as the form holds them: tags comma-separated.
    pub fn from_form(tenant: &str, note: &str, tags: &str) -> NewMeta {
        NewMeta {
            tenant: tenant.trim().to_owned(),
            note: note.to_owned(),
            tags: tags
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
        }
    }

    fn account(&self, enrolment: Enrolment, now: u64) -> Account {
        let mut account = Account::new(enrolment, now);
        // A tenant typed wins; else the one the code's label names (Entra's organisation).
        if !self.tenant.trim().is_empty() {
            account.tenant = self.tenant.trim().to_owned();
        }
        account.note = self.note.clone();
        account.tags = self.tags.clone();
        account
    }
}

/// The kinds of one-time password the Type form offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DraftKind {
    /// Time-based (TOTP): the number is the period in seconds.
    #[default]
    Totp,
    /// Counter-based (HOTP): the number is the counter.
    Hotp,
    /// Steam Guard (30 s, 5 characters).
    Steam,
    /// Yandex (Base32 secret and a PIN; the number is the period).
    Yandex,
    /// mOTP (hex secret and a PIN; the number is the period).
    Motp,
}

impl DraftKind {
    /// The digits and number (period or counter) the form starts with for this kind.
    pub fn defaults(self) -> (u8, u64) {
        match self {
            DraftKind::Totp => (6, 30),
            DraftKind::Hotp => (6, 0),
            DraftKind::Steam => (5, 30),
            DraftKind::Yandex => (YANDEX_DIGITS, u64::from(YANDEX_PERIOD)),
            DraftKind::Motp => (MOTP_DIGITS, u64::from(MOTP_PERIOD)),
        }
    }

    /// Whether the form asks for a PIN.
    pub fn needs_pin(self) -> bool {
        matches!(self, DraftKind::Yandex | DraftKind::Motp)
    }
}

/// The Type form's fields as typed. `Debug` never shows the secret or the PIN.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// The service.
    pub issuer: String,
    /// The account name.
    pub name: String,
    /// The Base32 secret key, as typed (spaces and lower case allowed).
    pub secret: String,
    /// The kind.
    pub kind: DraftKind,
    /// The algorithm.
    pub algorithm: Algorithm,
    /// How many digits, as typed.
    pub digits: String,
    /// The period (TOTP) or counter (HOTP), as typed.
    pub number: String,
    /// The PIN, for Yandex and mOTP.
    pub pin: Zeroizing<String>,
}

impl std::fmt::Debug for Draft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Draft")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &"<hidden>")
            .field("kind", &self.kind)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("number", &self.number)
            .field("pin", &"<hidden>")
            .finish()
    }
}

impl Draft {
    /// The problem with the secret as typed so far, to show under the field (`None` when it is
    /// empty or valid).
    pub fn secret_problem(&self) -> Option<AppError> {
        if self.secret.trim().is_empty() {
            return None;
        }
        self.secret().err()
    }

    fn secret(&self) -> Result<Secret, AppError> {
        match self.kind {
            DraftKind::Motp => Secret::from_hex(&self.secret),
            _ => Secret::from_base32(&self.secret),
        }
        .map_err(AppError::from)
    }

    /// The enrolment the form describes, or what is wrong with it.
    pub fn build(&self) -> Result<Enrolment, AppError> {
        let secret = self.secret()?;
        let number = self.number.trim();
        let not_a_number = |what: &str| {
            AppError::input(
                format!("The {what} \"{number}\" is not a whole number."),
                "Type digits only (the period is often 30).",
            )
        };
        let kind = match self.kind {
            DraftKind::Hotp => OtpKind::Hotp {
                counter: number.parse().map_err(|_| not_a_number("counter"))?,
            },
            DraftKind::Steam => OtpKind::Steam,
            DraftKind::Totp => OtpKind::Totp {
                period: number.parse().map_err(|_| not_a_number("period"))?,
            },
            DraftKind::Yandex => OtpKind::Yandex {
                period: number.parse().map_err(|_| not_a_number("period"))?,
            },
            DraftKind::Motp => OtpKind::Motp {
                period: number.parse().map_err(|_| not_a_number("period"))?,
            },
        };
        let digits: u8 = self.digits.trim().parse().map_err(|_| {
            AppError::input(
                format!("\"{}\" digits is not a number.", self.digits.trim()),
                "Choose 6 to 10 digits (most services use 6).",
            )
        })?;
        let otp = if kind.needs_pin() {
            Otp::with_pin(kind, self.algorithm, digits, secret, pin(&self.pin, kind)?)?
        } else {
            Otp::new(kind, self.algorithm, digits, secret)?
        };
        Ok(Enrolment {
            issuer: self.issuer.trim().to_owned(),
            name: self.name.trim().to_owned(),
            tenant: String::new(),
            otp,
        })
    }
}

/// The PIN as typed, checked.
fn pin(text: &str, kind: OtpKind) -> Result<Secret, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(OtpError::PinMissing(kind.display_name()).into());
    }
    Secret::from_bytes(text.as_bytes().to_vec()).map_err(|_| OtpError::Pin.into())
}

/// The QR codes in an image file (a screenshot or photo), read as texts (slow for a large
/// photo: call off the UI thread).
pub fn read_image(bytes: &[u8]) -> Result<Vec<String>, AppError> {
    let frame = tessera_core::scan::scan_image(bytes)?;
    Ok(tessera_core::scan::decode(
        &frame,
        tessera_core::scan::Effort::Still,
    ))
}

impl AppState {
    /// Adds what a pasted text or scanned QR code holds. Codes that are not an enrolment at all
    /// come back as [`AddOutcome::Guidance`].
    pub fn add_text(&mut self, text: &str, meta: &NewMeta) -> Result<AddOutcome, AppError> {
        match parse_payload(text.trim()) {
            Ok(payload) => self.add_payload(payload, meta),
            Err(error) if error.is_guidance() => Ok(AddOutcome::Guidance(error)),
            Err(PayloadError::Uri(UriError::Otp(OtpError::PinMissing(kind)))) => {
                Ok(AddOutcome::NeedsPin(PinRequest {
                    kind,
                    text: Zeroizing::new(text.trim().to_owned()),
                }))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Adds a Yandex or mOTP code with the PIN the user typed for it.
    pub fn add_with_pin(
        &mut self,
        request: &PinRequest,
        typed: &str,
        meta: &NewMeta,
    ) -> Result<AddOutcome, AppError> {
        let kind = match request.kind {
            "Yandex" => OtpKind::Yandex {
                period: YANDEX_PERIOD,
            },
            _ => OtpKind::Motp {
                period: MOTP_PERIOD,
            },
        };
        let pin = pin(typed, kind)?;
        let payload = parse_payload_with_pin(&request.text, Some(&pin))?;
        self.add_payload(payload, meta)
    }

    /// Adds what a decoded payload holds (one account, or a Google export's QR code: a QR code
    /// already read adds nothing again).
    pub fn add_payload(
        &mut self,
        payload: Payload,
        meta: &NewMeta,
    ) -> Result<AddOutcome, AppError> {
        match payload {
            Payload::Account(enrolment) => self.add_enrolments(vec![enrolment], meta),
            Payload::Migration(migration) => {
                let info = migration.info;
                let fresh = self.batch.record(info);
                let enrolments = if fresh {
                    migration
                        .entries
                        .into_iter()
                        .filter_map(Result::ok)
                        .collect()
                } else {
                    Vec::new()
                };
                let mut outcome = self.add_enrolments(enrolments, meta)?;
                let status = self.batch.status(info.id);
                if status.as_ref().is_some_and(BatchStatus::is_complete) {
                    self.batch.forget(info.id);
                }
                if let AddOutcome::Added { batch, .. } = &mut outcome {
                    *batch = status;
                }
                Ok(outcome)
            }
        }
    }

    /// The Google export being scanned and not complete yet, if any.
    pub fn batch_in_progress(&self) -> Option<BatchStatus> {
        self.batch.incomplete().into_iter().next()
    }

    /// Adds enrolments (e.g. typed by hand), skipping exact duplicates.
    pub fn add_enrolments(
        &mut self,
        enrolments: Vec<Enrolment>,
        meta: &NewMeta,
    ) -> Result<AddOutcome, AppError> {
        let now = unix_now();
        let vault = self.vault_mut()?;
        let (mut ids, mut duplicates) = (Vec::new(), Vec::new());
        for enrolment in enrolments {
            let account = meta.account(enrolment.clone(), now);
            match vault.add_account(account) {
                Ok(id) => ids.push(id),
                Err(VaultError::Duplicate { label }) => {
                    let existing = vault.accounts().into_iter().find(|a| {
                        a.otp == enrolment.otp
                            && a.issuer == enrolment.issuer
                            && a.name == enrolment.name
                    });
                    if let Some(existing) = existing {
                        duplicates.push(Duplicate {
                            existing: existing.id,
                            label,
                            created: existing.created,
                            enrolment,
                        });
                    }
                }
                Err(error) => return self.saved(Err(error)),
            }
        }
        self.changed();
        Ok(AddOutcome::Added {
            ids,
            duplicates,
            batch: None,
        })
    }

    /// Adds the account the Type form describes.
    pub fn add_draft(&mut self, draft: &Draft, meta: &NewMeta) -> Result<AddOutcome, AppError> {
        let enrolment = draft.build()?;
        self.add_enrolments(vec![enrolment], meta)
    }

    /// Adds an account even though the vault has the same one ("Add anyway").
    pub fn add_anyway(
        &mut self,
        enrolment: Enrolment,
        meta: &NewMeta,
    ) -> Result<AccountId, AppError> {
        let account = meta.account(enrolment, unix_now());
        let saved = self.vault_mut()?.insert_all(vec![(account, None)]);
        let ids = self.saved(saved)?;
        self.changed();
        Ok(ids[0])
    }
}
