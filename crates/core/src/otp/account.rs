//! The account model: what an enrolment carries, and what Tessera keeps about an account.

use std::fmt;

use super::icon::AccountIcon;
use super::params::Otp;

/// The longest issuer or account name accepted, in bytes of UTF-8 (an e-mail address is at most
/// 254). The cap keeps every emitted `otpauth://` URI under the 4 KiB that parsing accepts, even
/// when each character is percent-encoded, so whatever Tessera reads it can also write back.
pub const MAX_LABEL_LEN: usize = 256;

/// What an enrolment QR code or `otpauth://` URI carries: who issued it, for which account, and
/// how to compute its codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The service, e.g. `Microsoft` or `GitHub`; may be empty.
    pub issuer: String,
    /// The account at that service, e.g. `admin@contoso.onmicrosoft.com`; may be empty.
    pub name: String,
    /// The organisation the label names beside the issuer, when it is another than the issuer:
    /// Microsoft Entra writes `Contoso Ltd:admin@contoso.com` with `issuer=Microsoft`. Empty
    /// for most codes; it becomes the account's [`Account::tenant`].
    pub tenant: String,
    /// How to compute the codes.
    pub otp: Otp,
}

/// "Issuer: name" for messages and lists, or whichever of the two is not empty.
pub fn label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer}: {name}"),
        (false, true) => issuer.to_owned(),
        _ => name.to_owned(),
    }
}

impl Enrolment {
    /// "Issuer: name" (see [`label`]).
    pub fn label(&self) -> String {
        label(&self.issuer, &self.name)
    }
}

/// A stable, random identifier of an account (a UUID v4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub uuid::Uuid);

impl AccountId {
    /// A fresh random id.
    pub fn random() -> AccountId {
        AccountId(uuid::Uuid::new_v4())
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An account as Tessera keeps it: the enrolment plus what the user adds to tell accounts apart
/// (the tenant of a Microsoft 365 customer, tags, a free-text note) and bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Stable identifier.
    pub id: AccountId,
    /// The service (see [`Enrolment::issuer`]).
    pub issuer: String,
    /// The account at the service (see [`Enrolment::name`]).
    pub name: String,
    /// How to compute the codes.
    pub otp: Otp,
    /// The customer or directory this account belongs to, e.g. `contoso.onmicrosoft.com`.
    pub tenant: String,
    /// Free labels, e.g. `customer-a`, `break-glass`.
    pub tags: Vec<String>,
    /// Free text: which device enrolled it, how to re-enrol it.
    pub note: String,
    /// Shown first in the list.
    pub pinned: bool,
    /// When the account was added, in Unix seconds.
    pub created: u64,
    /// When the account was last changed, in Unix seconds.
    pub updated: u64,
    /// When a code of it was last copied, in Unix seconds; `None` if never (or never recorded).
    pub last_used: Option<u64>,
    /// How many times a code of it was copied (for the "most used" order).
    pub use_count: u64,
    /// Set on the second version of an account that two programs changed at the same time
    /// (the id of the other version); the user keeps one or both, which clears it.
    pub conflict_of: Option<AccountId>,
    /// The icon the user chose (or an import brought); `None`: matched from the issuer.
    pub icon: Option<AccountIcon>,
}

impl Account {
    /// A new account from an enrolment, added at `now` (Unix seconds), with a fresh id.
    pub fn new(enrolment: Enrolment, now: u64) -> Account {
        let Enrolment {
            issuer,
            name,
            tenant,
            otp,
        } = enrolment;
        Account {
            id: AccountId::random(),
            issuer,
            name,
            otp,
            tenant,
            tags: Vec::new(),
            note: String::new(),
            pinned: false,
            created: now,
            updated: now,
            last_used: None,
            use_count: 0,
            conflict_of: None,
            icon: None,
        }
    }

    /// "Issuer: name" (see [`label`]).
    pub fn label(&self) -> String {
        label(&self.issuer, &self.name)
    }

    /// The enrolment part (what an `otpauth://` URI can carry, the tenant included).
    pub fn enrolment(&self) -> Enrolment {
        Enrolment {
            issuer: self.issuer.clone(),
            name: self.name.clone(),
            tenant: self.tenant.clone(),
            otp: self.otp.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, OtpKind, Secret};

    #[test]
    fn new_account_keeps_the_enrolment_and_starts_blank() {
        let otp = Otp::new(
            OtpKind::Hotp { counter: 3 },
            Algorithm::Sha256,
            8,
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        )
        .unwrap();
        let enrolment = Enrolment {
            issuer: "Contoso".into(),
            name: "admin".into(),
            tenant: String::new(),
            otp,
        };
        let account = Account::new(enrolment.clone(), 1_700_000_000);
        assert_eq!(account.enrolment(), enrolment);
        assert_eq!(
            (account.created, account.updated),
            (1_700_000_000, 1_700_000_000)
        );
        assert!(
            account.tenant.is_empty()
                && account.tags.is_empty()
                && account.note.is_empty()
                && !account.pinned
        );
        assert_ne!(Account::new(enrolment, 0).id, account.id);
        assert!(!format!("{account:?}").contains("JBSW"));
    }
}
