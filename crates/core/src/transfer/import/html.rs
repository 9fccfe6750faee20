//! HTML exports that list `otpauth://` links: Stratum's "HTML" backup (a table whose third
//! column holds each link in a `<code>` element, beside a QR code image), and any other page
//! that carries the links in `<code>` elements or in its text. The links are read as an
//! `otpauth://` list; HTML character references (`&amp;`, `&#58;`) are decoded first.

use super::fields::Context;
use super::{Imported, uris};
use crate::transfer::TransferError;

const NAME: &str = super::Format::Html.name();

/// Whether `text` looks like an HTML page holding authenticator links.
pub fn detect(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_lowercase();
    (head.starts_with("<!doctype html") || head.starts_with("<html"))
        && (text.contains("otpauth://") || text.contains("motp://"))
}

/// Reads the page's links.
pub fn read(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| TransferError::damaged(NAME, "it is not UTF-8 text"))?;
    let mut links: Vec<String> = elements(text, "code")
        .into_iter()
        .map(|code| unescape(code.trim()))
        .filter(|code| is_link(code))
        .collect();
    if links.is_empty() {
        links = bare_links(text).into_iter().map(unescape).collect();
    }
    if links.is_empty() {
        return Err(TransferError::damaged(NAME, "it holds no otpauth:// link"));
    }
    let list = zeroize::Zeroizing::new(links.join("\n"));
    for link in &mut links {
        zeroize::Zeroize::zeroize(link);
    }
    uris::read(list.as_bytes(), cx, out)
}

fn is_link(text: &str) -> bool {
    let lower = text.get(..10).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("otpauth://") || lower.starts_with("motp://")
}

/// The inner text of every `<tag ...>...</tag>`, in order (tags in any case; no nesting).
fn elements<'a>(text: &'a str, tag: &str) -> Vec<&'a str> {
    let lower = text.to_ascii_lowercase();
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find(&open).map(|i| at + i) {
        let after_name = start + open.len();
        // `<code>` or `<code class=...>`, not `<codex>`.
        if !lower[after_name..].starts_with(['>', ' ', '\t', '\n', '\r']) {
            at = after_name;
            continue;
        }
        let Some(body) = lower[after_name..].find('>').map(|i| after_name + i + 1) else {
            break;
        };
        let Some(end) = lower[body..].find(&close).map(|i| body + i) else {
            break;
        };
        found.push(&text[body..end]);
        at = end + close.len();
    }
    found
}

/// Links written straight into the page (in text or attributes), up to a quote, `<` or space.
fn bare_links(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = text[at..]
        .find("otpauth://")
        .or_else(|| text[at..].find("motp://"))
        .map(|i| at + i)
    {
        let end = text[start..]
            .find(|c: char| c == '"' || c == '\'' || c == '<' || c.is_whitespace())
            .map_or(text.len(), |i| start + i);
        found.push(&text[start..end]);
        at = end;
    }
    found
}

/// Decodes the character references a link can hold: `&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&apos;`, `&#NN;` and `&#xHH;`. Anything else stays as written.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_elements_and_references() {
        let page = "<html><body><CODE class=\"uri\">otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&amp;issuer=A</CODE>\
                    <codex>no</codex><code>not a link</code></body></html>";
        let codes: Vec<String> = elements(page, "code").into_iter().map(unescape).collect();
        assert_eq!(
            codes,
            [
                "otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&issuer=A",
                "not a link"
            ]
        );
        assert_eq!(unescape("a&#58;b&#x3A;c&nbsp;d&"), "a:b:c&nbsp;d&");
        assert_eq!(
            bare_links("<a href=\"otpauth://totp/B?secret=X\">x</a> motp://C?secret=ab"),
            ["otpauth://totp/B?secret=X", "motp://C?secret=ab"]
        );
        // Unclosed elements and stray '<' end the search, never loop.
        assert!(elements("<code>otpauth://", "code").is_empty());
        assert!(elements("<code", "code").is_empty());
    }
}
