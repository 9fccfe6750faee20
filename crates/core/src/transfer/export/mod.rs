//! Exports: Aegis JSON (plain or encrypted) carrying notes, favourites, tags and tenants as
//! Aegis groups; `otpauth://` URI lists (unencrypted: callers warn); Google Authenticator
//! migration QR codes in batches; one account's QR code as PNG or terminal text.

pub mod aegis;
pub mod qr;
pub mod uris;
