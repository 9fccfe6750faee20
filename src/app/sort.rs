//! The list's orders: issuer, account, tenant, recently used, most used, date added, and the
//! user's own; pinned accounts first in every one. Ties keep the vault's order (issuer, then
//! account name), so a list never shuffles between two redraws.

use std::cmp::Reverse;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tessera_core::otp::{Account, AccountId};

use super::{AppError, AppState};

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SortOrder {
    /// Issuer A-Z, then account name.
    #[default]
    Issuer,
    /// Account name A-Z.
    Account,
    /// Tenant A-Z, accounts without one last.
    Tenant,
    /// The code copied last first; never-used accounts last.
    RecentlyUsed,
    /// The most copied first.
    MostUsed,
    /// The newest first.
    DateAdded,
    /// The user's own order (moved up and down in the row menu or with Alt+arrows).
    Custom,
}

impl SortOrder {
    /// Every order, as the settings offer them.
    pub const ALL: [SortOrder; 7] = [
        SortOrder::Issuer,
        SortOrder::Account,
        SortOrder::Tenant,
        SortOrder::RecentlyUsed,
        SortOrder::MostUsed,
        SortOrder::DateAdded,
        SortOrder::Custom,
    ];

    /// The name in the settings file and the form.
    pub fn id(self) -> &'static str {
        match self {
            SortOrder::Issuer => "issuer",
            SortOrder::Account => "account",
            SortOrder::Tenant => "tenant",
            SortOrder::RecentlyUsed => "recently-used",
            SortOrder::MostUsed => "most-used",
            SortOrder::DateAdded => "date-added",
            SortOrder::Custom => "custom",
        }
    }

    /// What the user reads.
    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Issuer => "Issuer (A-Z)",
            SortOrder::Account => "Account (A-Z)",
            SortOrder::Tenant => "Tenant (A-Z)",
            SortOrder::RecentlyUsed => "Recently used",
            SortOrder::MostUsed => "Most used",
            SortOrder::DateAdded => "Newest first",
            SortOrder::Custom => "My own order",
        }
    }

    /// The order with this id.
    pub fn from_id(id: &str) -> Option<SortOrder> {
        SortOrder::ALL.into_iter().find(|o| o.id() == id)
    }
}

/// Sorts `accounts` (in the vault's order) by `order`, pinned first; `custom` is the user's
/// own order (account ids), where accounts it does not name come after, in the vault's order.
pub fn sort(accounts: &mut [&Account], order: SortOrder, custom: &[String]) {
    match order {
        SortOrder::Issuer => {}
        SortOrder::Account => accounts.sort_by_cached_key(|a| (!a.pinned, a.name.to_lowercase())),
        SortOrder::Tenant => accounts.sort_by_cached_key(|a| {
            (
                !a.pinned,
                a.tenant.trim().is_empty(),
                a.tenant.trim().to_lowercase(),
            )
        }),
        SortOrder::RecentlyUsed => {
            accounts.sort_by_key(|a| (!a.pinned, Reverse(a.last_used.unwrap_or(0))))
        }
        SortOrder::MostUsed => accounts.sort_by_key(|a| (!a.pinned, Reverse(a.use_count))),
        SortOrder::DateAdded => accounts.sort_by_key(|a| (!a.pinned, Reverse(a.created))),
        SortOrder::Custom => {
            let at: HashMap<&str, usize> = custom
                .iter()
                .enumerate()
                .map(|(i, id)| (id.as_str(), i))
                .collect();
            accounts.sort_by_cached_key(|a| {
                (
                    !a.pinned,
                    at.get(a.id.to_string().as_str())
                        .copied()
                        .unwrap_or(usize::MAX),
                )
            });
        }
    }
}

impl AppState {
    /// Moves an account one place up (`up`) or down in the user's own order, switching the list
    /// to that order, and saves the settings. The order starts as the list showed it.
    pub fn move_account(&mut self, id: AccountId, up: bool) -> Result<(), AppError> {
        let Some(vault) = &self.vault else {
            return Ok(());
        };
        let mut accounts = vault.search("");
        let current = self.settings.sort;
        sort(&mut accounts, current, &self.settings.custom_order);
        let mut ids: Vec<String> = accounts.iter().map(|a| a.id.to_string()).collect();
        let pinned: Vec<bool> = accounts.iter().map(|a| a.pinned).collect();
        if let Some(at) = ids.iter().position(|i| *i == id.to_string()) {
            let other = if up { at.checked_sub(1) } else { Some(at + 1) };
            // Pinned accounts stay above the rest: a move never crosses that line.
            if let Some(other) = other.filter(|o| *o < ids.len() && pinned[*o] == pinned[at]) {
                ids.swap(at, other);
            }
        }
        self.update_settings(|s| {
            s.sort = SortOrder::Custom;
            s.custom_order = ids;
        })
    }
}
