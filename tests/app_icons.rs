//! Brand icons on a real vault: matched from issuers, aliases and domains; the user's choice
//! (another brand, the letter, a picture) kept in the vault across a lock; bad pictures
//! refused with what to do.

#[path = "support/app.rs"]
mod support;
use support::unlocked;

use tessera::app::icons::{self, Shown};
use tessera::app::{AddOutcome, AppState, NewMeta};
use tessera_core::otp::{AccountIcon, AccountId, unix_now};

fn add(state: &mut AppState, issuer: &str, name: &str, secret: &str) -> AccountId {
    let uri = if issuer.is_empty() {
        format!("otpauth://totp/{name}?secret={secret}")
    } else {
        format!("otpauth://totp/{issuer}:{name}?secret={secret}&issuer={issuer}")
    };
    match state.add_text(&uri, &NewMeta::default()).unwrap() {
        AddOutcome::Added { ids, .. } => ids[0],
        other => panic!("not added: {other:?}"),
    }
}

fn icon_of(state: &AppState, id: AccountId) -> String {
    let row = state
        .rows("", unix_now())
        .into_iter()
        .find(|r| r.id == id)
        .unwrap();
    row.icon.name().to_owned()
}

#[test]
fn icons_are_matched_from_names_aliases_and_domains() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let cases = [
        ("GitHub", "alice", "github"),
        ("github.com", "alice", "github"),
        ("Proton Mail", "alice", "protonmail"),
        ("Microsoft", "admin@contoso.onmicrosoft.com", "microsoft"),
        ("Microsoft 365 Contoso", "admin", "microsoft"),
        ("Azure AD", "admin", "microsoft"),
        ("Google Cloud", "ops", "googlecloud"),
        ("Google Workspace Admin", "ops", "google"),
        ("accounts.google.com", "ops", "google"),
        ("Dev.to", "writer", "devdotto"),
        ("Contoso Ltd VPN", "tech", "letter"),
        // No issuer: the domain of the account name, unless it is only a mail provider.
        ("", "alice@cloudflare.com", "cloudflare"),
        ("", "bob@gmail.com", "letter"),
        ("", "dropbox.com", "dropbox"),
        // An issuer that names nothing bundled: the account name's domain decides.
        ("Fabrikam", "carol@gitlab.com", "gitlab"),
    ];
    let secrets = ["JBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQ", "MFRGGZDFMZTWQ2LK"];
    let mut ids = Vec::new();
    for (i, (issuer, name, _)) in cases.iter().enumerate() {
        let secret = format!("{}{}", secrets[i % 3], ["A", "B", "C", "D", "E"][i / 3]);
        ids.push(add(&mut state, issuer, name, &secret));
    }
    for ((issuer, name, want), id) in cases.iter().zip(ids) {
        assert_eq!(icon_of(&state, id), *want, "{issuer:?} / {name:?}");
    }
}

#[test]
fn the_users_choice_is_kept_in_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let id = add(&mut state, "Intranet", "me", "JBSWY3DPEHPK3PXP");
    assert_eq!(icon_of(&state, id), "letter");
    state
        .set_icon(id, Some(AccountIcon::Brand("nextcloud".into())))
        .unwrap();
    assert_eq!(icon_of(&state, id), "nextcloud");

    // A picture of the user's own: scaled to a PNG of at most 96 pixels.
    let mut photo = Vec::new();
    image::RgbImage::from_pixel(1600, 1200, image::Rgb([30, 90, 160]))
        .write_to(
            &mut std::io::Cursor::new(&mut photo),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let picture = icons::picture(&photo).unwrap();
    state.set_icon(id, Some(picture)).unwrap();
    let row = state.rows("", unix_now()).remove(0);
    let Shown::Image(url) = &row.icon else {
        panic!("{:?}", row.icon)
    };
    assert!(url.starts_with("data:image/png;base64,"), "{}", &url[..40]);
    assert!(url.len() < 20_000, "{} bytes", url.len());

    // Kept encrypted in the vault: back after a lock, and not in the file as plain text.
    support::relock(&mut state);
    assert_eq!(icon_of(&state, id), "image");
    let file = std::fs::read(dir.path().join("app.vault")).unwrap();
    assert!(!file.windows(4).any(|w| w == b"\x89PNG"));

    state.set_icon(id, Some(AccountIcon::Letter)).unwrap();
    assert_eq!(icon_of(&state, id), "letter");
    state.set_icon(id, None).unwrap();
    assert_eq!(icon_of(&state, id), "letter");

    // A slug this version does not bundle (another app's name) falls back to matching.
    let gh = add(&mut state, "GitHub", "me", "GEZDGNBVGY3TQOJQ");
    state
        .set_icon(gh, Some(AccountIcon::Brand("no-such-icon".into())))
        .unwrap();
    assert_eq!(icon_of(&state, gh), "github");
}

#[test]
fn bad_pictures_say_what_is_wrong() {
    for bad in [&b"GIF89a broken"[..], b"", b"%PDF-1.7"] {
        let error = icons::picture(bad).unwrap_err();
        assert!(
            error.message().contains("cannot be an icon"),
            "{}",
            error.message()
        );
        assert!(error.advice().contains("PNG"), "{}", error.advice());
    }
}

#[test]
fn the_bundled_set_is_searchable() {
    let all = icons::icons();
    assert!(all.len() > 3000, "{}", all.len());
    let found: Vec<&str> = all.search("github", 5).iter().map(|b| b.slug).collect();
    assert_eq!(found[0], "github");
    assert!(found.contains(&"githubactions"), "{found:?}");
    assert!(all.search("", 5).is_empty());
    assert_eq!(all.by_slug("microsoft").unwrap().layers.len(), 4);
}
