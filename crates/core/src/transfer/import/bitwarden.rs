//! Bitwarden exports, JSON and CSV: each login's TOTP field holds an `otpauth://` URI, a
//! `steam://SECRET` or a bare Base32 secret (then the item name is the issuer and the username
//! the account). Items without a TOTP are not authenticator entries and are left out. The item's
//! notes and favourite come along. Encrypted JSON exports are refused with advice.

use serde_json::Value;

use super::fields::{Context, Draft, Kind, SecretText, entry, failed};
use super::{Imported, json};
use crate::otp::{Account, parse_otpauth};
use crate::transfer::TransferError;

const NAME: &str = "Bitwarden";

/// Whether the text is a Bitwarden CSV export (by its header).
pub fn is_csv(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|header| header.split(',').any(|c| c.trim() == "login_totp"))
}

/// Reads a JSON or CSV export.
pub fn read(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    let text = std::str::from_utf8(bytes).map_err(|_| TransferError::damaged(NAME, "not text"))?;
    let items: Vec<Item> = if is_csv(text) {
        read_csv(text)?
    } else {
        let file: Value =
            serde_json::from_str(text).map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
        if json::flag(&file, "encrypted") {
            return Err(TransferError::Refused {
                format: NAME,
                what: "it is an encrypted Bitwarden export, which Tessera cannot read yet".into(),
            });
        }
        file.get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| TransferError::damaged(NAME, "it has no item list"))?
            .iter()
            .map(|item| {
                let login = item.get("login").cloned().unwrap_or(Value::Null);
                Item {
                    name: json::text(item, "name"),
                    username: json::text(&login, "username"),
                    totp: json::text(&login, "totp"),
                    notes: json::text(item, "notes"),
                    favorite: json::flag(item, "favorite"),
                }
            })
            .collect()
    };
    let without = items.iter().filter(|i| i.totp.trim().is_empty()).count();
    if without > 0 {
        out.notes.push(format!(
            "{without} items without a TOTP code (plain logins) were left out."
        ));
    }
    for (i, item) in items
        .into_iter()
        .enumerate()
        .filter(|(_, i)| !i.totp.trim().is_empty())
    {
        out.entries.push(read_item(i + 1, item, cx));
    }
    Ok(())
}

struct Item {
    name: String,
    username: String,
    totp: String,
    notes: String,
    favorite: bool,
}

fn read_item(
    position: usize,
    item: Item,
    cx: &Context,
) -> Result<(Account, Option<u64>), super::EntryError> {
    let totp = item.totp.trim();
    let mut result = if totp.to_ascii_lowercase().starts_with("otpauth://") {
        parse_otpauth(totp)
            .map(|e| (Account::new(e, cx.now), None))
            .map_err(|e| failed(position, item.name.clone(), e.to_string()))
    } else {
        let (kind, secret) = match totp.strip_prefix("steam://") {
            Some(secret) => (Kind::Steam, secret),
            None => (Kind::Totp, totp),
        };
        let mut draft = Draft::new(
            item.name.clone(),
            item.username.clone(),
            SecretText::Base32(secret.to_owned()),
        );
        draft.kind = kind;
        entry(position, draft, cx)
    };
    if let Ok((account, _)) = &mut result {
        account.note = item.notes;
        account.pinned = item.favorite;
    }
    result
}

fn read_csv(text: &str) -> Result<Vec<Item>, TransferError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| TransferError::damaged(NAME, e.to_string()))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (name, username, totp, notes, favorite) = (
        column("name"),
        column("login_username"),
        column("login_totp"),
        column("notes"),
        column("favorite"),
    );
    let mut items = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_owned();
        items.push(Item {
            name: get(name),
            username: get(username),
            totp: get(totp),
            notes: get(notes),
            favorite: get(favorite) == "1",
        });
    }
    Ok(items)
}
