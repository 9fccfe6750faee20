//! Aegis vault files (docs/vault.md in the Aegis repository): plain or encrypted with password
//! slots (scrypt, AES-256-GCM), content versions 1 to 3. Version 2 has one `group` name per
//! entry, version 3 a list of group ids and a `groups` table. Groups become tags, except groups
//! named "Tenant: X" (how Tessera exports tenants), which become the tenant; `favorite` is the
//! pin and `note` the note.

use base64::Engine;
use data_encoding::HEXLOWER_PERMISSIVE as HEX;
use serde_json::Value;

use zeroize::Zeroizing;

use super::fields::{Context, Draft, Kind, SecretText, entry};
use super::{Imported, json};
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::Aegis.name();
/// The group-name prefix that carries a tenant through Aegis.
pub const TENANT_GROUP: &str = "Tenant: ";

/// Reads a vault file.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let file: Value = json::parse(bytes, NAME)?;
    let db = match file.get("db") {
        Some(Value::Object(_)) => file["db"].clone(),
        Some(Value::String(sealed)) => decrypt(&file, sealed, password)?,
        _ => return Err(TransferError::damaged(NAME, "it has no entries (\"db\")")),
    };
    let groups: Vec<(String, String)> = db
        .get("groups")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .map(|g| (json::text(g, "uuid"), json::text(g, "name")))
                .collect()
        })
        .unwrap_or_default();
    let entries = db
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| TransferError::damaged(NAME, "it has no entry list"))?;
    for (i, e) in entries.iter().enumerate() {
        out.entries.push(read_entry(i + 1, e, &groups, cx));
    }
    Ok(())
}

fn read_entry(
    position: usize,
    e: &Value,
    groups: &[(String, String)],
    cx: &Context,
) -> Result<(crate::otp::Account, Option<u64>), super::EntryError> {
    let (issuer, name) = (json::text(e, "issuer"), json::text(e, "name"));
    let info = e.get("info").cloned().unwrap_or(Value::Null);
    let mut draft = Draft::new(
        issuer,
        name,
        SecretText::Base32(json::text(&info, "secret")),
    );
    draft.params(
        &json::text(e, "type"),
        &info,
        ["algo", "digits", "period", "counter"],
    );
    if matches!(draft.kind, Kind::Yandex | Kind::Motp) {
        draft.pin = Some(Zeroizing::new(json::text(&info, "pin")));
    }
    draft.note = json::text(e, "note");
    draft.pinned = json::flag(e, "favorite");
    draft.icon = e
        .get("icon")
        .and_then(Value::as_str)
        .and_then(super::fields::icon_image);
    let mut names: Vec<String> = Vec::new();
    if let Some(group) = e.get("group").and_then(Value::as_str) {
        names.push(group.to_owned());
    }
    for id in e
        .get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some((_, name)) = groups
            .iter()
            .find(|(uuid, _)| Some(uuid.as_str()) == id.as_str())
        {
            names.push(name.clone());
        }
    }
    for name in names {
        match name.strip_prefix(TENANT_GROUP) {
            Some(tenant) if draft.tenant.is_empty() => draft.tenant = tenant.to_owned(),
            _ => draft.tags.push(name),
        }
    }
    entry(position, draft, cx)
}

/// Opens the master key from the first password slot, then the entries.
fn decrypt(file: &Value, sealed: &str, password: Option<&[u8]>) -> Result<Value, TransferError> {
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    let header = &file["header"];
    let hex = |v: &Value, key: &str| {
        HEX.decode(json::text(v, key).as_bytes())
            .map_err(|_| TransferError::damaged(NAME, format!("\"{key}\" is not hex")))
    };
    let slots = header
        .get("slots")
        .and_then(Value::as_array)
        .ok_or_else(|| TransferError::damaged(NAME, "the header has no key slots"))?;
    let password_slots: Vec<&Value> = slots
        .iter()
        .filter(|s| json::number(s, "type") == Some(1))
        .collect();
    // The whole cost is known before scrypt runs: at most four slots, 1 GiB of scrypt in all.
    let work: u64 = password_slots
        .iter()
        .map(|s| {
            let n = json::number(s, "n").unwrap_or(0).max(0) as u64;
            let r = json::number(s, "r").unwrap_or(0).max(0) as u64;
            let p = json::number(s, "p").unwrap_or(0).max(0) as u64;
            128u64.saturating_mul(r).saturating_mul(n).saturating_mul(p)
        })
        .fold(0, u64::saturating_add);
    if password_slots.len() > 4 || work > 1024 * 1024 * 1024 {
        return Err(TransferError::Refused {
            format: NAME,
            what: "it asks for more key derivations than any Aegis file does".into(),
        });
    }
    let mut master = None;
    for slot in password_slots {
        let (n, r, p) = (
            json::number(slot, "n").unwrap_or(0),
            json::number(slot, "r").unwrap_or(0),
            json::number(slot, "p").unwrap_or(0),
        );
        let key = crypto::scrypt(password, &hex(slot, "salt")?, n as u64, r as u32, p as u32)
            .ok_or_else(|| TransferError::Refused {
                format: NAME,
                what: format!(
                    "its scrypt settings (N={n}, r={r}, p={p}) are outside what Tessera accepts"
                ),
            })?;
        let params = &slot["key_params"];
        let mut wrapped = hex(slot, "key")?;
        wrapped.extend(hex(params, "tag")?);
        if let Some(opened) = crypto::aes_gcm_open(&key, &hex(params, "nonce")?, &wrapped, b"") {
            master = Some(opened);
            break;
        }
    }
    let master = master.ok_or(TransferError::WrongPassword { format: NAME })?;
    let mut data = base64::engine::general_purpose::STANDARD
        .decode(sealed.trim())
        .map_err(|_| TransferError::damaged(NAME, "the entries are not Base64"))?;
    data.extend(hex(&header["params"], "tag")?);
    let plain = crypto::aes_gcm_open(&master, &hex(&header["params"], "nonce")?, &data, b"")
        .ok_or_else(|| TransferError::damaged(NAME, "the entries do not authenticate"))?;
    json::parse(&plain, NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(n: u64, r: u64, p: u64) -> Value {
        serde_json::json!({
            "type": 1, "n": n, "r": r, "p": p, "salt": "00", "key": "00",
            "key_params": {"nonce": "000000000000000000000000", "tag": "00"}
        })
    }

    /// Many scrypt slots, or slots whose scrypt together asks for more than a gigabyte, are
    /// refused before any runs (each alone is within the per-slot limit).
    #[test]
    fn hostile_slot_lists_are_refused_before_scrypt_runs() {
        let file = |slots: Vec<Value>| serde_json::json!({"header": {"slots": slots, "params": {"nonce": "00", "tag": "00"}}});
        let started = std::time::Instant::now();
        let many = file((0..5).map(|_| slot(1 << 15, 8, 1)).collect());
        let error = decrypt(&many, "", Some(b"pw")).unwrap_err();
        assert!(matches!(error, TransferError::Refused { .. }), "{error:?}");
        let heavy = file((0..3).map(|_| slot(1 << 18, 8, 4)).collect());
        let error = decrypt(&heavy, "", Some(b"pw")).unwrap_err();
        assert!(matches!(error, TransferError::Refused { .. }), "{error:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
