//! The decrypted payload: accounts and trash as JSON. Lives only inside the vault module, and
//! every buffer holding it is zeroized.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use base64::Engine as _;

use crate::otp::{Account, AccountIcon, AccountId, Algorithm, IconImage, Otp, OtpKind, Secret};

/// An account as stored.
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredAccount {
    id: uuid::Uuid,
    kind: String,
    /// Base32, upper case, no padding.
    secret: Zeroizing<String>,
    algorithm: String,
    digits: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
    /// The PIN of a Yandex or mOTP account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pin: Option<Zeroizing<String>>,
    issuer: String,
    name: String,
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    pinned: bool,
    created: u64,
    updated: u64,
    /// When a code was last copied; absent if never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_used: Option<u64>,
    /// How many times a code was copied; absent if never.
    #[serde(default, skip_serializing_if = "is_zero")]
    uses: u64,
    /// The other version's id, when two programs changed this account at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conflict_of: Option<uuid::Uuid>,
    /// When it went to the trash; absent for live accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trashed: Option<u64>,
    /// The icon the user chose; absent: matched from the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    icon: Option<StoredIcon>,
}

/// An icon as stored: one of `brand` (a slug), `letter` (true) or `image` (Base64) with its
/// `type`. Read tolerantly: an icon this version cannot use is dropped, never a reason to call
/// the vault damaged.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct StoredIcon {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    brand: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    letter: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    mime: Option<String>,
}

impl StoredIcon {
    fn from_icon(icon: &AccountIcon) -> StoredIcon {
        match icon {
            AccountIcon::Brand(slug) => StoredIcon {
                brand: Some(slug.clone()),
                ..StoredIcon::default()
            },
            AccountIcon::Letter => StoredIcon {
                letter: true,
                ..StoredIcon::default()
            },
            AccountIcon::Image(image) => StoredIcon {
                image: Some(base64::engine::general_purpose::STANDARD.encode(image.bytes())),
                mime: Some(image.kind().mime().to_owned()),
                ..StoredIcon::default()
            },
        }
    }

    fn into_icon(self) -> Option<AccountIcon> {
        if let Some(slug) = self.brand.filter(|s| !s.is_empty() && s.len() <= 64) {
            return Some(AccountIcon::Brand(slug));
        }
        if self.letter {
            return Some(AccountIcon::Letter);
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.image?)
            .ok()?;
        IconImage::from_stored(self.mime.as_deref().unwrap_or(""), &bytes)
            .ok()
            .map(AccountIcon::Image)
    }
}

/// The payload.
#[derive(Serialize, Deserialize)]
pub(crate) struct Payload {
    pub accounts: Vec<StoredAccount>,
}

/// An account with its trash time, and lower-case text kept for fast search and sorting.
pub(crate) struct Entry {
    pub account: Account,
    pub trashed: Option<u64>,
    /// Issuer, name, tenant, tags and note in lower case, one per line.
    pub haystack: String,
    /// Issuer and name in lower case, for sorting.
    pub sort_key: (String, String),
}

impl Entry {
    pub fn new(account: Account, trashed: Option<u64>) -> Entry {
        let mut entry = Entry {
            account,
            trashed,
            haystack: String::new(),
            sort_key: Default::default(),
        };
        entry.reindex();
        entry
    }

    /// Recomputes the search text after the account changed.
    pub fn reindex(&mut self) {
        let a = &self.account;
        self.haystack = format!(
            "{}\n{}\n{}\n{}\n{}",
            a.issuer,
            a.name,
            a.tenant,
            a.tags.join("\n"),
            a.note
        )
        .to_lowercase();
        self.sort_key = (a.issuer.to_lowercase(), a.name.to_lowercase());
    }
}

/// An account (and when it went to the trash) in the stored form, as JSON (the sync folder's
/// records, crate::transfer::sync). The caller wipes the secret's strings when done.
pub(crate) fn entry_to_json(account: &Account, trashed: Option<u64>) -> serde_json::Value {
    serde_json::to_value(StoredAccount::from_parts(account, trashed))
        .expect("a stored account always serializes")
}

/// Back from [`entry_to_json`]'s form; `None` when a field is missing or invalid, or the kind
/// is one this version does not know.
pub(crate) fn entry_from_json(value: serde_json::Value) -> Option<(Account, Option<u64>)> {
    let stored: StoredAccount = serde_json::from_value(value).ok()?;
    let entry = stored.into_entry().ok()?;
    Some((entry.account, entry.trashed))
}

impl StoredAccount {
    pub fn from_entry(entry: &Entry) -> StoredAccount {
        StoredAccount::from_parts(&entry.account, entry.trashed)
    }

    fn from_parts(a: &Account, trashed: Option<u64>) -> StoredAccount {
        let (period, counter) = match a.otp.kind() {
            OtpKind::Totp { period } | OtpKind::Yandex { period } | OtpKind::Motp { period } => {
                (Some(period), None)
            }
            OtpKind::Hotp { counter } => (None, Some(counter)),
            OtpKind::Steam => (None, None),
        };
        let pin = a
            .otp
            .pin()
            .map(|pin| Zeroizing::new(String::from_utf8_lossy(pin.expose()).into_owned()));
        StoredAccount {
            id: a.id.0,
            kind: a.otp.kind().as_str().to_owned(),
            secret: a.otp.secret().to_base32(),
            algorithm: a.otp.algorithm_name().to_owned(),
            digits: a.otp.digits(),
            period,
            counter,
            pin,
            issuer: a.issuer.clone(),
            name: a.name.clone(),
            tenant: a.tenant.clone(),
            tags: a.tags.clone(),
            note: a.note.clone(),
            pinned: a.pinned,
            created: a.created,
            updated: a.updated,
            last_used: a.last_used,
            uses: a.use_count,
            conflict_of: a.conflict_of.map(|id| id.0),
            trashed,
            icon: a.icon.as_ref().map(StoredIcon::from_icon),
        }
    }

    /// Back to an account; `Err(Invalid)` if a field is invalid (the caller reports the file
    /// as damaged), `Err(NewerKind)` for a kind this version does not know.
    pub fn into_entry(self) -> Result<Entry, Unreadable> {
        let kind = match self.kind.as_str() {
            "totp" => OtpKind::Totp {
                period: self.period.ok_or(Unreadable::Invalid)?,
            },
            "hotp" => OtpKind::Hotp {
                counter: self.counter.ok_or(Unreadable::Invalid)?,
            },
            "steam" => OtpKind::Steam,
            "yandex" => OtpKind::Yandex {
                period: self.period.ok_or(Unreadable::Invalid)?,
            },
            "motp" => OtpKind::Motp {
                period: self.period.ok_or(Unreadable::Invalid)?,
            },
            other => return Err(Unreadable::NewerKind(other.chars().take(16).collect())),
        };
        let algorithm: Algorithm = match kind {
            // mOTP is MD5 by definition; the field says so and is not read.
            OtpKind::Motp { .. } => Algorithm::Sha1,
            _ => self.algorithm.parse().map_err(|_| Unreadable::Invalid)?,
        };
        let secret = Secret::from_base32(&self.secret).map_err(|_| Unreadable::Invalid)?;
        let otp = match &self.pin {
            Some(pin) => {
                let pin = Secret::from_bytes(pin.as_bytes().to_vec());
                Otp::with_pin(
                    kind,
                    algorithm,
                    self.digits,
                    secret,
                    pin.map_err(|_| Unreadable::Invalid)?,
                )
            }
            None => Otp::new(kind, algorithm, self.digits, secret),
        }
        .map_err(|_| Unreadable::Invalid)?;
        let account = Account {
            id: AccountId(self.id),
            issuer: self.issuer,
            name: self.name,
            otp,
            tenant: self.tenant,
            tags: self.tags,
            note: self.note,
            pinned: self.pinned,
            created: self.created,
            updated: self.updated,
            last_used: self.last_used,
            use_count: self.uses,
            conflict_of: self.conflict_of.map(AccountId),
            icon: self.icon.and_then(StoredIcon::into_icon),
        };
        Ok(Entry::new(account, self.trashed))
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Why a stored account could not be read back.
pub(crate) enum Unreadable {
    /// A field is missing or out of range.
    Invalid,
    /// A kind of code this version does not know (its name).
    NewerKind(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(kind: &str, extra: &str) -> StoredAccount {
        serde_json::from_str(&format!(
            r#"{{"id":"2f6d9a7e-0000-4000-8000-000000000001","kind":"{kind}",
                "secret":"LA2V6KMCGYMWWVEW64RNP3JA3I","algorithm":"SHA256","digits":8,
                "issuer":"Yandex","name":"alice","created":1,"updated":1{extra}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn icons_are_stored_and_an_unusable_one_is_dropped_not_damage() {
        let totp = |icon: &str| {
            stored("totp", &format!(r#","period":30,"icon":{icon}"#))
                .into_entry()
                .ok()
                .unwrap()
                .account
                .icon
        };
        assert_eq!(
            totp(r#"{"brand":"github"}"#),
            Some(AccountIcon::Brand("github".into()))
        );
        assert_eq!(totp(r#"{"letter":true}"#), Some(AccountIcon::Letter));
        assert_eq!(totp(r#"{"image":"not base64!"}"#), None);
        assert_eq!(totp(r#"{"image":"aGVsbG8=","type":"image/png"}"#), None);
        assert_eq!(totp(r#"{"future":"thing"}"#), None);
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"/>"#;
        let image = IconImage::from_bytes(svg.as_bytes()).unwrap();
        let mut entry = stored("totp", r#","period":30"#).into_entry().ok().unwrap();
        entry.account.icon = Some(AccountIcon::Image(image.clone()));
        let json = serde_json::to_string(&StoredAccount::from_entry(&entry)).unwrap();
        assert!(json.contains(r#""icon":{"image":""#), "{json}");
        let back: StoredAccount = serde_json::from_str(&json).unwrap();
        let back = back.into_entry().ok().unwrap();
        assert_eq!(back.account.icon, Some(AccountIcon::Image(image)));
    }

    #[test]
    fn a_kind_from_a_newer_version_is_named_not_called_damage() {
        match stored("yandex2", r#","period":30"#).into_entry() {
            Err(Unreadable::NewerKind(kind)) => assert_eq!(kind, "yandex2"),
            _ => panic!("expected a newer kind"),
        }
        // A Yandex account without its PIN is damage: this version always writes it.
        assert!(matches!(
            stored("yandex", r#","period":30"#).into_entry(),
            Err(Unreadable::Invalid)
        ));
        let entry = stored("yandex", r#","period":30,"pin":"7586""#)
            .into_entry()
            .ok()
            .unwrap();
        assert_eq!(entry.account.otp.code_at(1581064020).as_str(), "oactmacq");
        let back = serde_json::to_value(StoredAccount::from_entry(&entry)).unwrap();
        assert_eq!(
            (&back["pin"], &back["kind"]),
            (&"7586".into(), &"yandex".into())
        );
    }
}
