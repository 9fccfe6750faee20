//! Aegis vault JSON (file version 1, content version 3), plain or encrypted with one password
//! slot (scrypt N=2^15 r=8 p=1, AES-256-GCM), as Aegis itself writes it. Tessera's extra fields
//! travel as Aegis groups: every tag is a group, the tenant is a group named "Tenant: X"; the note
//! is Aegis's note and the pin its favourite. Reading the file back (in Tessera or Aegis and back)
//! loses nothing but the creation times.

use base64::Engine;
use data_encoding::HEXLOWER as HEX;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::otp::{Account, AccountIcon, OtpKind};
use crate::transfer::crypto;
use crate::transfer::import::TENANT_GROUP;

/// scrypt settings Aegis uses for password slots.
const SCRYPT: (u64, u32, u32) = (32_768, 8, 1);

/// The file, plain (`password` `None`) or encrypted. Holds secrets when plain.
pub fn export(accounts: &[&Account], password: Option<&[u8]>) -> Zeroizing<Vec<u8>> {
    let db = content(accounts);
    let file = match password {
        None => json!({
            "version": 1,
            "header": { "slots": null, "params": null },
            "db": db,
        }),
        Some(password) => {
            let master = Zeroizing::new(crypto::random::<32>());
            let salt = crypto::random::<32>();
            let (n, r, p) = SCRYPT;
            let slot_key = crypto::scrypt(password, &salt, n, r, p).expect("Aegis settings");
            let key_nonce = crypto::random::<12>();
            let wrapped = crypto::aes_gcm_seal(&slot_key, &key_nonce, master.as_slice(), b"");
            let (wrapped_key, key_tag) = wrapped.split_at(wrapped.len() - 16);
            let plain = Zeroizing::new(serde_json::to_vec(&db).expect("serializes"));
            let db_nonce = crypto::random::<12>();
            let sealed = crypto::aes_gcm_seal(master.as_slice(), &db_nonce, &plain, b"");
            let (data, db_tag) = sealed.split_at(sealed.len() - 16);
            json!({
                "version": 1,
                "header": {
                    "slots": [{
                        "type": 1,
                        "uuid": uuid::Uuid::new_v4().to_string(),
                        "key": HEX.encode(wrapped_key),
                        "key_params": { "nonce": HEX.encode(&key_nonce), "tag": HEX.encode(key_tag) },
                        "n": n, "r": r, "p": p,
                        "salt": HEX.encode(&salt),
                        "repaired": true,
                        "is_backup": false,
                    }],
                    "params": { "nonce": HEX.encode(&db_nonce), "tag": HEX.encode(db_tag) },
                },
                "db": base64::engine::general_purpose::STANDARD.encode(data),
            })
        }
    };
    Zeroizing::new(serde_json::to_vec_pretty(&file).expect("serializes"))
}

/// The content (`db`), version 3.
fn content(accounts: &[&Account]) -> Value {
    let mut groups: Vec<(String, String)> = Vec::new();
    let mut group_id = |name: &str| -> String {
        if let Some((id, _)) = groups.iter().find(|(_, n)| n == name) {
            return id.clone();
        }
        let id = uuid::Uuid::new_v4().to_string();
        groups.push((id.clone(), name.to_owned()));
        id
    };
    let entries: Vec<Value> = accounts
        .iter()
        .map(|a| {
            let mut names: Vec<String> = a.tags.clone();
            if !a.tenant.is_empty() {
                names.insert(0, format!("{TENANT_GROUP}{}", a.tenant));
            }
            let ids: Vec<String> = names.iter().map(|n| group_id(n)).collect();
            let otp = &a.otp;
            let mut info = json!({
                "secret": otp.secret().to_base32().as_str(),
                "algo": otp.algorithm_name(),
                "digits": otp.digits(),
            });
            let kind = match otp.kind() {
                OtpKind::Totp { period } => {
                    info["period"] = json!(period);
                    "totp"
                }
                OtpKind::Hotp { counter } => {
                    info["counter"] = json!(counter);
                    "hotp"
                }
                OtpKind::Steam => {
                    info["period"] = json!(30);
                    "steam"
                }
                kind @ (OtpKind::Yandex { period } | OtpKind::Motp { period }) => {
                    info["period"] = json!(period);
                    let pin = otp.pin().map(|pin| String::from_utf8_lossy(pin.expose()));
                    info["pin"] = json!(pin.as_deref().unwrap_or_default());
                    kind.as_str()
                }
            };
            let mut entry = json!({
                "type": kind,
                "uuid": a.id.to_string(),
                "name": a.name,
                "issuer": a.issuer,
                "note": a.note,
                "favorite": a.pinned,
                "icon": null,
                "info": info,
                "groups": ids,
            });
            // The user's own image goes as Aegis keeps icons: Base64 with its MIME type and
            // SHA-256 (Aegis shows brand icons from its icon packs, so slugs are not sent).
            if let Some(AccountIcon::Image(image)) = &a.icon {
                use sha2::Digest as _;
                entry["icon"] =
                    json!(base64::engine::general_purpose::STANDARD.encode(image.bytes()));
                entry["icon_mime"] = json!(image.kind().mime());
                entry["icon_hash"] = json!(HEX.encode(&sha2::Sha256::digest(image.bytes())));
            }
            entry
        })
        .collect();
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(uuid, name)| json!({ "uuid": uuid, "name": name }))
        .collect();
    json!({ "version": 3, "entries": entries, "groups": groups })
}
