//! Restore and import previews: what adding a set of accounts to the vault would do, before it
//! does anything.
//!
//! - an account whose secret and parameters the vault already has is an exact duplicate and is
//!   skipped (HOTP counters are not compared: the same seed is the same authenticator);
//! - an account with the label (issuer and name) of one in the vault, in the same tenant (or
//!   where either has none), but another secret is a second, independent authenticator for
//!   that account (a technician's own phone enrolled beside a colleague's): it is kept and
//!   tagged [`INDEPENDENT_TAG`] so the two can be told apart; the same guest address in two
//!   tenants is two accounts, both new;
//! - anything else is new.
//!
//! Applying a plan only ever adds accounts.

use std::collections::HashMap;

use crate::otp::{Account, Otp};
use crate::vault::{BackupEntry, Vault, VaultError};

/// The tag given to an incoming account that is a second authenticator for an account the vault
/// already has.
pub const INDEPENDENT_TAG: &str = "second authenticator";

/// What will happen to one incoming account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Added.
    New,
    /// Skipped: the vault (or an earlier incoming account) has the same secret and parameters.
    Duplicate {
        /// The label of the account it duplicates.
        of: String,
    },
    /// Added and tagged: another secret for a label the vault has.
    Independent {
        /// The label both share.
        of: String,
    },
}

/// One incoming account and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The account as it will be added (tag included for independent ones).
    pub account: Account,
    /// Its trash time, if it comes from a backup's trash.
    pub trashed: Option<u64>,
    /// What will happen.
    pub outcome: Outcome,
}

/// The preview.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Every incoming account in order.
    pub items: Vec<Item>,
}

impl Plan {
    /// How many will be added as new accounts.
    pub fn new_count(&self) -> usize {
        self.count(|o| matches!(o, Outcome::New))
    }

    /// How many are skipped as duplicates.
    pub fn duplicate_count(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Duplicate { .. }))
    }

    /// How many are independent authenticators (added, tagged).
    pub fn independent_count(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Independent { .. }))
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.items.iter().filter(|i| f(&i.outcome)).count()
    }

    /// Adds the new and independent accounts to the vault in one save; returns how many.
    pub fn apply(&self, vault: &mut Vault) -> Result<usize, VaultError> {
        let adding: Vec<BackupEntry> = self
            .items
            .iter()
            .filter(|i| !matches!(i.outcome, Outcome::Duplicate { .. }))
            .map(|i| (i.account.clone(), i.trashed))
            .collect();
        let n = adding.len();
        if n > 0 {
            vault.insert_all(adding)?;
        }
        Ok(n)
    }
}

/// The identity of a seed: secret and parameters, without the HOTP counter.
fn seed_key(otp: &Otp) -> (Vec<u8>, &'static str, &'static str, u8, Option<u32>) {
    (
        otp.secret().expose().to_vec(),
        otp.kind().as_str(),
        otp.algorithm().as_str(),
        otp.digits(),
        otp.kind().period(),
    )
}

fn label_key(account: &Account) -> (String, String) {
    (
        account.issuer.trim().to_lowercase(),
        account.name.trim().to_lowercase(),
    )
}

fn tenant_key(account: &Account) -> String {
    account.tenant.trim().to_lowercase()
}

/// An account with this issuer and name is already there, in the same tenant (or one of the
/// two has none): `account` is a second authenticator of it. A guest's `admin@msp.example` in
/// two tenants is two accounts, not one account twice.
fn same_account(labels: &HashMap<(String, String), Vec<String>>, account: &Account) -> bool {
    let tenant = tenant_key(account);
    labels.get(&label_key(account)).is_some_and(|tenants| {
        tenants
            .iter()
            .any(|t| t.is_empty() || tenant.is_empty() || *t == tenant)
    })
}

/// Sorts `incoming` against the vault's accounts (live and trashed).
pub fn plan(vault: &Vault, incoming: Vec<BackupEntry>) -> Plan {
    let existing = vault.backup_entries();
    plan_against(&existing, incoming)
}

/// [`plan`] against any list of existing accounts.
pub fn plan_against(existing: &[BackupEntry], incoming: Vec<BackupEntry>) -> Plan {
    let mut seeds: HashMap<_, String> = existing
        .iter()
        .map(|(a, _)| (seed_key(&a.otp), a.label()))
        .collect();
    let mut labels: HashMap<(String, String), Vec<String>> = HashMap::new();
    for (a, _) in existing {
        labels.entry(label_key(a)).or_default().push(tenant_key(a));
    }
    let mut items = Vec::with_capacity(incoming.len());
    for (mut account, trashed) in incoming {
        let key = seed_key(&account.otp);
        let outcome = if let Some(of) = seeds.get(&key) {
            Outcome::Duplicate { of: of.clone() }
        } else if same_account(&labels, &account) {
            if !account.tags.iter().any(|t| t == INDEPENDENT_TAG) {
                account.tags.push(INDEPENDENT_TAG.to_owned());
            }
            Outcome::Independent {
                of: account.label(),
            }
        } else {
            Outcome::New
        };
        if !matches!(outcome, Outcome::Duplicate { .. }) {
            seeds.insert(key, account.label());
            labels
                .entry(label_key(&account))
                .or_default()
                .push(tenant_key(&account));
        }
        items.push(Item {
            account,
            trashed,
            outcome,
        });
    }
    Plan { items }
}
