//! FreeOTP+ JSON exports (`{tokenOrder, tokens}`): secrets as signed byte arrays, issuer in
//! `issuerExt`. FreeOTP keeps an HOTP counter as "last used", one below the next code's
//! counter, so 1 is added, as Aegis and GNOME Authenticator do.

use serde_json::Value;

use super::fields::{Context, Draft, SecretText, entry, failed};
use super::{Imported, json};
use crate::transfer::TransferError;

const NAME: &str = super::Format::FreeOtpPlus.name();

/// Reads an export.
pub fn read(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    let file: Value = json::parse(bytes, NAME)?;
    let tokens = file
        .get("tokens")
        .and_then(Value::as_array)
        .ok_or_else(|| TransferError::damaged(NAME, "it has no token list"))?;
    for (i, t) in tokens.iter().enumerate() {
        let issuer = Some(json::text(t, "issuerExt"))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| json::text(t, "issuerInt"));
        let name = json::text(t, "label");
        let label = crate::otp::label(&issuer, &name);
        let secret: Option<Vec<u8>> = t.get("secret").and_then(Value::as_array).and_then(|bytes| {
            bytes
                .iter()
                .map(|b| {
                    b.as_i64().and_then(|b| {
                        i8::try_from(b)
                            .ok()
                            .map(|b| b as u8)
                            .or_else(|| u8::try_from(b).ok())
                    })
                })
                .collect()
        });
        let Some(secret) = secret else {
            out.entries.push(Err(failed(
                i + 1,
                label,
                "the secret is not a list of bytes",
            )));
            continue;
        };
        let mut draft = Draft::new(issuer, name, SecretText::Bytes(secret));
        draft.params(
            &json::text(t, "type"),
            t,
            ["algo", "digits", "period", "counter"],
        );
        draft.counter = draft.counter.map(|c| c.saturating_add(1));
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}
