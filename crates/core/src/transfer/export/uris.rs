//! `otpauth://` URI lists, one account per line. Notes, tags, the tenant and the pin ride in
//! Ente Auth's `codeDisplay` parameter (JSON), which Ente reads and other apps ignore; so does
//! a brand icon's slug (`iconSrc`/`iconID`, as Ente names Simple Icons). Own images are not
//! written (a line of text is no place for them; backups and Aegis exports keep them).
//! The list is not encrypted: callers must warn before writing it.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;
use zeroize::Zeroizing;

use crate::otp::{Account, AccountIcon, to_otpauth};

/// What stays unescaped in a query value (RFC 3986 unreserved characters).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One line per account, each ending in a newline.
pub fn export(accounts: &[&Account]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::new());
    for a in accounts {
        out.push_str(&to_otpauth(&a.enrolment()));
        if !a.note.is_empty()
            || !a.tags.is_empty()
            || !a.tenant.is_empty()
            || a.pinned
            || a.use_count > 0
            || matches!(a.icon, Some(AccountIcon::Brand(_) | AccountIcon::Letter))
        {
            let mut display = json!({ "pinned": a.pinned, "trashed": false, "tags": a.tags });
            if a.use_count > 0 {
                display["tapCount"] = json!(a.use_count);
            }
            if !a.note.is_empty() {
                display["note"] = json!(a.note);
            }
            if !a.tenant.is_empty() {
                display["tenant"] = json!(a.tenant);
            }
            match &a.icon {
                Some(AccountIcon::Brand(slug)) => {
                    display["iconSrc"] = json!("simpleIcon");
                    display["iconID"] = json!(slug);
                }
                Some(AccountIcon::Letter) => display["iconSrc"] = json!("letter"),
                _ => {}
            }
            out.push_str("&codeDisplay=");
            out.push_str(&utf8_percent_encode(&display.to_string(), QUERY).to_string());
        }
        out.push('\n');
    }
    out
}
