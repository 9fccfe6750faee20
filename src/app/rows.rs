//! What the account list shows for each account: computed from the vault at a given time, so
//! it is tested without a window.

use std::collections::HashMap;

use tessera_core::otp::{Account, AccountId, OtpKind};

/// One row of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The account.
    pub id: AccountId,
    /// Issuer, or the name when there is no issuer.
    pub title: String,
    /// The account name (empty when it is the title).
    pub subtitle: String,
    /// The tenant.
    pub tenant: String,
    /// Tags.
    pub tags: Vec<String>,
    /// The first line of the note, empty without one.
    pub note_line: String,
    /// Pinned.
    pub pinned: bool,
    /// The current code, grouped for reading (`123 456`).
    pub code: String,
    /// The next code, grouped; shown in the last 10 seconds.
    pub next: String,
    /// Seconds left (TOTP and Steam), `None` for HOTP.
    pub seconds_left: Option<u64>,
    /// The period, for the ring.
    pub period: u64,
    /// "authenticator 1 of 2" when several accounts share issuer and name.
    pub twin: Option<(usize, usize)>,
    /// The avatar letter.
    pub letter: String,
    /// The avatar hue (0-359), stable per issuer.
    pub hue: u32,
    /// The group header this row falls under (empty when not grouping).
    pub group: String,
    /// A second version kept when two programs changed the account at once.
    pub conflict: bool,
}

impl Row {
    /// The accessible name: "Microsoft, admin at contoso, code 123 456, 12 seconds left".
    pub fn accessible_name(&self) -> String {
        let mut name = self.title.clone();
        if !self.subtitle.is_empty() {
            name.push_str(&format!(", {}", self.subtitle.replace('@', " at ")));
        }
        name.push_str(&format!(", code {}", self.code));
        if let Some(left) = self.seconds_left {
            name.push_str(&format!(", {left} seconds left"));
        }
        name
    }
}

/// A stable hue from the issuer's name (FNV-1a).
pub fn hue(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.to_lowercase().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % 360
}

/// Accounts sharing issuer and name (ignoring case): independent authenticators for one
/// account, shown as "authenticator 1 of 2". Built once per change of the vault, not per frame.
#[derive(Debug, Clone, Default)]
pub struct Twins(HashMap<(String, String), Vec<AccountId>>);

impl Twins {
    /// The twins among `accounts`, numbered in their order.
    pub fn of(accounts: &[&Account]) -> Twins {
        let mut twins: HashMap<(String, String), Vec<AccountId>> = HashMap::new();
        for a in accounts {
            twins.entry(twin_key(a)).or_default().push(a.id);
        }
        twins.retain(|_, ids| ids.len() > 1);
        Twins(twins)
    }

    /// "n of m" for `account`, when it has twins.
    pub fn position(&self, account: &Account) -> Option<(usize, usize)> {
        let same = self.0.get(&twin_key(account))?;
        let index = same.iter().position(|id| *id == account.id)?;
        Some((index + 1, same.len()))
    }
}

fn twin_key(a: &Account) -> (String, String) {
    (a.issuer.to_lowercase(), a.name.to_lowercase())
}

/// The rows of `accounts` (already filtered and sorted) at `now`, grouped by `group`; at most
/// `limit` rows are built (codes are computed only for those). `twins` are counted over the
/// whole vault, so a search does not renumber them.
pub fn rows(
    accounts: &[&Account],
    twins: &Twins,
    now: u64,
    limit: usize,
    group: impl Fn(&Account) -> String,
) -> Vec<Row> {
    // Grouped lists: pinned accounts first, then groups in name order, keeping the vault's
    // order inside each group.
    let mut order: Vec<(&Account, String)> = accounts.iter().map(|a| (*a, group(a))).collect();
    if order.iter().any(|(_, g)| !g.is_empty()) {
        order.sort_by(|a, b| {
            (!a.0.pinned, a.1.to_lowercase()).cmp(&(!b.0.pinned, b.1.to_lowercase()))
        });
    }
    order
        .into_iter()
        .take(limit)
        .map(|(a, group)| {
            let codes = a.otp.codes_at(now);
            let (title, subtitle) = if a.issuer.is_empty() {
                (a.name.clone(), String::new())
            } else {
                (a.issuer.clone(), a.name.clone())
            };
            let twin = twins.position(a);
            let period = match a.otp.kind() {
                OtpKind::Totp { period } => u64::from(period),
                OtpKind::Steam => 30,
                OtpKind::Hotp { .. } => 0,
            };
            Row {
                id: a.id,
                letter: title
                    .chars()
                    .next()
                    .map(|c| c.to_uppercase().to_string())
                    .unwrap_or_else(|| "?".into()),
                hue: hue(&title),
                title,
                subtitle,
                tenant: a.tenant.clone(),
                tags: a.tags.clone(),
                note_line: a.note.lines().next().unwrap_or_default().to_owned(),
                pinned: a.pinned,
                code: codes.current.grouped(),
                next: codes.next.grouped(),
                seconds_left: codes.seconds_left,
                period,
                twin,
                group,
                conflict: a.conflict_of.is_some(),
            }
        })
        .collect()
}

/// A Unix time as "2026-11-23 14:02 UTC", for dates shown to the user.
pub fn human_time(unix: u64) -> String {
    let stamp = tessera_core::transfer::autobackup::utc_stamp(unix);
    format!(
        "{}-{}-{} {}:{} UTC",
        &stamp[..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13]
    )
}
