//! [`AppState`]: the vault (when unlocked), the settings, and every action a screen can take.
//! Nothing here knows about Dioxus; the views call these methods and show what they return.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tessera_core::otp::{
    Account, AccountId, CLOCK_CHECK_WINDOW_SECS, Enrolment, OtpKind, Payload, PayloadError,
    clock_offset, parse_payload, to_otpauth, unix_now,
};
use tessera_core::transfer::import::{Imported, import};
use tessera_core::transfer::merge::{Plan, plan};
use tessera_core::transfer::{TransferError, autobackup};
use tessera_core::vault::{Edit, KdfParams, Keystore, Vault, VaultError};
use zeroize::Zeroizing;

mod trust;

use super::rows::{Row, Twins, rows};
use super::settings::{GroupBy, Settings};

/// Where the app is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// No vault yet: the first-run screen.
    Setup,
    /// A vault exists and is locked.
    Locked,
    /// Unlocked.
    Unlocked,
}

/// A failure to show: what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    /// What happened.
    pub message: String,
    /// What to do.
    pub advice: String,
}

impl AppError {
    /// An error with advice.
    pub fn new(message: impl Into<String>, advice: impl Into<String>) -> AppError {
        AppError {
            message: message.into(),
            advice: advice.into(),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.message, self.advice)
    }
}

impl From<VaultError> for AppError {
    fn from(error: VaultError) -> AppError {
        let message = match &error {
            VaultError::WrongPassword => "Wrong password.".to_owned(),
            other => format!("{}.", capitalise(&other.to_string())),
        };
        let advice = match &error {
            VaultError::WrongPassword => "Passwords are case-sensitive.".to_owned(),
            other => other.advice().to_owned(),
        };
        AppError::new(message, advice)
    }
}

impl From<TransferError> for AppError {
    fn from(error: TransferError) -> AppError {
        AppError::new(
            format!("{}.", capitalise(&error.to_string())),
            error.advice(),
        )
    }
}

impl From<PayloadError> for AppError {
    fn from(error: PayloadError) -> AppError {
        AppError::new(
            format!("{}.", capitalise(&error.to_string())),
            error.advice(),
        )
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// What adding from a URI or QR code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// Accounts added (ids), and accounts skipped as exact duplicates.
    Added {
        /// The new accounts.
        ids: Vec<AccountId>,
        /// Accounts the vault already has, which were not added.
        duplicates: Vec<Duplicate>,
        /// For a Google export QR code: (index, size) of this code.
        batch: Option<(u32, u32)>,
    },
    /// A code Tessera cannot use, with the guidance to show (e.g. Microsoft push enrolment).
    Guidance(PayloadError),
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

/// The result of [`AppState::check_clock`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockCheck {
    /// Seconds to add to this device's clock for its codes to match (a whole number of
    /// periods; 0 when the clocks agree).
    pub correction: i64,
    /// "Your clock seems 2 min ahead: codes may be rejected."
    pub message: String,
}

/// What the list shows: every account, or one tenant's, or one tag's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every account.
    #[default]
    All,
    /// The accounts of one tenant.
    Tenant(String),
    /// The accounts with one tag.
    Tag(String),
}

/// The app's state.
pub struct AppState {
    vault_path: PathBuf,
    vault: Option<Vault>,
    /// The settings.
    pub settings: Settings,
    /// The last account moved to the trash, for Undo.
    pub undo: Option<AccountId>,
    /// When something last happened (for auto-lock).
    pub last_activity: u64,
    /// What the list derives from the whole vault (filter chips, twins), kept until the vault
    /// changes: the list redraws every second, and at 10,000 accounts these take milliseconds.
    derived: RefCell<Option<Derived>>,
    /// Whether the unlock screen may still try the keystore by itself: once, at app start.
    /// After a lock only the user's explicit action does.
    keystore_on_start: bool,
    /// See [`AppState::take_notice`].
    notice: Option<String>,
}

/// See [`AppState::derived`].
#[derive(Debug, Clone)]
struct Derived {
    filters: Vec<Filter>,
    twins: Twins,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AppState({:?}, {:?})", self.vault_path, self.phase())
    }
}

impl AppState {
    /// The state for the vault at `vault_path` (which may not exist yet).
    pub fn new(vault_path: PathBuf) -> AppState {
        AppState {
            settings: Settings::load(&vault_path),
            vault_path,
            vault: None,
            undo: None,
            last_activity: unix_now(),
            derived: RefCell::new(None),
            keystore_on_start: true,
            notice: None,
        }
    }

    /// The vault file.
    pub fn vault_path(&self) -> &Path {
        &self.vault_path
    }

    /// Setup, locked or unlocked.
    pub fn phase(&self) -> Phase {
        if self.vault.is_some() {
            Phase::Unlocked
        } else if self.vault_path.exists() {
            Phase::Locked
        } else {
            Phase::Setup
        }
    }

    /// The unlocked vault.
    pub fn vault(&self) -> Option<&Vault> {
        self.vault.as_ref()
    }

    /// The vault, to change it: what the list derives from it is dropped.
    fn vault_mut(&mut self) -> Result<&mut Vault, AppError> {
        *self.derived.get_mut() = None;
        self.vault
            .as_mut()
            .ok_or_else(|| AppError::new("The vault is locked.", "Unlock it first."))
    }

    /// Checks a new password pair before the (slow) creation.
    pub fn check_new_password(password: &str, again: &str) -> Result<(), AppError> {
        if password != again {
            return Err(AppError::new(
                "The two passwords differ.",
                "Type the same password twice.",
            ));
        }
        if password.chars().count() < 8 {
            return Err(AppError::new(
                "The password is shorter than 8 characters.",
                "Use a passphrase of several words: it protects every seed in the vault.",
            ));
        }
        Ok(())
    }

    /// A password strength hint for the setup screen (0-4 and words).
    pub fn strength(password: &str) -> (u8, &'static str) {
        let len = password.chars().count();
        let classes = [
            password.chars().any(|c| c.is_lowercase()),
            password.chars().any(|c| c.is_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_alphanumeric()),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        let score = match len {
            0..8 => 0,
            8..12 => 1 + u8::from(classes >= 3),
            12..20 => 2 + u8::from(classes >= 2),
            _ => 4,
        };
        let words = ["too short", "weak", "fair", "good", "strong"][usize::from(score)];
        (score, words)
    }

    /// Creates the vault (slow: runs the key derivation; call on a blocking thread).
    pub fn create_vault(path: &Path, password: &str, kdf: KdfParams) -> Result<Vault, AppError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::new(
                    format!("Cannot create {}: {e}.", dir.display()),
                    "Choose another folder.",
                )
            })?;
        }
        Ok(Vault::create(path, password.as_bytes(), kdf)?)
    }

    /// Opens the vault with its password (slow; call on a blocking thread).
    pub fn open_vault(path: &Path, password: &str) -> Result<Vault, AppError> {
        Ok(Vault::unlock(path, password.as_bytes())?.0)
    }

    /// Opens the vault through the OS keystore, if it has a keystore slot.
    pub fn open_with_keystore(path: &Path, keystore: &dyn Keystore) -> Option<Vault> {
        Vault::unlock_with_keystore(path, keystore)
            .ok()
            .map(|(v, _)| v)
    }

    /// Takes an opened vault.
    pub fn accept(&mut self, vault: Vault) {
        *self.derived.get_mut() = None;
        self.vault = Some(vault);
        self.undo = None;
        self.touch();
    }

    /// Takes the vault out (to work on it on another thread); give it back with
    /// [`AppState::accept`].
    pub fn take_vault(&mut self) -> Option<Vault> {
        *self.derived.get_mut() = None;
        self.vault.take()
    }

    /// Locks: drops the vault and every decrypted secret with it. From now on the keystore
    /// opens the vault only when the user asks.
    pub fn lock(&mut self) {
        *self.derived.get_mut() = None;
        self.vault = None;
        self.undo = None;
        self.keystore_on_start = false;
    }

    /// Records activity (resets the auto-lock timer).
    pub fn touch(&mut self) {
        self.last_activity = unix_now();
    }

    /// Locks if the auto-lock time has passed; true when it did.
    pub fn lock_if_idle(&mut self, now: u64) -> bool {
        let idle = self.is_idle(now);
        if idle {
            self.lock();
        }
        idle
    }

    /// Whether the vault is unlocked and the auto-lock time has passed.
    pub fn is_idle(&self, now: u64) -> bool {
        let limit = self.settings.auto_lock_secs;
        self.vault.is_some() && limit > 0 && now.saturating_sub(self.last_activity) >= limit
    }

    /// The time codes are computed for (system clock plus the manual offset).
    pub fn now(&self) -> u64 {
        unix_now().saturating_add_signed(self.settings.clock_offset_secs)
    }

    /// The list rows matching `query` (issuer, name, tenant, tags, notes) at `now`.
    pub fn rows(&self, query: &str, now: u64) -> Vec<Row> {
        self.rows_limited(query, now, usize::MAX).0
    }

    /// At most `limit` rows matching `query`, and how many match in all (the list draws the
    /// first rows only, so a vault of 10,000 accounts stays fast).
    pub fn rows_limited(&self, query: &str, now: u64, limit: usize) -> (Vec<Row>, usize) {
        self.rows_in(query, &Filter::All, now, limit)
    }

    /// Like [`AppState::rows_limited`], inside one tenant or tag (the list's filter chips).
    pub fn rows_in(
        &self,
        query: &str,
        filter: &Filter,
        now: u64,
        limit: usize,
    ) -> (Vec<Row>, usize) {
        let Some(vault) = &self.vault else {
            return (Vec::new(), 0);
        };
        let twins = self.derived().twins;
        let mut accounts = vault.search(query);
        match filter {
            Filter::All => {}
            Filter::Tenant(tenant) => accounts.retain(|a| a.tenant.eq_ignore_ascii_case(tenant)),
            Filter::Tag(tag) => {
                accounts.retain(|a| a.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
            }
        }
        let group_by = self.settings.group_by;
        let rows = rows(
            &accounts,
            &twins,
            now,
            limit,
            |a: &Account| match group_by {
                GroupBy::None => String::new(),
                GroupBy::Tenant => or_other(&a.tenant, "No tenant"),
                GroupBy::Tag => {
                    or_other(a.tags.first().map(String::as_str).unwrap_or(""), "No tag")
                }
                GroupBy::Issuer => or_other(&a.issuer, "No issuer"),
            },
        );
        (rows, accounts.len())
    }

    /// The filter chips: every tenant and every tag of the accounts (not the trash), each
    /// once (ignoring case), in name order.
    pub fn filters(&self) -> Vec<Filter> {
        self.derived().filters
    }

    /// The list's [`Derived`] data, computed on first use after a change.
    fn derived(&self) -> Derived {
        if let Some(derived) = &*self.derived.borrow() {
            return derived.clone();
        }
        let derived = match &self.vault {
            Some(vault) => {
                let accounts = vault.accounts();
                Derived {
                    filters: filters_of(&accounts),
                    twins: Twins::of(&accounts),
                }
            }
            None => Derived {
                filters: Vec::new(),
                twins: Twins::default(),
            },
        };
        *self.derived.borrow_mut() = Some(derived.clone());
        derived
    }

    /// An account.
    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.vault.as_ref()?.get(id)
    }

    /// Adds what a pasted text or scanned QR code holds.
    pub fn add_text(&mut self, text: &str, meta: &NewMeta) -> Result<AddOutcome, AppError> {
        let payload = match parse_payload(text.trim()) {
            Ok(payload) => payload,
            Err(
                error @ (PayloadError::MicrosoftPush
                | PayloadError::WebLink { .. }
                | PayloadError::OtherScheme { .. }
                | PayloadError::PlainText { .. }
                | PayloadError::BareSecret),
            ) => {
                return Ok(AddOutcome::Guidance(error));
            }
            Err(error) => return Err(error.into()),
        };
        self.add_payload(payload, meta)
    }

    /// Adds what a decoded payload holds (one account, or a Google export's batch).
    pub fn add_payload(
        &mut self,
        payload: Payload,
        meta: &NewMeta,
    ) -> Result<AddOutcome, AppError> {
        let (enrolments, batch) = match payload {
            Payload::Account(enrolment) => (vec![enrolment], None),
            Payload::Migration(migration) => (
                migration
                    .entries
                    .into_iter()
                    .filter_map(Result::ok)
                    .collect(),
                Some((migration.info.index, migration.info.size)),
            ),
        };
        self.add_enrolments(enrolments, meta, batch)
    }

    /// Adds enrolments (e.g. typed by hand), skipping exact duplicates.
    pub fn add_enrolments(
        &mut self,
        enrolments: Vec<Enrolment>,
        meta: &NewMeta,
        batch: Option<(u32, u32)>,
    ) -> Result<AddOutcome, AppError> {
        let now = unix_now();
        let vault = self.vault_mut()?;
        let (mut ids, mut duplicates) = (Vec::new(), Vec::new());
        for enrolment in enrolments {
            let (issuer, name, account_otp) = (
                enrolment.issuer.clone(),
                enrolment.name.clone(),
                enrolment.otp.clone(),
            );
            let mut account = Account::new(enrolment, now);
            account.tenant = meta.tenant.trim().to_owned();
            account.note = meta.note.clone();
            account.tags = meta.tags.clone();
            match vault.add_account(account) {
                Ok(id) => ids.push(id),
                Err(VaultError::Duplicate { label }) => {
                    let existing = vault
                        .accounts()
                        .into_iter()
                        .find(|a| a.otp == account_otp && a.issuer == issuer && a.name == name);
                    if let Some(existing) = existing {
                        duplicates.push(Duplicate {
                            existing: existing.id,
                            label,
                            created: existing.created,
                            enrolment: Enrolment {
                                issuer,
                                name,
                                otp: account_otp,
                            },
                        });
                    }
                }
                Err(error) => {
                    let error = Err(error);
                    return self.saved(error);
                }
            }
        }
        self.changed();
        Ok(AddOutcome::Added {
            ids,
            duplicates,
            batch,
        })
    }

    /// Adds an account even though the vault has the same one ("Add anyway").
    pub fn add_anyway(
        &mut self,
        enrolment: Enrolment,
        meta: &NewMeta,
    ) -> Result<AccountId, AppError> {
        let mut account = Account::new(enrolment, unix_now());
        account.tenant = meta.tenant.trim().to_owned();
        account.note = meta.note.clone();
        account.tags = meta.tags.clone();
        let saved = self.vault_mut()?.insert_all(vec![(account, None)]);
        let ids = self.saved(saved)?;
        self.changed();
        Ok(ids[0])
    }

    /// Edits an account.
    pub fn edit(&mut self, id: AccountId, edit: Edit) -> Result<(), AppError> {
        let saved = self.vault_mut()?.edit(id, edit, unix_now());
        self.saved(saved)?;
        self.changed();
        Ok(())
    }

    /// Moves an account to the trash; Undo brings it back.
    pub fn trash(&mut self, id: AccountId) -> Result<(), AppError> {
        let saved = self.vault_mut()?.trash_account(id, unix_now());
        self.saved(saved)?;
        self.undo = Some(id);
        self.changed();
        Ok(())
    }

    /// Undoes the last move to the trash.
    pub fn undo(&mut self) -> Result<(), AppError> {
        if let Some(id) = self.undo.take() {
            let saved = self.vault_mut()?.restore(id);
            self.saved(saved)?;
            self.changed();
        }
        Ok(())
    }

    /// Brings an account back from the trash.
    pub fn restore(&mut self, id: AccountId) -> Result<(), AppError> {
        let saved = self.vault_mut()?.restore(id);
        self.saved(saved)?;
        self.changed();
        Ok(())
    }

    /// Deletes a trashed account for good.
    pub fn purge(&mut self, id: AccountId) -> Result<(), AppError> {
        let saved = self.vault_mut()?.purge(id);
        self.saved(saved)?;
        self.changed();
        Ok(())
    }

    /// The trash: accounts and when they went there.
    pub fn trash_list(&self) -> Vec<(Account, u64)> {
        self.vault
            .as_ref()
            .map(|v| v.trash().into_iter().map(|(a, t)| (a.clone(), t)).collect())
            .unwrap_or_default()
    }

    /// The code to copy for an account (the current one).
    pub fn code_to_copy(&self, id: AccountId) -> Option<Zeroizing<String>> {
        let account = self.account(id)?;
        Some(Zeroizing::new(
            account.otp.codes_at(self.now()).current.as_str().to_owned(),
        ))
    }

    /// Records that the account's code was copied: its details show "last used". Saved at
    /// once, but not an edit (no automatic backup for it).
    pub fn mark_used(&mut self, id: AccountId) -> Result<(), AppError> {
        let saved = self.vault_mut()?.mark_used(id, unix_now());
        self.saved(saved)?;
        Ok(())
    }

    /// The code after the current one (TOTP and Steam), for the row menu's "Copy next code"
    /// when the current one is about to expire; `None` for HOTP.
    pub fn next_code_to_copy(&self, id: AccountId) -> Option<Zeroizing<String>> {
        let account = self.account(id)?;
        if matches!(account.otp.kind(), OtpKind::Hotp { .. }) {
            return None;
        }
        Some(Zeroizing::new(
            account.otp.codes_at(self.now()).next.as_str().to_owned(),
        ))
    }

    /// The clock check: `code` is what another device (or the service) shows right now for
    /// the account `id`; the answer says how far off this device's clock is and the correction
    /// that makes the codes match. Works offline; HOTP accounts have no clock to check.
    pub fn check_clock(&self, id: AccountId, code: &str) -> Result<ClockCheck, AppError> {
        let account = self
            .account(id)
            .ok_or_else(|| AppError::new("That account is no longer here.", "Choose another."))?;
        let Some(period) = account.otp.kind().period() else {
            return Err(AppError::new(
                "Counter-based (HOTP) accounts do not depend on the clock.",
                "Choose a time-based account.",
            ));
        };
        let correction = clock_offset(&account.otp, code, unix_now(), CLOCK_CHECK_WINDOW_SECS)
            .ok_or_else(|| {
                AppError::new(
                    "That code does not match this account within 15 minutes either way.",
                    "Type the code shown right now for the same account on the other device, \
                     and check that it is the same account.",
                )
            })?;
        let off = |seconds: i64| match seconds.unsigned_abs() {
            s if s % 60 == 0 => format!("{} min", s / 60),
            s if s > 60 => format!("{} min {} s", s / 60, s % 60),
            s => format!("{s} s"),
        };
        let message = match correction {
            0 => {
                format!("This device's clock agrees with the other device (to within {period} s).")
            }
            c if c > 0 => format!("Your clock seems {} behind: codes may be rejected.", off(c)),
            c => format!("Your clock seems {} ahead: codes may be rejected.", off(c)),
        };
        Ok(ClockCheck {
            correction,
            message,
        })
    }

    /// HOTP: moves the counter on (the next code is shown).
    pub fn next_hotp(&mut self, id: AccountId) -> Result<(), AppError> {
        let saved = self.vault_mut()?.advance_counter(id, unix_now());
        self.saved(saved)?;
        self.changed();
        Ok(())
    }

    /// The account's `otpauth://` URI, only after the password is given again (slow: the key
    /// derivation; the window runs [`AppState::reauth`] off the UI thread instead).
    pub fn reveal_uri(&self, id: AccountId, password: &str) -> Result<Zeroizing<String>, AppError> {
        AppState::verify(&self.reauth()?, password)?;
        self.uri_of(id)
    }

    /// An account's `otpauth://` URI; show it only after [`AppState::verify`].
    pub fn uri_of(&self, id: AccountId) -> Result<Zeroizing<String>, AppError> {
        let account = self
            .account(id)
            .ok_or_else(|| AppError::new("That account is gone.", "Go back to the list."))?;
        Ok(to_otpauth(&account.enrolment()))
    }

    /// Reads a backup or another app's export and plans the merge (nothing changes yet).
    pub fn preview(
        &self,
        bytes: &[u8],
        password: Option<&str>,
    ) -> Result<(Imported, Plan), AppError> {
        let vault = self
            .vault
            .as_ref()
            .ok_or_else(|| AppError::new("The vault is locked.", "Unlock it first."))?;
        let imported = import(bytes, password.map(str::as_bytes), None, unix_now())?;
        let plan = plan(vault, imported.accounts());
        Ok((imported, plan))
    }

    /// Applies a merge plan; returns how many accounts were added.
    pub fn apply(&mut self, plan: &Plan) -> Result<usize, AppError> {
        let applied = plan.apply(self.vault_mut()?);
        let added = self.saved(applied)?;
        self.changed();
        Ok(added)
    }

    /// Saves the settings.
    pub fn save_settings(&self) -> Result<(), AppError> {
        self.settings.save(&self.vault_path).map_err(|e| {
            AppError::new(
                format!("The settings could not be saved: {e}."),
                "Check the disk.",
            )
        })
    }

    /// The automatic backup status: (last success text, last failure text).
    pub fn autobackup_status(&self) -> Option<autobackup::Settings> {
        autobackup::load(&self.vault_path)
    }

    /// After every change: the automatic backup, if on.
    fn changed(&mut self) {
        self.touch();
        if let Some(vault) = &self.vault {
            let _ = autobackup::after_change(vault, unix_now());
        }
    }
}

/// Every tenant and every tag of `accounts`, each once (ignoring case), in name order.
fn filters_of(accounts: &[&Account]) -> Vec<Filter> {
    // Per name (lower case), how often each spelling is used: the chip shows the most used
    // one (ties: the first in byte order, so "Contoso" before "contoso").
    type Spellings<'a> = BTreeMap<String, BTreeMap<&'a str, usize>>;
    let mut tenants: Spellings = BTreeMap::new();
    let mut tags: Spellings = BTreeMap::new();
    fn count<'a>(names: &mut Spellings<'a>, name: &'a str) {
        *names
            .entry(name.to_lowercase())
            .or_default()
            .entry(name)
            .or_default() += 1;
    }
    for account in accounts {
        if !account.tenant.is_empty() {
            count(&mut tenants, &account.tenant);
        }
        for tag in &account.tags {
            count(&mut tags, tag);
        }
    }
    let chosen = |names: Spellings| -> Vec<String> {
        names
            .into_values()
            .filter_map(|spellings| {
                let most = spellings.values().copied().max()?;
                spellings
                    .into_iter()
                    .find(|(_, n)| *n == most)
                    .map(|(s, _)| s.to_owned())
            })
            .collect()
    };
    let tenants = chosen(tenants).into_iter().map(Filter::Tenant);
    let tags = chosen(tags).into_iter().map(Filter::Tag);
    tenants.chain(tags).collect()
}

fn or_other(value: &str, other: &str) -> String {
    if value.trim().is_empty() {
        other.to_owned()
    } else {
        value.to_owned()
    }
}
