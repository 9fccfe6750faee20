//! WCAG AA contrast of the stylesheet's colours, in the light and the dark theme: 4.5:1 for
//! every text colour on the surfaces it is drawn on, 3:1 for the countdown ring's colours
//! (graphics). The colours are read from `assets/main.css`, so a change there is checked.

use std::collections::HashMap;

const CSS: &str = include_str!("../assets/main.css");

/// The `--name: #rrggbb` variables of the first rule starting with `selector {`.
fn palette(selector: &str) -> HashMap<String, [u8; 3]> {
    palette_in(CSS, selector)
}

fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn both_themes_pass_wcag_aa() {
    // (foreground, background, minimum): text at 4.5, the ring's strokes at 3.
    let pairs = [
        ("--fg", "--bg", 4.5),
        ("--fg", "--surface", 4.5),
        ("--muted", "--bg", 4.5),
        ("--muted", "--surface", 4.5),
        ("--accent", "--bg", 4.5),
        ("--accent", "--surface", 4.5),
        ("--accent-fg", "--accent", 4.5),
        ("--danger", "--bg", 4.5),
        ("--danger", "--surface", 4.5),
        ("--warn-fg", "--warn-bg", 4.5),
        ("--ok-fg", "--ok-bg", 4.5),
        ("--bg", "--fg", 4.5),
        ("--amber", "--bg", 3.0),
        ("--red", "--bg", 3.0),
    ];
    let light = palette(":root");
    let dark = palette(".theme-dark");
    assert_eq!((light.len(), dark.len()), (14, 14), "{light:?} {dark:?}");
    let mut report = Vec::new();
    for (theme, colours) in [("light", &light), ("dark", &dark)] {
        for (fg, bg, minimum) in pairs {
            let contrast = ratio(colours[fg], colours[bg]);
            if contrast < minimum {
                report.push(format!(
                    "{theme}: {fg} on {bg} is {contrast:.2}:1, under {minimum}:1"
                ));
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
    // The system theme's dark colours are the dark theme's.
    let system = &CSS[CSS.find("@media (prefers-color-scheme: dark)").unwrap()..];
    let system_dark = palette_in(system, ".theme-system");
    assert_eq!(system_dark, dark);
}

/// [`palette`] inside a piece of the stylesheet.
fn palette_in(text: &str, selector: &str) -> HashMap<String, [u8; 3]> {
    let open = format!("{selector} {{");
    let start = text
        .find(&open)
        .unwrap_or_else(|| panic!("no {selector} rule"))
        + open.len();
    let end = start + text[start..].find('}').unwrap();
    let mut colours = HashMap::new();
    for declaration in text[start..end].split(';') {
        if let Some((name, value)) = declaration.split_once(':')
            && let Some(hex) = value.trim().strip_prefix('#')
            && name.trim().starts_with("--")
            && hex.len() == 6
        {
            let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
            colours.insert(name.trim().to_owned(), [channel(0), channel(2), channel(4)]);
        }
    }
    colours
}

#[test]
fn the_contrast_formula_matches_wcag_examples() {
    assert!((ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
    assert!((ratio([255, 255, 255], [255, 255, 255]) - 1.0).abs() < 1e-9);
    // #767676 on white is the well-known 4.54:1 grey.
    assert!((ratio([0x76, 0x76, 0x76], [255, 255, 255]) - 4.54).abs() < 0.01);
}

/// Every bundled brand icon's marks against its badge colour: 3:1 at least (graphics), so an
/// icon never turns into a blank circle in either theme (the badge is the same in both).
#[test]
fn every_brand_icon_keeps_graphics_contrast() {
    let rgb = |hex: &str| {
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        [channel(0), channel(2), channel(4)]
    };
    let icons = tessera::app::icons::icons();
    let mut worst = (f64::MAX, "");
    for brand in icons.all() {
        for (layer, _) in &brand.layers {
            let contrast = ratio(rgb(brand.fill(*layer)), rgb(brand.hex));
            if contrast < worst.0 {
                worst = (contrast, brand.slug);
            }
        }
    }
    assert!(icons.len() > 3000);
    assert!(worst.0 >= 3.0, "{} has {:.2}:1", worst.1, worst.0);
}
