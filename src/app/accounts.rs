//! Changes to accounts (edit, pin, icon, trash and undo, restore, purge, HOTP's next code, "last
//! used") and showing an account's secret after the password. Each change is saved at once; a
//! save that another program's save got in before is merged ([`AppState::take_notice`]).

use tessera_core::otp::{Account, AccountIcon, AccountId, to_otpauth, unix_now};
use tessera_core::vault::Edit;
use zeroize::Zeroizing;

use super::{AppError, AppState};

/// The details form as edited: tags comma-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailsForm {
    /// The issuer.
    pub issuer: String,
    /// The account name.
    pub name: String,
    /// The tenant.
    pub tenant: String,
    /// Tags, comma-separated.
    pub tags: String,
    /// The note.
    pub note: String,
}

/// Another authenticator for the same account (same issuer and name), for the details'
/// side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Twin {
    /// Its id.
    pub id: AccountId,
    /// Its note.
    pub note: String,
    /// Its tenant.
    pub tenant: String,
    /// When it was added.
    pub created: u64,
}

impl AppState {
    /// Edits an account.
    pub fn edit(&mut self, id: AccountId, edit: Edit) -> Result<(), AppError> {
        let saved = self.vault_mut()?.edit(id, edit, unix_now());
        self.saved(saved)?;
        self.changed();
        Ok(())
    }

    /// Saves the details form of account `id` (tags removed and added as the form says).
    pub fn save_details(&mut self, id: AccountId, form: &DetailsForm) -> Result<(), AppError> {
        let before = self
            .account(id)
            .ok_or(AppError::NoSuchAccount)?
            .tags
            .clone();
        let tags: Vec<String> = form
            .tags
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        let edit = Edit {
            issuer: Some(form.issuer.trim().to_owned()),
            name: Some(form.name.trim().to_owned()),
            tenant: Some(form.tenant.trim().to_owned()),
            note: Some(form.note.clone()),
            remove_tags: before.into_iter().filter(|t| !tags.contains(t)).collect(),
            add_tags: tags,
            ..Edit::default()
        };
        self.edit(id, edit)
    }

    /// Pins an account to the top of the list, or unpins it.
    pub fn pin(&mut self, id: AccountId, pinned: bool) -> Result<(), AppError> {
        let edit = Edit {
            pinned: Some(pinned),
            ..Edit::default()
        };
        self.edit(id, edit)
    }

    /// Sets the icon of account `id`: a brand slug, the letter, an image, or `None` for the one
    /// matched from the issuer.
    pub fn set_icon(&mut self, id: AccountId, icon: Option<AccountIcon>) -> Result<(), AppError> {
        let edit = Edit {
            icon: Some(icon),
            ..Edit::default()
        };
        self.edit(id, edit)
    }

    /// Marks a conflict version as resolved: both versions stay, as two accounts.
    pub fn keep_both(&mut self, id: AccountId) -> Result<(), AppError> {
        let edit = Edit {
            resolve_conflict: true,
            ..Edit::default()
        };
        self.edit(id, edit)
    }

    /// Every authenticator for the same account as `id` (same issuer and name, ignoring
    /// case), `id` included.
    pub fn twins_of(&self, id: AccountId) -> Vec<Twin> {
        let (Some(vault), Some(account)) = (self.vault(), self.account(id)) else {
            return Vec::new();
        };
        let same: Vec<&Account> = vault
            .accounts()
            .into_iter()
            .filter(|a| {
                a.issuer.eq_ignore_ascii_case(&account.issuer)
                    && a.name.eq_ignore_ascii_case(&account.name)
            })
            .collect();
        // As the list counts twins: a guest's one address in several tenants is one account
        // per tenant, not several authenticators for one.
        let tenant = |a: &Account| a.tenant.trim().to_lowercase();
        let mut tenants: Vec<String> = same
            .iter()
            .map(|a| tenant(a))
            .filter(|t| !t.is_empty())
            .collect();
        tenants.sort();
        tenants.dedup();
        same.into_iter()
            .filter(|a| tenants.len() < 2 || tenant(a) == tenant(account))
            .map(|a| Twin {
                id: a.id,
                note: a.note.clone(),
                tenant: a.tenant.clone(),
                created: a.created,
            })
            .collect()
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
            self.restore(id)?;
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

    /// Records that the account's code was copied: its details show "last used". Saved at
    /// once, but not an edit (no automatic backup for it).
    pub fn mark_used(&mut self, id: AccountId) -> Result<(), AppError> {
        let saved = self.vault_mut()?.mark_used(id, unix_now());
        self.saved(saved)?;
        Ok(())
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
        let account = self.account(id).ok_or(AppError::NoSuchAccount)?;
        Ok(to_otpauth(&account.enrolment()))
    }

    /// An account's URI and its QR code (PNG, Base64) to enrol another device; show them only
    /// after [`AppState::verify`].
    pub fn secret_and_qr(
        &self,
        id: AccountId,
    ) -> Result<(Zeroizing<String>, Zeroizing<String>), AppError> {
        use base64::Engine;
        let uri = self.uri_of(id)?;
        let png = tessera_core::transfer::export::qr::png(&uri).map_err(|_| {
            AppError::input(
                "This account's QR code would be too large to show.",
                "Copy the secret below instead.",
            )
        })?;
        let png = Zeroizing::new(png);
        Ok((
            uri,
            Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&*png)),
        ))
    }
}
