//! The list as a technician sees it, in a real window (see tests/e2e.rs for the driver): brand
//! icons on every row (`data-icon`), tenant group headers that stay at the top while their
//! accounts scroll under them, the icon picker, and a long import's progress bar with its time
//! estimate and Cancel. Screenshots of each at 360x800 and 1280x800, light and dark, in
//! `target/screenshots/`.

#![recursion_limit = "512"]

use serde_json::{Value, json};

#[path = "support/driver.rs"]
mod driver;
mod support;

use driver::{after_setup, drive};

/// A URI list: seven accounts of each of two Entra tenants (tenant in the label), GitHub and an
/// intranet without a brand icon.
fn accounts() -> String {
    let mut lines = Vec::new();
    let secrets = ["JBSWY3DPEHPK3PX", "GEZDGNBVGY3TQOJ", "MFRGGZDFMZTWQ2L"];
    let mut n = 0;
    let mut secret = || {
        n += 1;
        format!(
            "{}{}",
            secrets[n % 3],
            ["A", "B", "C", "D", "E", "F", "G"][n / 3 % 7]
        )
    };
    for tenant in ["Contoso Ltd", "Fabrikam"] {
        for user in 1..=7 {
            lines.push(format!(
                "otpauth://totp/{}:user{user}%40example.com?secret={}&issuer=Microsoft",
                tenant.replace(' ', "%20"),
                secret()
            ));
        }
    }
    lines.push(format!(
        "otpauth://totp/GitHub:alice?secret={}&issuer=GitHub",
        secret()
    ));
    lines.push(format!("otpauth://totp/Intranet:bob?secret={}", secret()));
    lines.join("\n") + "\n"
}

/// An Ente Auth export whose key derivation is slow (1 GiB, 6 passes): long enough to see the
/// bar move and to cancel. Its data is not real: nothing could be imported from it anyway.
fn slow_ente_export() -> String {
    json!({
        "version": 1,
        "kdfParams": {"memLimit": 1_073_741_824u64, "opsLimit": 6, "salt": "AAAAAAAAAAAAAAAAAAAAAA=="},
        "encryptedData": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "encryptionNonce": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    })
    .to_string()
}

fn shots(name: &str) -> Vec<Value> {
    vec![
        json!({"resize": [360, 800]}),
        json!({"shot": format!("phone-{name}")}),
        json!({"resize": [1280, 800]}),
        json!({"shot": format!("desktop-{name}")}),
        json!({"resize": [360, 800]}),
    ]
}

#[test]
fn icons_sticky_tenant_headers_the_icon_picker_and_a_cancellable_import() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("accounts.txt");
    std::fs::write(&list, accounts()).unwrap();
    let ente = dir.path().join("ente-export.txt");
    std::fs::write(&ente, slow_ente_export()).unwrap();
    let mut steps = vec![
        json!({"resize": [360, 800]}),
        json!({"click": "#nav-transfer"}),
        json!({"type": ["#import-path", list.to_str().unwrap()]}),
        json!({"click": "#import-preview"}),
        json!({"wait": [".merge-preview", "New 16"]}),
        json!({"click": "#import-apply"}),
        json!({"wait": ["#accounts", "Intranet"]}),
        json!({"click": "#nav-settings"}),
        json!({"type": ["#group-by", "tenant"]}),
        json!({"click": "header.bar .back"}),
        json!({"wait": ["#accounts", "Contoso Ltd"]}),
        // Icons: GitHub's and Microsoft's, the letter for the intranet.
        json!({"js": ["icons", "return [...document.querySelectorAll('#accounts [data-icon]')].map(e => e.dataset.icon).join(' ');"]}),
        json!({"read": ["row-text", "#accounts .row"]}),
    ];
    steps.extend(shots("list-icons"));
    steps.extend([
        // Scrolled down at phone size (Contoso's fifth account at the top): Contoso's header is
        // held right under the bar, not scrolled away with its first accounts.
        json!({"js": ["sticky", "document.querySelectorAll('#accounts li.row')[4].scrollIntoView({ block: 'start' }); \
            await new Promise(r => setTimeout(r, 400)); \
            const bar = document.querySelector('header.bar').getBoundingClientRect().bottom; \
            const header = document.querySelector('#accounts li.group'); \
            const box = header.getBoundingClientRect(); \
            const seen = header.contains(document.elementFromPoint(box.left + 20, box.top + box.height / 2)); \
            return [Math.round(bar), Math.round(box.top), header.innerText, Math.round(window.scrollY), seen].join('|');"]}),
        json!({"shot": "phone-sticky-tenant"}),
        // The icon picker: another brand for the intranet, found by search.
        json!({"js": ["top", "window.scrollTo(0, 0); return 'ok';"]}),
        json!({"type": ["#search", "intranet"]}),
        json!({"click": "#accounts .row .more"}),
        json!({"click": "#accounts .menu .menu-details"}),
        json!({"wait": ["#icon-why", "no bundled icon matches"]}),
        json!({"type": ["#icon-search", "nextcloud"]}),
        json!({"wait": ["#icon-results", "Nextcloud"]}),
        json!({"scroll": "#icon-results"}),
    ]);
    steps.extend(shots("details-icon"));
    steps.extend([
        json!({"click": "#icon-results [data-slug=nextcloud]"}),
        json!({"wait": ["#icon-why", "Nextcloud, as you chose"]}),
        json!({"click": ".pane-detail header.bar .back"}),
        json!({"read": ["chosen", "#accounts .row .avatar", "data-icon"]}),
        json!({"type": ["#search", ""]}),
        // A long import: the bar moves with the time estimate; Cancel stops it unseen.
        json!({"click": "#nav-transfer"}),
        json!({"type": ["#import-path", ente.to_str().unwrap()]}),
        json!({"type": ["#import-password", "anything"]}),
        json!({"click": "#import-preview"}),
        json!({"wait": [".busy-left", "seconds left"]}),
        json!({"read": ["left-1", ".busy-left"]}),
        json!({"read": ["bar-1", ".busy-card progress", "value"]}),
        json!({"shot": "phone-progress"}),
        json!({"resize": [1280, 800]}),
        json!({"shot": "desktop-progress"}),
        json!({"resize": [360, 800]}),
        json!({"read": ["bar-2", ".busy-card progress", "value"]}),
        json!({"click": "#busy-cancel"}),
        json!({"wait": ["#toast", "Stopped. Nothing was changed."]}),
        json!({"gone": ".busy"}),
        json!({"gone": ".merge-preview"}),
        // Dark theme: the changed screens again.
        json!({"click": "header.bar .back"}),
        json!({"click": "#nav-settings"}),
        json!({"type": ["#theme", "dark"]}),
        json!({"click": "header.bar .back"}),
        json!({"wait": ["#accounts", "GitHub"]}),
    ]);
    steps.extend(shots("list-icons-dark"));
    steps.extend([
        json!({"click": "#accounts .row .more"}),
        json!({"click": "#accounts .menu .menu-details"}),
        json!({"type": ["#icon-search", "git"]}),
        json!({"wait": ["#icon-results", "GitHub"]}),
    ]);
    steps.extend(shots("details-icon-dark"));
    steps.extend([
        json!({"click": ".pane-detail header.bar .back"}),
        json!({"click": "#nav-transfer"}),
        json!({"type": ["#import-path", ente.to_str().unwrap()]}),
        json!({"type": ["#import-password", "anything"]}),
        json!({"click": "#import-preview"}),
        json!({"wait": [".busy-left", "seconds left"]}),
        json!({"shot": "phone-progress-dark"}),
        json!({"resize": [1280, 800]}),
        json!({"shot": "desktop-progress-dark"}),
        json!({"click": "#busy-cancel"}),
        json!({"wait": ["#toast", "Stopped"]}),
    ]);
    let Some(result) = drive(&after_setup(Value::Array(steps)), &[]) else {
        return;
    };
    let reads = &result["reads"];
    let text = |k: &str| reads[k].as_str().unwrap_or_default().to_owned();
    // Every row's icon, in list order: the pinned-free grouped list (tenants, then none).
    let icons = text("icons");
    assert_eq!(icons.matches("microsoft").count(), 14, "{icons}");
    assert!(
        icons.contains("github") && icons.contains("letter"),
        "{icons}"
    );
    assert!(
        text("row-text").contains("Contoso Ltd · user1@example.com"),
        "{}",
        text("row-text")
    );
    // The stuck header sits right under the bar (a pixel of rounding at most), though the page
    // has scrolled well past where it began.
    let sticky = text("sticky");
    let parts: Vec<&str> = sticky.split('|').collect();
    let (bar, header, scrolled): (f64, f64, f64) = (
        parts[0].parse().unwrap(),
        parts[1].parse().unwrap(),
        parts[3].parse().unwrap(),
    );
    assert!((header - bar).abs() <= 1.0, "{sticky}");
    assert!(scrolled > 200.0, "{sticky}");
    assert!(parts[2].to_lowercase().contains("contoso"), "{sticky}");
    assert_eq!(parts[4], "true", "the header is covered: {sticky}");
    assert!(bar > 100.0, "a phone's bar has two rows: {sticky}");
    assert_eq!(text("chosen"), "nextcloud");
    let seconds = |k: &str| -> u64 {
        text(k)
            .split("about ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{k}: {}", text(k)))
    };
    assert!(seconds("left-1") >= 1);
    // The bar moves while the key derivation runs, and never reaches the end on its own.
    let (bar_1, bar_2): (f64, f64) = (
        text("bar-1").parse().unwrap(),
        text("bar-2").parse().unwrap(),
    );
    assert!(
        bar_2 > bar_1 && bar_2 < 100.0,
        "the bar went from {bar_1} to {bar_2} %"
    );
}

/// What a screen reader finds, through the real accessibility tree (AT-SPI, as Orca reads it):
/// the list, each row's button naming the account and spelling its code digit by digit, the
/// countdown as a timer of its own, and every toolbar button by role and name.
#[test]
fn the_accessibility_tree_names_the_list_its_codes_and_every_button() {
    let python = std::path::Path::new("/usr/bin/python3");
    let has_pyatspi = python.exists()
        && std::process::Command::new(python)
            .args(["-c", "import pyatspi"])
            .status()
            .is_ok_and(|s| s.success());
    if !has_pyatspi {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_ATSPI").is_none(),
            "TESSERA_REQUIRE_ATSPI is set but Debian's python3-pyatspi is missing"
        );
        eprintln!("note: accessibility test skipped: apt-get install python3-pyatspi");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("accounts.txt");
    std::fs::write(&list, accounts()).unwrap();
    let steps = after_setup(json!([
        {"resize": [1280, 800]},
        {"click": "#nav-transfer"},
        {"type": ["#import-path", list.to_str().unwrap()]},
        {"click": "#import-preview"},
        {"click": "#import-apply"},
        {"wait": ["#accounts", "GitHub"]},
        {"read": ["github-code", "#accounts .row:has([data-icon=github]) .code"]},
        {"shot": "hook-atspi"},
    ]));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/a11y_tree.py");
    let mut tree = String::new();
    let mut walked_at = 0;
    let Some(result) = driver::drive_with(&steps, &[], &mut |name, _, display| {
        assert_eq!(name, "atspi");
        let out = std::process::Command::new(python)
            .args([script, "GitHub, alice"])
            .env("DISPLAY", display)
            .output()
            .expect("run the AT-SPI script");
        tree = String::from_utf8_lossy(&out.stdout).into_owned();
        walked_at = tessera_core::otp::unix_now();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }) else {
        return;
    };
    let nodes: Vec<(String, String, u64)> = serde_json::from_str(&tree)
        .unwrap_or_else(|e| panic!("the AT-SPI script printed no tree ({e}): {tree}"));
    let has = |role: &str, name: &str| nodes.iter().any(|(r, n, _)| r == role && n.trim() == name);
    let dump = || {
        nodes
            .iter()
            .filter(|(_, n, _)| !n.is_empty())
            .map(|(r, n, d)| format!("{}{r}: {n}", "  ".repeat(*d as usize % 40)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(nodes.len() > 50, "{}", dump());
    eprintln!("AT-SPI: {} nodes", nodes.len());
    for button in [
        "Add account",
        "Backup and transfer",
        "Trash",
        "Settings",
        "Lock",
        "Keyboard shortcuts",
    ] {
        assert!(
            has("push button", button),
            "no button {button:?}:\n{}",
            dump()
        );
    }
    assert!(
        nodes
            .iter()
            .any(|(r, n, _)| r == "entry" && n == "Search accounts, tenants, tags and notes"),
        "no search field:\n{}",
        dump()
    );
    assert!(
        nodes.iter().any(|(r, _, _)| r == "list"),
        "no list:\n{}",
        dump()
    );
    // GitHub's row: its button spells the code shown, digit by digit.
    let shown = result["reads"]["github-code"].as_str().unwrap().to_owned();
    let github = nodes
        .iter()
        .find(|(r, n, _)| r == "push button" && n.starts_with("GitHub, alice, code "))
        .unwrap_or_else(|| panic!("no GitHub row button:\n{}", dump()));
    let code = github
        .1
        .trim_start_matches("GitHub, alice, code ")
        .trim_end_matches(". Copy");
    // The code may have moved on between the read and the walk: six spaced digits, and the
    // ones shown when they are still the same period's.
    assert_eq!(code.split(' ').count(), 6, "{}", github.1);
    assert!(
        code.split(' ')
            .all(|d| d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()))
    );
    let read_at = result["reads"]["github-code@time"].as_u64().unwrap();
    if read_at / 30 == walked_at / 30 {
        assert_eq!(code, tessera::app::rows::spelled(&shown));
    }
    eprintln!("AT-SPI: {:?}; the page showed {shown}", github.1);
    assert!(
        nodes
            .iter()
            .any(|(r, n, _)| r == "timer" && n.ends_with("seconds left")),
        "no countdown timer:\n{}",
        dump()
    );
    // Every button has a name a screen reader can say.
    let unnamed: Vec<_> = nodes
        .iter()
        .filter(|(r, n, _)| r == "push button" && n.trim().is_empty())
        .collect();
    assert!(
        unnamed.is_empty(),
        "unnamed buttons {unnamed:?}:\n{}",
        dump()
    );
}
