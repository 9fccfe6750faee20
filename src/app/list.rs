//! What the list shows: rows matching a search inside a filter, the filter chips, and the codes
//! to copy. Showing and copying read one clock, [`AppState::code_time`]: the system clock plus
//! the user's correction, which may be negative (a device that runs ahead).

use std::collections::BTreeMap;

use tessera_core::otp::{Account, AccountId, OtpKind, unix_now};
use zeroize::Zeroizing;

use super::AppState;
use super::rows::{Row, Twins, rows};
use super::settings::GroupBy;

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

/// What the list derives from the whole vault (filter chips, twins), kept until the vault
/// changes: the list redraws every second, and at 10,000 accounts these take milliseconds.
#[derive(Debug, Clone, Default)]
pub(super) struct Derived {
    filters: Vec<Filter>,
    twins: Twins,
}

impl AppState {
    /// The time codes are computed for at the system time `system_now`: plus the user's clock
    /// correction (negative when this device's clock is ahead).
    pub fn code_time(&self, system_now: u64) -> u64 {
        system_now.saturating_add_signed(self.settings.clock_offset_secs)
    }

    /// The time codes are computed for now ([`AppState::code_time`] of the system clock).
    pub fn now(&self) -> u64 {
        self.code_time(unix_now())
    }

    /// The list rows matching `query` (issuer, name, tenant, tags, notes), with their codes at
    /// the system time `system_now` (corrected as [`AppState::code_time`] says).
    pub fn rows(&self, query: &str, system_now: u64) -> Vec<Row> {
        self.rows_in(query, &Filter::All, system_now, usize::MAX).0
    }

    /// At most `limit` rows matching `query` inside `filter` (the list's chips), and how many
    /// match in all (the list draws the first rows only, so 10,000 accounts stay fast). Codes
    /// are at the system time `system_now`, corrected as [`AppState::code_time`] says.
    pub fn rows_in(
        &self,
        query: &str,
        filter: &Filter,
        system_now: u64,
        limit: usize,
    ) -> (Vec<Row>, usize) {
        let Some(vault) = &self.vault else {
            return (Vec::new(), 0);
        };
        let twins = self.derived().twins;
        let mut accounts = vault.search(query);
        super::sort::sort(
            &mut accounts,
            self.settings.sort,
            &self.settings.custom_order,
        );
        match filter {
            Filter::All => {}
            Filter::Tenant(tenant) => accounts.retain(|a| a.tenant.eq_ignore_ascii_case(tenant)),
            Filter::Tag(tag) => {
                accounts.retain(|a| a.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
            }
        }
        let group_by = self.settings.group_by;
        let at = self.code_time(system_now);
        let rows = rows(&accounts, &twins, at, limit, |a: &Account| match group_by {
            GroupBy::None => String::new(),
            GroupBy::Tenant => or_other(&a.tenant, "No tenant"),
            GroupBy::Tag => or_other(a.tags.first().map(String::as_str).unwrap_or(""), "No tag"),
            GroupBy::Issuer => or_other(&a.issuer, "No issuer"),
        });
        (rows, accounts.len())
    }

    /// How many live accounts the vault has (0 when locked).
    pub fn live_count(&self) -> usize {
        self.vault.as_ref().map_or(0, |v| v.len() - v.trash().len())
    }

    /// The filter chips: every tenant and every tag of the accounts (not the trash), each
    /// once (ignoring case), in name order.
    pub fn filters(&self) -> Vec<Filter> {
        self.derived().filters
    }

    /// The list's [`Derived`] data, computed on first use after a change.
    fn derived(&self) -> Derived {
        let mut cached = self.derived.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(derived) = &*cached {
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
            None => Derived::default(),
        };
        *cached = Some(derived.clone());
        derived
    }

    /// An account, live or trashed.
    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.vault.as_ref()?.get(id)
    }

    /// The time-based accounts (for the clock check), at most `limit`.
    pub fn timed_accounts(&self, limit: usize) -> Vec<(AccountId, String)> {
        self.vault
            .as_ref()
            .map(|v| {
                v.accounts()
                    .into_iter()
                    .filter(|a| a.otp.kind().period().is_some())
                    .take(limit)
                    .map(|a| (a.id, a.label()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The code to copy for an account: the current one, on the list's clock.
    pub fn code_to_copy(&self, id: AccountId) -> Option<Zeroizing<String>> {
        let account = self.account(id)?;
        Some(Zeroizing::new(
            account.otp.codes_at(self.now()).current.as_str().to_owned(),
        ))
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
