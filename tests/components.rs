//! Components rendered in a VirtualDom (dioxus-ssr) with a real app state: the list and its
//! filter chips, the empty vault, the guidance screen, the merge preview and the side-by-side
//! authenticators of one account. (Their events run in the real window in
//! tests/e2e.rs.)

use std::cell::RefCell;

use dioxus::prelude::*;
use tessera::app::AppState;
use tessera::app::{NewMeta, Progress};
use tessera::ui::{Ctx, Ui};
use tessera_core::otp::{PayloadError, unix_now};
use tessera_core::vault::KdfParams;

thread_local! {
    static STATE: RefCell<Option<AppState>> = const { RefCell::new(None) };
    static VIEW: RefCell<Option<fn() -> Element>> = const { RefCell::new(None) };
}

/// Provides the context every screen reads, then renders the view under test.
#[component]
fn Harness() -> Element {
    let state = use_signal(|| STATE.with(|s| s.borrow_mut().take()).expect("a state"));
    let ui = use_signal(|| Ui::new(unix_now()));
    use_context_provider(|| Ctx { state, ui });
    let view = VIEW.with(|v| v.borrow().expect("a view"));
    view()
}

fn render(state: AppState, view: fn() -> Element) -> String {
    STATE.with(|s| *s.borrow_mut() = Some(state));
    VIEW.with(|v| *v.borrow_mut() = Some(view));
    let mut dom = VirtualDom::new(Harness);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

/// `state` with its vault created (cheapest key derivation) and unlocked.
fn created(mut state: AppState) -> AppState {
    let vault = state
        .create_job(
            "correct horse battery".to_owned().into(),
            "correct horse battery",
            false,
        )
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    state.accept(vault);
    state
}

fn state_with(accounts: &[(&str, NewMeta)]) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let mut state = created(AppState::with_keystore(dir.path().join("c.vault"), None));
    for (uri, meta) in accounts {
        state.add_text(uri, meta).unwrap();
    }
    (dir, state)
}

#[test]
fn the_list_shows_codes_tenants_notes_and_twins() {
    let (_dir, state) = state_with(&[
        (
            "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft",
            NewMeta {
                tenant: "Contoso".into(),
                note: "Anna's phone\nsecond line".into(),
                tags: vec!["m365".into()],
            },
        ),
        (
            "otpauth://totp/Microsoft:admin@contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft",
            NewMeta::default(),
        ),
        (
            "otpauth://hotp/VPN:tech?secret=JBSWY3DPEHPK3PXQ&counter=3",
            NewMeta::default(),
        ),
    ]);
    let before = state.rows("", state.now());
    let html = render(state, || rsx! { tessera::ui::list::AccountList {} });
    assert!(
        html.contains("Microsoft") && html.contains("admin@contoso.com"),
        "{html}"
    );
    assert!(html.contains("Contoso") && html.contains("#m365"));
    assert!(
        html.contains("✎ Anna&#39;s phone") || html.contains("✎ Anna's phone"),
        "{html}"
    );
    assert!(
        !html.contains("second line"),
        "only the note's first line in the list"
    );
    assert!(html.contains("authenticator 1 of 2") && html.contains("authenticator 2 of 2"));
    assert!(
        html.contains("Next code for VPN"),
        "HOTP rows have a next button"
    );
    assert!(
        before.iter().any(|row| html.contains(&row.code)),
        "a live code is shown"
    );
    assert!(
        html.contains("seconds left"),
        "the ring has a text alternative"
    );
    assert!(html.contains("aria-label=\"Search accounts, tenants, tags and notes\""));
}

#[test]
fn an_empty_vault_offers_scan_import_and_restore() {
    let (_dir, state) = state_with(&[]);
    let html = render(state, || rsx! { tessera::ui::list::AccountList {} });
    for text in [
        "No accounts yet",
        "Scan a QR code",
        "Import from another app",
        "Restore a Tessera backup",
        "Moving from another phone?",
    ] {
        assert!(html.contains(text), "{text} missing: {html}");
    }
}

#[test]
fn microsoft_push_codes_get_guidance() {
    let (_dir, state) = state_with(&[]);
    let html = render(
        state,
        || rsx! { tessera::ui::add::Guidance { error: PayloadError::MicrosoftPush } },
    );
    assert!(html.contains("Microsoft Authenticator notifications"));
    assert!(html.contains("I want to use a different authenticator app"));
    assert!(html.contains("Configure app without notifications"));
    assert!(html.contains("role=\"alert\""));
}

#[test]
fn the_merge_preview_counts_and_lists_every_entry() {
    let (_dir, state) = state_with(&[(
        "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft",
        NewMeta::default(),
    )]);
    let text = "otpauth://totp/Microsoft:admin@contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft\n\
                otpauth://totp/Microsoft:admin@contoso.com?secret=JBSWY3DPEHPK3PXP&issuer=Microsoft\n\
                otpauth://totp/GitHub:me?secret=JBSWY3DPEHPK3PXQ&issuer=GitHub\n\
                otpauth://totp/Broken?secret=1\n";
    let imported = tessera::app::ImportJob::new(
        tessera::app::Source::Chosen(text.as_bytes().to_vec()),
        Default::default(),
    )
    .run(&Progress::default())
    .unwrap();
    let tessera::app::Preview { imported, plan } = state.preview(imported).unwrap();
    thread_local! { static PREVIEW: RefCell<Option<(tessera_core::transfer::import::Imported, tessera_core::transfer::merge::Plan)>> = const { RefCell::new(None) }; }
    PREVIEW.with(|p| *p.borrow_mut() = Some((imported, plan)));
    let html = render(state, || {
        let (imported, plan) = PREVIEW.with(|p| p.borrow().clone()).unwrap();
        rsx! { tessera::ui::transfer::MergePreview { imported, plan } }
    });
    assert!(html.contains("New 1 · Already here, skipped 1 · Second authenticator for an account you have 1 (kept) · Could not be read 1"), "{html}");
    assert!(html.contains("New: GitHub: me"));
    assert!(html.contains("Already here: Microsoft: admin@contoso.com"));
    assert!(html.contains("Second authenticator: Microsoft: admin@contoso.com"));
    assert!(html.contains("Could not be read: entry 4"));
}

thread_local! {
    static DETAILS_OF: RefCell<Option<tessera_core::otp::AccountId>> = const { RefCell::new(None) };
}

/// Two authenticators for one account (the service-provider case): the details show both side
/// by side with their whole notes, this one marked; the list offers the tenant as a filter chip.
#[test]
fn details_compare_the_authenticators_of_one_account() {
    let uri = |secret: &str| {
        format!("otpauth://totp/Microsoft:admin@contoso.com?secret={secret}&issuer=Microsoft")
    };
    let (_dir, state) = state_with(&[
        (
            &uri("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            NewMeta {
                tenant: "Contoso".into(),
                note: "Anna's phone\nre-enrol: aka.ms/mfasetup".into(),
                tags: Vec::new(),
            },
        ),
        (
            &uri("JBSWY3DPEHPK3PXP"),
            NewMeta {
                tenant: "Contoso".into(),
                note: "Bob's phone".into(),
                tags: Vec::new(),
            },
        ),
    ]);
    let first = state.rows("", state.now())[0].id;
    DETAILS_OF.with(|d| *d.borrow_mut() = Some(first));
    let html = render(state, || {
        let id = DETAILS_OF.with(|d| d.borrow().expect("an account"));
        rsx! { tessera::ui::details::Details { id } }
    });
    assert!(html.contains("2 authenticators for this account"), "{html}");
    assert!(html.contains("Authenticator 1 (this one)") && html.contains("Authenticator 2"));
    assert!(
        html.contains("re-enrol: aka.ms/mfasetup"),
        "the whole note: {html}"
    );
    assert!(html.contains("Bob&#39;s phone") || html.contains("Bob's phone"));
    assert_eq!(html.matches(">Open<").count(), 1, "the other one opens");
}

#[test]
fn the_list_offers_tenants_and_tags_as_filters() {
    let (_dir, state) = state_with(&[(
        "otpauth://totp/GitHub:tech?secret=JBSWY3DPEHPK3PXP",
        NewMeta {
            tenant: "Fabrikam".into(),
            note: String::new(),
            tags: vec!["dev".into()],
        },
    )]);
    let html = render(state, || rsx! { tessera::ui::list::AccountList {} });
    let chips = &html[html.find("id=\"filters\"").expect("filter chips")..];
    let chips = &chips[..chips.find("</nav>").unwrap()];
    assert!(chips.contains(">All<") && chips.contains(">Fabrikam<") && chips.contains(">#dev<"));
    assert!(chips.contains("aria-pressed=true") || chips.contains("aria-pressed=\"true\""));
}

#[test]
fn with_no_folder_for_the_vault_the_window_says_why_and_what_to_do() {
    #[component]
    fn Relative() -> Element {
        let why = tessera::platform::files::choose_vault_path(None, Ok("files".into()))
            .unwrap_err()
            .to_string();
        rsx! { tessera::ui::CannotStart { why } }
    }
    let mut dom = VirtualDom::new(Relative);
    dom.rebuild_in_place();
    let html = dioxus_ssr::render(&dom);
    assert!(html.contains("Tessera cannot start"), "{html}");
    assert!(
        html.contains("the system gave the relative folder files"),
        "{html}"
    );
    assert!(html.contains("Nothing was created"), "{html}");
}

/// Each row's icon element says which icon it is (`data-icon`): brand icons as inline SVG on
/// the brand colour, the letter circle otherwise; hidden from screen readers (the row's name
/// says the issuer).
#[test]
fn rows_show_brand_icons_or_the_letter() {
    let (_dir, state) = state_with(&[
        (
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
            NewMeta::default(),
        ),
        (
            "otpauth://totp/Contoso%20Ltd:admin%40contoso.com?secret=GEZDGNBVGY3TQOJQ&issuer=Microsoft",
            NewMeta::default(),
        ),
        (
            "otpauth://totp/Intranet:bob?secret=MFRGGZDFMZTWQ2LK",
            NewMeta::default(),
        ),
    ]);
    let html = render(state, || rsx! { tessera::ui::list::AccountList {} });
    let github = html.find(r#"data-icon="github""#).expect("a GitHub icon");
    assert!(html[github..].contains("<svg"), "{html}");
    assert!(html.contains("background: #181717"), "GitHub's colour");
    assert!(html.contains(r#"data-icon="microsoft""#), "{html}");
    assert!(
        html.contains(r##"fill="#F25022""##),
        "Microsoft's red square"
    );
    let letter = html.find(r#"data-icon="letter""#).expect("a letter circle");
    let circle = &html[letter..letter + html[letter..].find("</span>").unwrap()];
    assert!(circle.ends_with(">I"), "{circle}");
    // Every icon is decoration: the row's accessible name carries the issuer.
    for icon in ["github", "microsoft", "letter"] {
        let at = html.find(&format!(r#"data-icon="{icon}""#)).unwrap();
        let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
        assert!(tag.contains(r#"aria-hidden="true""#), "{tag}");
    }
}

/// A state whose phone has a fingerprint (the in-memory biometric store), unlocked.
fn with_fingerprint() -> (
    tempfile::TempDir,
    AppState,
    std::sync::Arc<tessera_core::vault::MemoryBiometric>,
) {
    let dir = tempfile::tempdir().unwrap();
    let phone = std::sync::Arc::new(tessera_core::vault::MemoryBiometric::default());
    let store: std::sync::Arc<dyn tessera_core::vault::BiometricStore + Send + Sync> =
        phone.clone();
    let state = created(AppState::with_stores(
        dir.path().join("b.vault"),
        None,
        Some(store),
    ));
    (dir, state, phone)
}

/// Turns biometric unlock on, as the banner's button does (the phone approves).
fn turn_on_biometric(state: &mut AppState) {
    let slot = state
        .biometric_enable_job()
        .unwrap()
        .run(&Progress::default())
        .unwrap();
    state.finish_biometric(slot).unwrap();
}

#[test]
fn biometric_unlock_is_offered_listed_and_shown_on_the_unlock_screen() {
    let (_dir, state, _phone) = with_fingerprint();
    let html = render(state, || rsx! { tessera::ui::list::AccountList {} });
    assert!(html.contains(r#"id="biometric-offer""#), "{html}");
    assert!(html.contains("Unlock with your fingerprint next time?"));
    assert!(html.contains("Use fingerprint"));

    let (_dir, state, _phone) = with_fingerprint();
    let html = render(state, || rsx! { tessera::ui::biometric::UnlockWays {} });
    assert!(html.contains("Password: <strong>on</strong>"), "{html}");
    assert!(html.contains("Fingerprint or face: <strong>off</strong>"));
    assert!(html.contains(r#"id="biometric-on""#));
    assert!(html.contains("Turn fingerprint unlock on"));

    let (_dir, mut state, _phone) = with_fingerprint();
    turn_on_biometric(&mut state);
    let html = render(state, || {
        rsx! {
            tessera::ui::list::AccountList {}
            tessera::ui::biometric::UnlockWays {}
            tessera::ui::biometric::ReauthHint {}
        }
    });
    assert!(!html.contains(r#"id="biometric-offer""#), "on: no offer");
    assert!(
        html.contains("Fingerprint or face: <strong>on</strong>"),
        "{html}"
    );
    assert!(html.contains("Turn fingerprint unlock off"));
    assert!(html.contains("Or leave it empty to confirm with your fingerprint."));

    let (_dir, mut state, _phone) = with_fingerprint();
    turn_on_biometric(&mut state);
    state.lock();
    let html = render(state, || rsx! { tessera::ui::lock::Unlock {} });
    assert!(html.contains(r#"id="unlock-biometric""#), "{html}");
    assert!(html.contains("Unlock with your fingerprint"));

    // On, while the phone has no biometric enrolled any more: it can still be turned off.
    let (_dir, mut state, phone) = with_fingerprint();
    turn_on_biometric(&mut state);
    phone.set_kind(Err(tessera_core::vault::BiometricError::Unavailable(
        "no fingerprint or face is enrolled in the phone's settings".into(),
    )));
    state.refresh_biometric();
    let html = render(state, || rsx! { tessera::ui::biometric::UnlockWays {} });
    assert!(html.contains("Turn biometric unlock off"), "{html}");
    assert!(html.contains("no fingerprint or face is enrolled"));
    // Without biometric unlock: no such button, no hint.
    let (_dir, state) = state_with(&[]);
    let html = render(state, || {
        rsx! {
            tessera::ui::biometric::ReauthHint {}
            tessera::ui::biometric::UnlockWays {}
        }
    });
    assert!(!html.contains("leave it empty"));
    assert!(
        !html.contains("biometric-on"),
        "desktop offers none: {html}"
    );
}

#[test]
fn settings_sync_offers_joining_then_shows_devices_conflicts_and_problems() {
    let (dir, state) = state_with(&[]);
    let html = render(state, || rsx! { tessera::ui::sync::SyncSettings {} });
    assert!(html.contains(r#"id="sync-join""#), "{html}");
    assert!(html.contains("Syncthing, Nextcloud or Dropbox"));
    assert!(html.contains("never goes online"));

    // Joined, with another device's file and a file that is not one.
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let mut state = created(AppState::with_keystore(dir.path().join("s.vault"), None));
    let join = |state: &mut AppState, name: &str| {
        let job = state
            .sync_join_job(
                folder.to_str().unwrap(),
                "our sync password".to_owned().into(),
            )
            .unwrap();
        state.set_join_folder(folder.to_str().unwrap());
        let key = job
            .run_with(KdfParams::MINIMUM, &Progress::default())
            .unwrap();
        state.finish_sync_join(name, key).unwrap();
    };
    join(&mut state, "laptop");
    let mut other = created(AppState::with_keystore(dir.path().join("o.vault"), None));
    join(&mut other, "phone");
    std::fs::write(
        folder.join(format!("{}-0.tessera-sync", "ab".repeat(16))),
        b"TESSERA\x00SYNC\n\x01\x00",
    )
    .unwrap();
    // The status shown is the one the last sync read.
    state.sync_now().unwrap();
    let html = render(state, || rsx! { tessera::ui::sync::SyncSettings {} });
    assert!(!html.contains(r#"id="sync-join""#), "{html}");
    assert!(html.contains("Syncing through"));
    assert!(html.contains(r#"id="sync-now""#));
    assert!(
        html.contains("laptop") && html.contains("this device"),
        "{html}"
    );
    assert!(html.contains("phone") && html.contains("last change"));
    assert!(
        html.contains("Not merged") && html.contains("cut short"),
        "{html}"
    );
    assert!(
        html.contains(r#"id="sync-remove""#),
        "another device can be removed"
    );
}
