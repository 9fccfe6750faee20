//! Android apps' internal settings files (`shared_prefs/*.xml`): `<map>` of `<string name=...>`
//! values, XML-escaped. Some apps keep their tokens there as JSON: Authy
//! (`com.authy.storage.tokens.authenticator.key`) and FreeOTP 1 (`tokens.xml`, one JSON token per
//! string).

/// The `<string name="...">value</string>` pairs, unescaped.
pub fn strings(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<string name=\"") {
        rest = &rest[start + 14..];
        let Some(name_end) = rest.find('"') else {
            break;
        };
        let name = unescape(&rest[..name_end]);
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let body = &rest[open_end + 1..];
        let Some(close) = body.find("</string>") else {
            break;
        };
        out.push((name, unescape(&body[..close])));
        rest = &body[close..];
    }
    out
}

/// XML character and entity references.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|s| *s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "quot" => Some('"'),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
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
    #[test]
    fn strings_are_found_and_unescaped() {
        let xml = "<map><int name=\"x\" value=\"1\" /><string name=\"a&amp;b\">[{&quot;k&quot;:&#39;v&#x27;}]</string>\n<string name=\"e\"></string></map>";
        assert_eq!(
            super::strings(xml),
            [
                ("a&b".to_owned(), "[{\"k\":'v'}]".to_owned()),
                ("e".to_owned(), String::new())
            ]
        );
        assert_eq!(
            super::unescape("a & b &unknown; &amp"),
            "a & b &unknown; &amp"
        );
    }
}
