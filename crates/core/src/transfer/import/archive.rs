//! Password-protected ZIP exports: Raivo OTP (WinZip AES, `raivo-otp-export.json`),
//! Authenticator Plus ("Export as Text and HTML": ZipCrypto, `Accounts.txt` with URIs) and
//! WinAuth (its export as a ZIP: ZipCrypto, one `NAME.txt` of URIs, named after the file).
//! Every member is size-checked before it is unpacked, so a ZIP bomb is refused.

use std::io::Read;

use serde_json::Value;

use super::fields::{Context, Draft, SecretText, entry};
use super::{Imported, json, uris};
use crate::transfer::{MAX_IMPORT_SIZE, TransferError};

const NAME: &str = super::Format::Zip.name();

/// Reads the archive's export file.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.map(|n| n.into_owned()).unwrap_or_default())
        .collect();
    let (member, format) = if let Some(n) =
        names.iter().find(|n| n.ends_with("raivo-otp-export.json"))
    {
        (n.clone(), "Raivo OTP")
    } else if let Some(n) = names.iter().find(|n| n.ends_with("Accounts.txt")) {
        (n.clone(), "Authenticator Plus")
    } else if let [n] = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".txt"))
        .collect::<Vec<_>>()[..]
    {
        (n.to_string(), "WinAuth")
    } else {
        return Err(TransferError::Refused {
            format: NAME,
            what: "it holds no Raivo OTP, Authenticator Plus or WinAuth export; unpack it and import the export file inside".into(),
        });
    };
    let index = archive.index_for_name(&member).expect("a listed name");
    let text = {
        let file = match password {
            Some(password) => archive.by_index_decrypt(index, password),
            None => archive.by_index(index),
        };
        let mut file = match file {
            Ok(file) => file,
            Err(zip::result::ZipError::InvalidPassword) => {
                return Err(TransferError::WrongPassword { format });
            }
            Err(zip::result::ZipError::UnsupportedArchive(
                zip::result::ZipError::PASSWORD_REQUIRED,
            )) => {
                return Err(TransferError::NeedsPassword { format });
            }
            Err(e) => return Err(TransferError::damaged(format, e.to_string())),
        };
        if file.size() > MAX_IMPORT_SIZE as u64 {
            return Err(TransferError::TooLarge { size: file.size() });
        }
        let mut text = Vec::new();
        file.by_ref()
            .take(MAX_IMPORT_SIZE as u64 + 1)
            .read_to_end(&mut text)
            .map_err(|_| TransferError::WrongPassword { format })?;
        text
    };
    if format != "Raivo OTP" {
        return uris::read(&text, cx, out);
    }
    let entries: Value = json::parse(&text, format)?;
    let entries = entries
        .as_array()
        .ok_or_else(|| TransferError::damaged(format, "not a list"))?;
    for (i, e) in entries.iter().enumerate() {
        let (issuer, name) = (json::text(e, "issuer"), json::text(e, "account"));
        let mut draft = Draft::new(issuer, name, SecretText::Base32(json::text(e, "secret")));
        draft.params(
            &json::text(e, "kind"),
            e,
            ["algorithm", "digits", "timer", "counter"],
        );
        draft.pinned = json::flag(e, "pinned");
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}
