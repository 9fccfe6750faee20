//! Brand icons: the Simple Icons set (CC0, `assets/icons/simple-icons.tsv`, made from the npm
//! package by `assets/icons/update.py`) plus Microsoft's four squares, drawn here because Simple
//! Icons no longer carries Microsoft's marks. An account gets the icon its user chose, else the
//! one matched from its issuer (names, aliases, a domain in the issuer or the account name),
//! else the letter circle.
//!
//! Loaded lazily: the text is embedded as it is and indexed on first use (a few milliseconds,
//! started in the background when the app starts, so the first screen does not wait).

use std::collections::HashMap;
use std::sync::OnceLock;

use tessera_core::otp::{Account, AccountIcon, IconImage};

use super::AppError;

/// The embedded Simple Icons table.
const SIMPLE_ICONS: &str = include_str!("../../assets/icons/simple-icons.tsv");

/// A brand icon: one or more filled paths in a 24x24 view box.
#[derive(Debug, PartialEq, Eq)]
pub struct Brand {
    /// The Simple Icons slug (`github`), or `microsoft`.
    pub slug: &'static str,
    /// The brand's name.
    pub title: &'static str,
    /// The brand colour as `RRGGBB`, for the badge's background.
    pub hex: &'static str,
    /// `(fill, path)`: `None` fills with the icon colour (white or black on the brand colour).
    pub layers: Vec<(Option<&'static str>, &'static str)>,
    /// Other names to match.
    names: Vec<&'static str>,
}

impl Brand {
    /// The colour of a layer: its own, or white or black, whichever reads better on the brand
    /// colour (WCAG relative luminance; white when its contrast is at least that of black).
    pub fn fill(&self, layer: Option<&'static str>) -> &'static str {
        match layer {
            Some(hex) => hex,
            None if self.white_on_brand() => "FFFFFF",
            None => "000000",
        }
    }

    fn white_on_brand(&self) -> bool {
        let channel = |i: usize| {
            let v = u8::from_str_radix(self.hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
            let c = f64::from(v) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
        1.05 / (l + 0.05) >= (l + 0.05) / 0.05
    }
}

/// The bundled icons and their lookup keys.
pub struct Icons {
    brands: Vec<Brand>,
    by_key: HashMap<String, usize>,
}

static ICONS: OnceLock<Icons> = OnceLock::new();

/// The bundled icons, indexed on first use.
pub fn icons() -> &'static Icons {
    ICONS.get_or_init(Icons::build)
}

/// Indexes the icons on a background thread, so the first lookup finds them ready.
pub fn warm_up() {
    if ICONS.get().is_none() {
        let _ = std::thread::Builder::new().name("icons".into()).spawn(|| {
            icons();
        });
    }
}

/// Microsoft's four squares, in their colours.
fn microsoft() -> Brand {
    Brand {
        slug: "microsoft",
        title: "Microsoft",
        // On dark grey, where each square keeps 3:1 contrast (white would lose the yellow).
        hex: "2F2F2F",
        layers: vec![
            (Some("F25022"), "M1 1h10.5v10.5H1z"),
            (Some("7FBA00"), "M12.5 1H23v10.5H12.5z"),
            (Some("00A4EF"), "M1 12.5h10.5V23H1z"),
            (Some("FFB900"), "M12.5 12.5H23V23H12.5z"),
        ],
        names: vec![
            "Microsoft 365",
            "Office 365",
            "Microsoft Entra",
            "Entra",
            "Azure",
            "Azure AD",
            "Microsoft Online",
            "microsoftonline",
            "onmicrosoft",
            "Outlook",
            "Hotmail",
        ],
    }
}

/// Lower-case letters and digits only, with `+` as "plus", `.` as "dot" and `&` as "and", as
/// Simple Icons makes slugs from titles.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '+' => out.push_str("plus"),
            '.' => out.push_str("dot"),
            '&' => out.push_str("and"),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// Mail providers: `alice@gmail.com` says where the mail goes, not which service the code is
/// for, so these domains never pick an icon from the account name.
const MAIL_DOMAINS: &[&str] = &[
    "gmail",
    "googlemail",
    "outlook",
    "hotmail",
    "live",
    "msn",
    "yahoo",
    "icloud",
    "me",
    "mac",
    "proton",
    "protonmail",
    "pm",
    "gmx",
    "web",
    "aol",
    "mail",
    "yandex",
    "fastmail",
    "tutanota",
    "tuta",
    "zoho",
    "mailbox",
    "posteo",
    "onmicrosoft",
];

impl Icons {
    /// Indexes the embedded table (what the first use does once; public for the benchmark).
    pub fn build() -> Icons {
        let mut brands = vec![microsoft()];
        for line in SIMPLE_ICONS.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(slug), Some(title), Some(hex), Some(names), Some(path)) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                continue;
            };
            brands.push(Brand {
                slug,
                title,
                hex,
                layers: vec![(None, path)],
                names: names.split('|').filter(|n| !n.is_empty()).collect(),
            });
        }
        let mut by_key = HashMap::with_capacity(brands.len() * 2);
        // Slugs first, then titles, then other names: an earlier key is never replaced.
        for pass in 0..3 {
            for (i, brand) in brands.iter().enumerate() {
                let keys: Vec<String> = match pass {
                    0 => vec![brand.slug.to_owned()],
                    1 => vec![key(brand.title)],
                    _ => brand.names.iter().map(|n| key(n)).collect(),
                };
                for k in keys.into_iter().filter(|k| !k.is_empty()) {
                    by_key.entry(k).or_insert(i);
                }
            }
        }
        Icons { brands, by_key }
    }

    /// How many icons are bundled.
    pub fn len(&self) -> usize {
        self.brands.len()
    }

    /// Every bundled icon.
    pub fn all(&self) -> &[Brand] {
        &self.brands
    }

    /// Whether none are (never, with the embedded table).
    pub fn is_empty(&self) -> bool {
        self.brands.is_empty()
    }

    /// The icon with this slug.
    pub fn by_slug(&self, slug: &str) -> Option<&Brand> {
        self.by_key
            .get(slug)
            .map(|&i| &self.brands[i])
            .filter(|b| b.slug == slug)
    }

    /// The icon for a service name (`GitHub`, `Proton Mail`, `github.com`, `Google Cloud`).
    pub fn for_name(&self, name: &str) -> Option<&Brand> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let get = |k: &str| self.by_key.get(k).map(|&i| &self.brands[i]);
        if let Some(found) = get(&key(name)) {
            return Some(found);
        }
        if let Some(found) = self.for_domain(name, false) {
            return Some(found);
        }
        // "Microsoft 365 Contoso", "Google Workspace": the first word, when it is a name.
        let first = name.split_whitespace().next().unwrap_or_default();
        (first.len() >= 3 && first.len() < name.len())
            .then(|| get(&key(first)))
            .flatten()
    }

    /// The icon for a domain (`accounts.google.com`, `https://github.com/x`): its labels from
    /// the right, the top-level one left out. With `skip_mail`, mail providers do not count.
    fn for_domain(&self, text: &str, skip_mail: bool) -> Option<&Brand> {
        let host = text
            .trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .split(['/', '?', '#', ':'])
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let labels: Vec<&str> = host.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.contains(' ')) {
            return None;
        }
        for label in labels[..labels.len() - 1].iter().rev() {
            if ["co", "com", "org", "net", "ac", "gov", "www"].contains(label) {
                continue;
            }
            if skip_mail && MAIL_DOMAINS.contains(label) {
                return None;
            }
            if let Some(&i) = self.by_key.get(&key(label)) {
                return Some(&self.brands[i]);
            }
        }
        None
    }

    /// Icons whose name contains `query` (for the picker), slugs in table order.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Brand> {
        let query = key(query);
        if query.is_empty() {
            return Vec::new();
        }
        let mut exact: Vec<&Brand> = Vec::new();
        let mut rest: Vec<&Brand> = Vec::new();
        for brand in &self.brands {
            let title = key(brand.title);
            if brand.slug == query || title == query {
                exact.push(brand);
            } else if brand.slug.contains(&query) || title.contains(&query) {
                rest.push(brand);
            }
        }
        exact.extend(rest);
        exact.truncate(limit);
        exact
    }
}

/// What an account shows as its icon.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// The letter circle.
    Letter,
    /// A bundled brand icon.
    Brand(&'static Brand),
    /// The user's own image, as a `data:` URL.
    Image(String),
}

impl Shown {
    /// The `data-icon` value: the slug, `image`, or `letter`.
    pub fn name(&self) -> &str {
        match self {
            Shown::Letter => "letter",
            Shown::Brand(brand) => brand.slug,
            Shown::Image(_) => "image",
        }
    }
}

/// The icon `account` shows: its own choice, else a match from the issuer and then a domain in
/// the account name (`alice@github.com`), else the letter.
pub fn shown(account: &Account) -> Shown {
    let icons = icons();
    match &account.icon {
        Some(AccountIcon::Letter) => return Shown::Letter,
        Some(AccountIcon::Image(image)) => return Shown::Image(image.data_url()),
        Some(AccountIcon::Brand(slug)) => {
            if let Some(brand) = icons.by_slug(slug).or_else(|| icons.for_name(slug)) {
                return Shown::Brand(brand);
            }
        }
        None => {}
    }
    if let Some(brand) = icons.for_name(&account.issuer) {
        return Shown::Brand(brand);
    }
    let domain = account.name.rsplit_once('@').map_or("", |(_, d)| d);
    let from_name = icons.for_domain(domain, true).or_else(|| {
        // An account named by its site ("github.com") rather than an address.
        (account.issuer.is_empty() && !account.name.contains('@'))
            .then(|| icons.for_domain(&account.name, true))
            .flatten()
    });
    from_name.map_or(Shown::Letter, Shown::Brand)
}

/// The largest picture file taken as an icon (it is scaled down), in bytes.
pub const MAX_PICTURE_BYTES: u64 = 24 * 1024 * 1024;

/// A picture of the user's own as an icon: any PNG, JPEG, GIF, WebP or BMP is scaled down to
/// a small PNG; an SVG is kept under 64 KiB. Slow for a large photo: run it as a job.
pub fn picture(bytes: &[u8]) -> Result<AccountIcon, AppError> {
    IconImage::from_bytes(bytes)
        .map(AccountIcon::Image)
        .map_err(|e| AppError::input(format!("That picture cannot be an icon: {e}."), e.advice()))
}
