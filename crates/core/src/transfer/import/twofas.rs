//! 2FAS backups (`.2fas`), schemas 1 to 4, plain or with `servicesEncrypted`
//! (`ciphertext:salt:iv` in Base64; PBKDF2-HMAC-SHA256, 10,000 iterations; AES-256-GCM).
//! Schema 1 stores only the secret, issuer and account: 2FAS itself shows TOTP SHA1/6/30 for
//! them, and so does Tessera. Schema 2 has no token type: 2FAS treats every entry as TOTP, and so
//! does Tessera. Groups become tags.

use base64::Engine;
use serde_json::Value;

use super::fields::{Context, Draft, Kind, SecretText, entry, failed};
use super::{Imported, json};
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::TwoFas.name();

/// Reads a backup.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let file: Value = json::parse(bytes, NAME)?;
    let schema = json::number(&file, "schemaVersion").unwrap_or(0);
    if !(1..=4).contains(&schema) {
        return Err(TransferError::Refused {
            format: NAME,
            what: format!("schema version {schema} is not one Tessera knows (1 to 4)"),
        });
    }
    let services = match file.get("servicesEncrypted").and_then(Value::as_str) {
        Some(sealed) if !sealed.is_empty() => decrypt(sealed, password)?,
        _ => file
            .get("services")
            .cloned()
            .unwrap_or(Value::Array(Vec::new())),
    };
    let services = services
        .as_array()
        .ok_or_else(|| TransferError::damaged(NAME, "the services are not a list"))?;
    let groups: Vec<(String, String)> = file
        .get("groups")
        .and_then(Value::as_array)
        .map(|g| {
            g.iter()
                .map(|g| (json::text(g, "id"), json::text(g, "name")))
                .collect()
        })
        .unwrap_or_default();
    match schema {
        1 => out.notes.push(
            "2FAS schema 1 stores no code type, algorithm, digits or period: imported as TOTP SHA1, 6 digits, 30 s, as 2FAS shows them.".into(),
        ),
        2 => out.notes.push(
            "2FAS schema 2 stores no token type: every entry imported as TOTP, as 2FAS shows them.".into(),
        ),
        _ => {}
    }
    for (i, service) in services.iter().enumerate() {
        let otp = service.get("otp").cloned().unwrap_or(Value::Null);
        let issuer = Some(json::text(service, "name"))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| json::text(&otp, "issuer"));
        let name = json::text(&otp, "account");
        let mut draft = Draft::new(
            issuer,
            name,
            SecretText::Base32(json::text(service, "secret")),
        );
        if schema >= 2 {
            draft.algorithm = json::text(&otp, "algorithm");
            draft.digits = json::number(&otp, "digits");
            draft.period = json::number(&otp, "period");
        }
        if schema >= 3 {
            match Kind::parse(&json::text(&otp, "tokenType")) {
                Ok(kind) => draft.kind = kind,
                Err(reason) => {
                    out.entries
                        .push(Err(failed(i + 1, json::text(service, "name"), reason)));
                    continue;
                }
            }
            draft.counter = json::number(&otp, "counter");
        }
        let group = json::text(service, "groupId");
        if let Some((_, name)) = groups
            .iter()
            .find(|(id, _)| !group.is_empty() && *id == group)
        {
            draft.tags.push(name.clone());
        }
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

fn decrypt(sealed: &str, password: Option<&[u8]>) -> Result<Value, TransferError> {
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    let parts: Vec<Vec<u8>> = sealed
        .split(':')
        .map(|p| base64::engine::general_purpose::STANDARD.decode(p.trim()))
        .collect::<Result<_, _>>()
        .map_err(|_| TransferError::damaged(NAME, "the encrypted services are not Base64"))?;
    let [data, salt, iv] = parts.as_slice() else {
        return Err(TransferError::damaged(
            NAME,
            "the encrypted services are not ciphertext:salt:iv",
        ));
    };
    let key =
        crypto::pbkdf2(crypto::Hash::Sha256, password, salt, 10_000, 32).expect("fixed bounds");
    let plain = crypto::aes_gcm_open(&key, iv, data, b"")
        .ok_or(TransferError::WrongPassword { format: NAME })?;
    json::parse(&plain, NAME)
}
