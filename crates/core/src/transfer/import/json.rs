//! Detection of the JSON formats by their keys, and lenient accessors (apps write numbers as
//! strings, booleans as numbers, and leave fields out).

use serde_json::Value;

use super::Format;

/// Which JSON export this is.
pub fn detect(value: &Value) -> Option<Format> {
    let has = |key: &str| value.get(key).is_some();
    if super::ente::is_export(value) {
        Some(Format::EnteEncrypted)
    } else if has("db") && has("header") {
        Some(Format::Aegis)
    } else if has("schemaVersion") && (has("services") || has("servicesEncrypted")) {
        Some(Format::TwoFas)
    } else if has("Authenticators") {
        Some(Format::Stratum)
    } else if has("tokens") && has("tokenOrder") {
        Some(Format::FreeOtpPlus)
    } else if has("items") || has("encrypted") && has("data") && has("kdfType") {
        Some(Format::Bitwarden)
    } else if has("version") && (has("entries") || has("salt") && has("content")) {
        Some(Format::Proton)
    } else if value
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|e| e.get("secret").is_some() && e.get("type").is_some())
    {
        Some(Format::AndOtp)
    } else if has("deviceSecret")
        || value
            .get("accounts")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .is_some_and(|a| a.get("issuerName").is_some() && a.get("secret").is_some())
    {
        Some(Format::LastPass)
    } else if has("shared_secret")
        || value
            .get("accounts")
            .and_then(Value::as_object)
            .is_some_and(|m| m.values().any(|a| a.get("shared_secret").is_some()))
    {
        Some(Format::Steam)
    } else if value
        .as_array()
        .and_then(|a| a.first())
        .is_some_and(|e| e.get("otpGenerator").is_some())
    {
        Some(Format::Duo)
    } else {
        None
    }
}

/// Parses a JSON file of `format`; a syntax error is reported as damage to that file.
pub fn parse(bytes: &[u8], format: &'static str) -> Result<Value, crate::transfer::TransferError> {
    serde_json::from_slice(bytes)
        .map_err(|e| crate::transfer::TransferError::damaged(format, e.to_string()))
}

/// A string field (numbers are turned into their text); empty when absent or null.
pub fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A number field, also from a string; `None` when absent or not a number.
pub fn number(value: &Value, key: &str) -> Option<i64> {
    match value.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean field, also from 0/1 or "true"; false when absent.
pub fn flag(value: &Value, key: &str) -> bool {
    match value.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => s == "true" || s == "1",
        _ => false,
    }
}
