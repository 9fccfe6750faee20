//! What commands share in their output and after a change: an account on one line or as JSON
//! (never with its secret), short ids, and the automatic backup after every change.

use serde_json::{Value, json};
use tessera_core::otp::Account;
use tessera_core::transfer::autobackup;
use tessera_core::vault::Vault;

use crate::input;

/// One account as JSON, without its secret.
pub fn account_json(a: &Account) -> Value {
    json!({
        "id": a.id.to_string(),
        "kind": a.otp.kind().as_str(),
        "issuer": a.issuer,
        "name": a.name,
        "algorithm": a.otp.algorithm_name(),
        "digits": a.otp.digits(),
        "period": a.otp.kind().period(),
        "counter": a.otp.kind().counter(),
        "tenant": a.tenant,
        "tags": a.tags,
        "note": a.note,
        "pinned": a.pinned,
        "conflict_of": a.conflict_of.map(|id| id.to_string()),
    })
}

/// `issuer: name [tenant] #tag` for one line.
pub fn describe(a: &Account) -> String {
    let mut line = a.label();
    if !a.tenant.is_empty() {
        line.push_str(&format!(" [{}]", a.tenant));
    }
    for tag in &a.tags {
        line.push_str(&format!(" #{tag}"));
    }
    if a.pinned {
        line.push_str(" (pinned)");
    }
    if let Some(other) = a.conflict_of {
        // Two programs or two devices changed it at once: `edit ID --resolve` keeps both.
        line.push_str(&format!(
            " (conflict: second version of {})",
            short(&other.to_string())
        ));
    }
    if let Some(first) = a.note.lines().next().filter(|l| !l.is_empty()) {
        line.push_str(&format!(" — {first}"));
    }
    line
}

/// The first 8 characters of an id, enough to name it in commands.
pub fn short(id: &str) -> &str {
    &id[..8.min(id.len())]
}

/// After a change: the automatic backup, if turned on; a failure is a loud warning, not an
/// error (the change itself is saved).
pub fn after_change(vault: &Vault) {
    if let Some(Err(error)) = autobackup::after_change(vault, input::now()) {
        eprintln!("warning: the automatic backup failed: {error}");
        eprintln!("hint: {}", error.advice());
    }
}
