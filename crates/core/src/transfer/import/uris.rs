//! `otpauth://` URI lists: Aegis/GNOME/WinAuth plain text, Authenticator Plus's Accounts.txt,
//! and Ente Auth's plain export, whose `codeDisplay` parameter (JSON) carries notes, tags, the
//! pin and the trash flag. Tessera's own URI export adds `"tenant"` to that JSON, so a round
//! trip through URIs keeps everything but the times.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::fields::{Context, failed};
use super::{Imported, google, json};
use crate::otp::{Account, parse_otpauth};
use crate::transfer::TransferError;

/// Reads every line; `otpauth-migration://` lines are read as Google exports.
pub fn read(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| TransferError::damaged("otpauth:// list", "the text is not UTF-8"))?;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let position = i + 1;
        if line.to_ascii_lowercase().starts_with("otpauth-migration:") {
            google::read_link(line, position, cx, out);
            continue;
        }
        let (uri, display) = split_code_display(line);
        let entry = match parse_otpauth(&uri) {
            Ok(enrolment) => {
                let mut account = Account::new(enrolment, cx.now);
                let trashed = display
                    .as_ref()
                    .and_then(|d| apply_display(&mut account, d, cx.now));
                Ok((account, trashed))
            }
            Err(error) => Err(failed(position, short(line), error.to_string())),
        };
        out.entries.push(entry);
    }
    if out.entries.is_empty() {
        return Err(TransferError::damaged(
            "otpauth:// list",
            "it holds no otpauth:// line",
        ));
    }
    Ok(())
}

/// The start of a line for an error message, never the secret: the part before `?`.
fn short(line: &str) -> String {
    line.split('?')
        .next()
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect()
}

/// The URI without its `codeDisplay` parameter, and that parameter's JSON.
pub fn split_code_display(line: &str) -> (String, Option<Value>) {
    let Some((base, query)) = line.split_once('?') else {
        return (line.to_owned(), None);
    };
    let mut display = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|param| match param.split_once('=') {
            Some((key, value)) if key.eq_ignore_ascii_case("codeDisplay") => {
                let value = value.replace('+', " ");
                display = percent_decode_str(&value)
                    .decode_utf8()
                    .ok()
                    .and_then(|json| serde_json::from_str(&json).ok());
                false
            }
            _ => true,
        })
        .collect();
    (format!("{base}?{}", kept.join("&")), display)
}

/// Applies Ente's display settings; returns the trash time when the entry was trashed.
fn apply_display(account: &mut Account, display: &Value, now: u64) -> Option<u64> {
    account.note = json::text(display, "note");
    // The label's organisation (an Entra code's) stays unless the JSON names a tenant.
    let tenant = json::text(display, "tenant");
    if !tenant.is_empty() {
        account.tenant = tenant;
    }
    account.pinned = json::flag(display, "pinned");
    // Ente counts the taps on a code: Tessera's use count, for the "most used" order.
    account.use_count = json::number(display, "tapCount").map_or(0, |n| n.max(0) as u64);
    // Ente names a Simple Icons icon by its slug (`iconSrc` "simpleIcon"), Tessera writes
    // the letter choice as `iconSrc` "letter"; Ente's own pack ("customIcon") is not bundled.
    match json::text(display, "iconSrc").as_str() {
        "simpleIcon" => account.icon = super::fields::icon_brand(&json::text(display, "iconID")),
        "letter" => account.icon = Some(crate::otp::AccountIcon::Letter),
        _ => {}
    }
    if let Some(tags) = display.get("tags").and_then(Value::as_array) {
        for tag in tags.iter().filter_map(Value::as_str) {
            if !tag.trim().is_empty() && !account.tags.iter().any(|t| t == tag) {
                account.tags.push(tag.trim().to_owned());
            }
        }
    }
    json::flag(display, "trashed").then_some(now)
}
