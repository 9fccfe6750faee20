//! First run (create the vault) and unlock; locking when the window is hidden.

use dioxus::prelude::*;
use tessera_core::vault::KdfParams;

use super::{Ctx, Screen, Secret, off_thread};
use crate::app::AppState;

/// Offers the OS keystore: on desktop, and the Keychain on iOS (Android has no keystore backend
/// here yet, so the vault opens with the password there).
#[cfg(any(feature = "desktop", target_os = "ios"))]
pub(super) fn keystore() -> Option<tessera_core::vault::OsKeystore> {
    Some(tessera_core::vault::OsKeystore::new())
}

#[cfg(not(any(feature = "desktop", target_os = "ios")))]
pub(super) fn keystore() -> Option<tessera_core::vault::MemoryKeystore> {
    None
}

/// The first-run screen: a password twice, with a strength hint, and keystore unlock.
#[component]
pub fn Setup() -> Element {
    let ctx = use_context::<Ctx>();
    let mut password = use_signal(Secret::default);
    let mut again = use_signal(Secret::default);
    let mut use_keystore = use_signal(|| keystore().is_some());
    let mut error = use_signal(|| None::<String>);
    let (score, words) = AppState::strength(&password.read());
    let mut create = move || {
        let (pw, pw2) = (password.read().clone(), again.read().clone());
        if let Err(e) = AppState::check_new_password(&pw, &pw2) {
            error.set(Some(format!("{} {}", e.message, e.advice)));
            return;
        }
        error.set(None);
        let path = ctx.state.read().vault_path().to_owned();
        let with_keystore = use_keystore();
        let mut ctx = ctx;
        ctx.ui.write().busy =
            Some("Creating your vault: deriving the key from your password…".into());
        spawn(async move {
            let result = off_thread(move || {
                let (kdf, _) = KdfParams::calibrate();
                let mut vault = AppState::create_vault(&path, &pw, kdf)?;
                if with_keystore && let Some(keystore) = keystore() {
                    // Keystore unlock is a convenience: without a keystore, the password works.
                    let _ = vault.enable_keystore(&keystore);
                }
                Ok::<_, crate::app::AppError>(vault)
            })
            .await;
            ctx.ui.write().busy = None;
            match result {
                Ok(vault) => {
                    ctx.with_state(|s| s.accept(vault));
                    ctx.go(Screen::List);
                }
                Err(e) => error.set(Some(format!("{} {}", e.message, e.advice))),
            }
        });
    };
    rsx! {
        main { class: "lock",
            h1 { "Welcome to Tessera" }
            p { class: "muted", "Your codes are kept in an encrypted vault on this device. Choose its password: it protects every seed, and Tessera cannot recover it." }
            label { r#for: "new-password", "Password" }
            input {
                id: "new-password", r#type: "password", autocomplete: "new-password",
                oninput: move |e| password.set(Secret::new(e.value())),
            }
            div { class: "strength s{score}", aria_live: "polite", "Strength: {words}" }
            label { r#for: "new-password-again", "Repeat the password" }
            input {
                id: "new-password-again", r#type: "password", autocomplete: "new-password",
                oninput: move |e| again.set(Secret::new(e.value())),
                onkeydown: move |e| if e.key() == Key::Enter { create() },
            }
            if keystore().is_some() {
                label { class: "check",
                    input {
                        r#type: "checkbox", checked: use_keystore(),
                        onchange: move |e| use_keystore.set(e.checked()),
                    }
                    "Unlock with the system keyring on this device"
                }
            }
            if let Some(text) = error() {
                p { class: "error", role: "alert", "{text}" }
            }
            button { id: "create-vault", class: "primary", onclick: move |_| create(), "Create vault" }
        }
    }
}

/// Opens the vault through the keystore off the UI thread; whether it did.
async fn open_with_keystore(ctx: Ctx) -> bool {
    let path = ctx.state.read().vault_path().to_owned();
    let opened =
        off_thread(move || keystore().and_then(|k| AppState::open_with_keystore(&path, &k))).await;
    match opened {
        Some(vault) => {
            ctx.with_state(|s| s.accept(vault));
            ctx.go(Screen::List);
            true
        }
        None => false,
    }
}

/// The unlock screen: the password; the keystore by itself only when the app starts (never
/// after a lock), and on the user's request.
#[component]
pub fn Unlock() -> Element {
    let ctx = use_context::<Ctx>();
    let mut password = use_signal(Secret::default);
    let mut error = use_signal(|| None::<String>);
    use_future(move || async move {
        if ctx.with_state(|s| s.take_keystore_on_start()) {
            open_with_keystore(ctx).await;
        }
    });
    let mut unlock = move || {
        let pw = password.read().clone();
        password.set(Secret::default());
        let path = ctx.state.read().vault_path().to_owned();
        let mut ctx = ctx;
        ctx.ui.write().busy = Some("Unlocking…".into());
        spawn(async move {
            let result = off_thread(move || AppState::open_vault(&path, &pw)).await;
            ctx.ui.write().busy = None;
            match result {
                Ok(vault) => {
                    error.set(None);
                    ctx.with_state(|s| s.accept(vault));
                    ctx.go(Screen::List);
                }
                Err(e) => error.set(Some(format!("{} {}", e.message, e.advice))),
            }
        });
    };
    rsx! {
        main { class: "lock",
            h1 { "Tessera is locked" }
            label { r#for: "password", "Password" }
            input {
                id: "password", r#type: "password", autocomplete: "current-password", autofocus: true,
                value: "{password.read().as_str()}",
                oninput: move |e| password.set(Secret::new(e.value())),
                onkeydown: move |e| if e.key() == Key::Enter { unlock() },
            }
            if let Some(text) = error() {
                p { id: "unlock-error", class: "error", role: "alert", "{text}" }
            }
            button { id: "unlock", class: "primary", onclick: move |_| unlock(), "Unlock" }
            if keystore().is_some() {
                button {
                    id: "unlock-keystore",
                    onclick: move |_| async move {
                        if !open_with_keystore(ctx).await {
                            error.set(Some("The system keyring did not open the vault (keyring unlock is off, or its entry is gone). Unlock with the password.".into()));
                        }
                    },
                    "Unlock with the system keyring"
                }
            }
        }
    }
}

/// Locks when the window or app is hidden, if the setting is on (the web view's
/// `visibilitychange`, which desktop and phone web views both fire).
pub fn use_lock_when_hidden() {
    let ctx = use_context::<Ctx>();
    use_future(move || async move {
        let ctx = ctx;
        let mut watcher = document::eval(
            "document.addEventListener('visibilitychange', () => dioxus.send(document.hidden)); await new Promise(() => {});",
        );
        while let Ok(hidden) = watcher.recv::<bool>().await {
            if hidden && ctx.state.read().settings.lock_when_hidden {
                ctx.lock();
            }
        }
    });
}
