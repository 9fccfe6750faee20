//! Small formats of single apps: Steam's `Steamguard-*.json` (old single object and the newer
//! `accounts` map), Duo Mobile's `accounts.json`, FreeOTP 1's `tokens.xml`.

use base64::Engine;
use serde_json::Value;

use super::fields::{Context, Draft, Kind, SecretText, entry, failed};
use super::{Imported, json, prefs};
use crate::transfer::TransferError;

/// Steam Guard files.
pub fn steam(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = "Steam";
    let file: Value =
        serde_json::from_slice(bytes).map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
    let accounts: Vec<Value> = match file.get("accounts").and_then(Value::as_object) {
        Some(map) => map.values().cloned().collect(),
        None => vec![file],
    };
    for (i, a) in accounts.iter().enumerate() {
        let name = json::text(a, "account_name");
        let Ok(secret) =
            base64::engine::general_purpose::STANDARD.decode(json::text(a, "shared_secret"))
        else {
            out.entries
                .push(Err(failed(i + 1, name, "the shared secret is not Base64")));
            continue;
        };
        let mut draft = Draft::new("Steam", name, SecretText::Bytes(secret));
        draft.kind = Kind::Steam;
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

/// Duo Mobile's account list (third-party accounts only: Duo's own push accounts have no
/// secret and are reported as failed).
pub fn duo(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = "Duo Mobile";
    let file: Value =
        serde_json::from_slice(bytes).map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
    let accounts = file
        .as_array()
        .ok_or_else(|| TransferError::damaged(NAME, "not a list"))?;
    for (i, a) in accounts.iter().enumerate() {
        let generator = a.get("otpGenerator").cloned().unwrap_or(Value::Null);
        let name = json::text(a, "name");
        let secret = json::text(&generator, "otpSecret");
        if secret.is_empty() {
            out.entries.push(Err(failed(
                i + 1,
                name,
                "a Duo push account has no code secret; keep it in Duo Mobile",
            )));
            continue;
        }
        let mut draft = Draft::new("", name, SecretText::Base32(secret));
        if let Some(counter) = json::number(&generator, "counter") {
            draft.kind = Kind::Hotp;
            draft.counter = Some(counter);
        }
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

/// FreeOTP 1's `tokens.xml`: one JSON token per string (the `tokenOrder` string is skipped).
/// Counters are "last used", so 1 is added as for FreeOTP+.
pub fn freeotp_xml(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = "FreeOTP";
    let xml = std::str::from_utf8(bytes).map_err(|_| TransferError::damaged(NAME, "not text"))?;
    let tokens: Vec<Value> = prefs::strings(xml)
        .into_iter()
        .filter(|(name, _)| name != "tokenOrder")
        .filter_map(|(_, value)| serde_json::from_str(&value).ok())
        .collect();
    let file = serde_json::json!({ "tokenOrder": [], "tokens": tokens });
    super::freeotp::read(file.to_string().as_bytes(), cx, out)
}
