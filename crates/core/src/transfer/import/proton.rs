//! Proton Authenticator exports: `{version: 1, entries: [{content: {uri}, note}]}`, or
//! encrypted `{version, salt, content}` (Argon2id t=2 m=19 MiB p=1, AES-256-GCM with
//! associated data `proton.authenticator.export.v1`, content = nonce ‖ ciphertext ‖ tag).

use base64::Engine;
use serde_json::Value;

use super::fields::{Context, failed};
use super::{Imported, json};
use crate::otp::{Account, parse_otpauth};
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::Proton.name();

/// Reads an export.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let mut file: Value = json::parse(bytes, NAME)?;
    if file.get("entries").is_none() {
        file = decrypt(&file, password)?;
    }
    let entries = file
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| TransferError::damaged(NAME, "it has no entry list"))?;
    for (i, e) in entries.iter().enumerate() {
        let content = e.get("content").cloned().unwrap_or(Value::Null);
        let uri = json::text(&content, "uri");
        out.entries.push(match parse_otpauth(&uri) {
            Ok(enrolment) => {
                let mut account = Account::new(enrolment, cx.now);
                account.note = json::text(e, "note");
                Ok((account, None))
            }
            Err(error) => Err(failed(
                i + 1,
                json::text(&content, "name"),
                error.to_string(),
            )),
        });
    }
    Ok(())
}

fn decrypt(file: &Value, password: Option<&[u8]>) -> Result<Value, TransferError> {
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    let b64 = |key: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(json::text(file, key))
            .map_err(|_| TransferError::damaged(NAME, format!("\"{key}\" is not Base64")))
    };
    let (salt, content) = (b64("salt")?, b64("content")?);
    if content.len() < 12 + 16 {
        return Err(TransferError::damaged(NAME, "the content is too short"));
    }
    let key = crypto::argon2(
        argon2::Algorithm::Argon2id,
        password,
        &salt,
        19 * 1024,
        2,
        1,
        32,
    )
    .ok_or_else(|| TransferError::damaged(NAME, "the salt is unusable"))?;
    let plain = crypto::aes_gcm_open(
        &key,
        &content[..12],
        &content[12..],
        b"proton.authenticator.export.v1",
    )
    .ok_or(TransferError::WrongPassword { format: NAME })?;
    json::parse(&plain, NAME)
}
