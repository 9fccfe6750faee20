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
    /// The subtitle starts with the tenant ("Contoso Ltd · admin@contoso.com", for Microsoft
    /// accounts, where the tenant is what tells the rows apart), so no tenant chip repeats it.
    pub tenant_first: bool,
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
    /// The icon: the user's choice, a matched brand icon, or the letter.
    pub icon: super::icons::Shown,
    /// The group header this row falls under (empty when not grouping).
    pub group: String,
    /// A second version kept when two programs changed the account at once.
    pub conflict: bool,
}

impl Row {
    /// The accessible name: "Microsoft, admin at contoso, code 1 2 3 4 5 6". The code is
    /// spelled character by character (a screen reader would read "123 456" as two numbers);
    /// the time left is not in it (it would change every second): the countdown ring beside
    /// says it when the user moves to it.
    pub fn accessible_name(&self) -> String {
        let mut name = self.title.clone();
        if !self.subtitle.is_empty() {
            name.push_str(&format!(", {}", self.subtitle.replace('@', " at ")));
        }
        name.push_str(&format!(", code {}", spelled(&self.code)));
        name
    }
}

/// "123 456" as "1 2 3 4 5 6": each character on its own, for screen readers.
pub fn spelled(code: &str) -> String {
    let chars: Vec<String> = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(String::from)
        .collect();
    chars.join(" ")
}

/// The countdown's own name: "12 seconds left", "1 second left".
pub fn time_left(seconds: u64) -> String {
    if seconds == 1 {
        "1 second left".to_owned()
    } else {
        format!("{seconds} seconds left")
    }
}

impl Row {}

/// A stable hue from the issuer's name (FNV-1a).
pub fn hue(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.to_lowercase().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % 360
}

/// Accounts sharing issuer and name (ignoring case), in one tenant: independent
/// authenticators for one account, shown as "authenticator 1 of 2". When the accounts with that
/// issuer and name name two or more tenants (a guest's one address in several), each tenant's
/// are twins only among themselves. Built once per change of the vault, not per frame.
#[derive(Debug, Clone, Default)]
pub struct Twins(HashMap<AccountId, (usize, usize)>);

impl Twins {
    /// The twins among `accounts`, numbered in their order.
    pub fn of(accounts: &[&Account]) -> Twins {
        let mut by_label: HashMap<(String, String), Vec<&Account>> = HashMap::new();
        for a in accounts {
            by_label
                .entry((a.issuer.to_lowercase(), a.name.to_lowercase()))
                .or_default()
                .push(a);
        }
        let mut twins = HashMap::new();
        for same in by_label.values().filter(|same| same.len() > 1) {
            let mut tenants: Vec<String> = same
                .iter()
                .map(|a| a.tenant.trim().to_lowercase())
                .filter(|t| !t.is_empty())
                .collect();
            tenants.sort();
            tenants.dedup();
            let mut sets: HashMap<String, Vec<AccountId>> = HashMap::new();
            for a in same {
                let key = if tenants.len() > 1 {
                    a.tenant.trim().to_lowercase()
                } else {
                    String::new()
                };
                sets.entry(key).or_default().push(a.id);
            }
            for ids in sets.values().filter(|ids| ids.len() > 1) {
                for (i, id) in ids.iter().enumerate() {
                    twins.insert(*id, (i + 1, ids.len()));
                }
            }
        }
        Twins(twins)
    }

    /// "n of m" for `account`, when it has twins.
    pub fn position(&self, account: &Account) -> Option<(usize, usize)> {
        self.0.get(&account.id).copied()
    }
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
            let tenant_first =
                !a.tenant.is_empty() && a.issuer.to_lowercase().starts_with("microsoft");
            let (title, subtitle) = if a.issuer.is_empty() {
                (a.name.clone(), String::new())
            } else if tenant_first && !a.name.is_empty() {
                (a.issuer.clone(), format!("{} · {}", a.tenant, a.name))
            } else if tenant_first {
                (a.issuer.clone(), a.tenant.clone())
            } else {
                (a.issuer.clone(), a.name.clone())
            };
            let twin = twins.position(a);
            let period = match a.otp.kind() {
                OtpKind::Hotp { .. } => 0,
                kind => kind.period().map_or(0, u64::from),
            };
            Row {
                id: a.id,
                letter: title
                    .chars()
                    .next()
                    .map(|c| c.to_uppercase().to_string())
                    .unwrap_or_else(|| "?".into()),
                hue: hue(&title),
                icon: super::icons::shown(a),
                title,
                subtitle,
                tenant: a.tenant.clone(),
                tenant_first,
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
