//! Changes to the accounts of an unlocked vault: each applied in memory, saved, and undone in
//! memory if the save fails (`change` and `save_or_undo`), so memory and file agree.

use super::super::error::VaultError;
use super::super::model::Entry;
use super::super::sealed::BackupEntry;
use super::Vault;
use super::saving::Change;
use crate::otp::{Account, AccountIcon, AccountId, Enrolment};

/// Changes to an account's descriptive fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    /// New issuer.
    pub issuer: Option<String>,
    /// New account name.
    pub name: Option<String>,
    /// New tenant.
    pub tenant: Option<String>,
    /// New note.
    pub note: Option<String>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Tags to remove.
    pub remove_tags: Vec<String>,
    /// Pin or unpin.
    pub pinned: Option<bool>,
    /// Marks a conflict version as resolved (clears [`Account::conflict_of`]).
    pub resolve_conflict: bool,
    /// A new icon choice (`Some(None)`: matched from the issuer again).
    pub icon: Option<Option<AccountIcon>>,
}

impl Vault {
    /// Adds an account made from an enrolment at `now` and saves. See [`Vault::add_account`].
    pub fn add(&mut self, enrolment: Enrolment, now: u64) -> Result<AccountId, VaultError> {
        self.add_account(Account::new(enrolment, now))
    }

    /// Adds an account (with its tenant, tags and note) and saves, in one write. The same secret,
    /// parameters and label again is a duplicate; the same label with another secret is a
    /// second, independent authenticator for the same account and is kept.
    pub fn add_account(&mut self, account: Account) -> Result<AccountId, VaultError> {
        if let Some(existing) = self.entries.iter().find(|e| {
            e.account.otp == account.otp
                && e.account.issuer == account.issuer
                && e.account.name == account.name
        }) {
            return Err(VaultError::Duplicate {
                label: existing.account.label(),
            });
        }
        let id = account.id;
        self.entries.push(Entry::new(account, None));
        self.save_or_undo(Change::Content, false, |v| {
            v.entries.pop();
        })?;
        Ok(id)
    }

    /// Adds an account in memory only, without the duplicate check or a save (for benchmarks
    /// and bulk loads that call [`Vault::save`] once at the end).
    #[doc(hidden)]
    pub fn push_unsaved(&mut self, account: Account) {
        self.entries.push(Entry::new(account, None));
    }

    fn index(&self, id: AccountId) -> Result<usize, VaultError> {
        self.entries
            .iter()
            .position(|e| e.account.id == id)
            .ok_or_else(|| VaultError::NoSuchAccount(id.to_string()))
    }

    /// Runs a change, saves, and undoes the change in memory if the save fails.
    fn change(
        &mut self,
        id: AccountId,
        change: Change,
        apply: impl FnOnce(&mut Entry),
    ) -> Result<(), VaultError> {
        let i = self.index(id)?;
        let before = Entry::new(self.entries[i].account.clone(), self.entries[i].trashed);
        apply(&mut self.entries[i]);
        self.entries[i].reindex();
        self.save_or_undo(change, false, move |v| v.entries[i] = before)
    }

    /// Edits issuer, name, tenant, tags, note, pin or icon, and saves.
    pub fn edit(&mut self, id: AccountId, edit: Edit, now: u64) -> Result<(), VaultError> {
        self.change(id, Change::Content, |e| {
            let a = &mut e.account;
            if let Some(v) = edit.issuer {
                a.issuer = v;
            }
            if let Some(v) = edit.name {
                a.name = v;
            }
            if let Some(v) = edit.tenant {
                a.tenant = v;
            }
            if let Some(v) = edit.note {
                a.note = v;
            }
            a.tags.retain(|t| !edit.remove_tags.contains(t));
            for tag in edit.add_tags {
                if !a.tags.contains(&tag) {
                    a.tags.push(tag);
                }
            }
            if let Some(v) = edit.pinned {
                a.pinned = v;
            }
            if edit.resolve_conflict {
                a.conflict_of = None;
            }
            if let Some(icon) = edit.icon {
                a.icon = icon;
            }
            a.updated = now;
        })
    }

    /// Moves the HOTP counter on (after its code was used) and saves.
    pub fn advance_counter(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, Change::Bookkeeping, |e| {
            e.account.otp.increment_counter();
            e.account.updated = now;
        })
    }

    /// Records that a code of the account was just used (copied): its last use and its use
    /// count, and saves. Not a change of the account: `updated` stays.
    pub fn mark_used(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, Change::Bookkeeping, |e| {
            e.account.last_used = Some(now);
            e.account.use_count = e.account.use_count.saturating_add(1);
        })
    }

    /// Moves an account to the trash (kept until purged) and saves.
    pub fn trash_account(&mut self, id: AccountId, now: u64) -> Result<(), VaultError> {
        self.change(id, Change::Content, |e| e.trashed = Some(now))
    }

    /// Brings an account back from the trash and saves.
    pub fn restore(&mut self, id: AccountId) -> Result<(), VaultError> {
        self.change(id, Change::Content, |e| e.trashed = None)
    }

    /// Deletes a trashed account for good and saves. Live accounts must be trashed first.
    pub fn purge(&mut self, id: AccountId) -> Result<(), VaultError> {
        let i = self.index(id)?;
        if self.entries[i].trashed.is_none() {
            return Err(VaultError::NoSuchAccount(format!(
                "{id} (not in the trash; move it to the trash first)"
            )));
        }
        let removed = self.entries.remove(i);
        self.save_or_undo(Change::Content, true, move |v| v.entries.insert(i, removed))
    }

    /// Adds many accounts (each live or trashed) and saves once; nothing is added if the save
    /// fails. An id already in the vault gets a fresh one. No duplicate check: callers decide
    /// (see `transfer::merge`).
    pub fn insert_all(&mut self, items: Vec<BackupEntry>) -> Result<Vec<AccountId>, VaultError> {
        let before = self.entries.len();
        let mut ids = Vec::with_capacity(items.len());
        let mut taken: std::collections::HashSet<AccountId> =
            self.entries.iter().map(|e| e.account.id).collect();
        for (mut account, trashed) in items {
            while !taken.insert(account.id) {
                account.id = AccountId::random();
            }
            ids.push(account.id);
            self.entries.push(Entry::new(account, trashed));
        }
        self.save_or_undo(Change::Content, false, move |v| v.entries.truncate(before))?;
        Ok(ids)
    }
}
