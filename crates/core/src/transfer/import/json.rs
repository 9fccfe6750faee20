//! Lenient accessors for the JSON formats (apps write numbers as
//! strings, booleans as numbers, and leave fields out).

use serde_json::Value;

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
