//! Authy's internal token list (Android `shared_prefs`, key
//! `com.authy.storage.tokens.authenticator.key`): JSON tokens with `decryptedSecret`, or
//! `encryptedSecret` + `salt` (PBKDF2-HMAC-SHA1, 1,000 iterations, AES-256-CBC with a zero IV,
//! under the backup password). Authy stores no algorithm or period: SHA1 and 30 s, as Authy uses.

use base64::Engine;
use serde_json::Value;

use super::fields::{Context, Draft, SecretText, entry, failed};
use super::{Imported, json, prefs};
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::Authy.name();
/// The settings key holding the tokens.
pub const KEY: &str = "com.authy.storage.tokens.authenticator.key";

/// Reads the settings file.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let xml = std::str::from_utf8(bytes).map_err(|_| TransferError::damaged(NAME, "not text"))?;
    let (_, tokens) = prefs::strings(xml)
        .into_iter()
        .find(|(name, _)| name == KEY)
        .ok_or_else(|| TransferError::damaged(NAME, "it holds no Authy tokens"))?;
    let tokens: Value =
        serde_json::from_str(&tokens).map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
    let tokens = tokens
        .as_array()
        .ok_or_else(|| TransferError::damaged(NAME, "the tokens are not a list"))?;
    out.notes.push(
        "Authy stores no algorithm or period: imported as SHA1, 30 s, as Authy uses them.".into(),
    );
    for (i, t) in tokens.iter().enumerate() {
        let issuer = json::text(t, "originalIssuer");
        let original = json::text(t, "originalName");
        let name = original
            .strip_prefix(&format!("{issuer}:"))
            .filter(|_| !issuer.is_empty())
            .unwrap_or(&original)
            .trim()
            .to_owned();
        let secret = match t.get("decryptedSecret").and_then(Value::as_str) {
            Some(secret) => secret.to_owned(),
            None => {
                let Some(password) = password else {
                    return Err(TransferError::NeedsPassword { format: NAME });
                };
                match decrypt(
                    &json::text(t, "encryptedSecret"),
                    &json::text(t, "salt"),
                    password,
                ) {
                    Some(secret) => secret,
                    None => {
                        if i == 0 {
                            return Err(TransferError::WrongPassword { format: NAME });
                        }
                        out.entries.push(Err(failed(
                            i + 1,
                            crate::otp::label(&issuer, &name),
                            "the secret does not decrypt",
                        )));
                        continue;
                    }
                }
            }
        };
        let mut draft = Draft::new(issuer, name, SecretText::Base32(secret));
        draft.digits = json::number(t, "digits");
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

fn decrypt(sealed: &str, salt: &str, password: &[u8]) -> Option<String> {
    let data = base64::engine::general_purpose::STANDARD
        .decode(sealed.trim())
        .ok()?;
    let key = crypto::pbkdf2(crypto::Hash::Sha1, password, salt.as_bytes(), 1000, 32)?;
    let plain = crypto::aes_cbc_open(&key, &[0; 16], &data)?;
    String::from_utf8(plain.to_vec()).ok()
}
