//! First run (create the vault) and unlock; locking when the window is hidden.

use dioxus::prelude::*;

use super::{Ctx, Screen, Secret, use_ctx};
use crate::app::AppState;
use crate::platform::keystore::{KEYSTORE_BY_DEFAULT, KEYSTORE_PHRASE};

/// The first-run screen: a password twice, with a strength hint, and keystore unlock.
#[component]
pub fn Setup() -> Element {
    let ctx = use_ctx();
    let mut password = use_signal(Secret::default);
    let mut again = use_signal(Secret::default);
    let offers_keystore = ctx.state.read().has_keystore();
    let mut use_keystore = use_signal(move || offers_keystore && KEYSTORE_BY_DEFAULT);
    let mut error = use_signal(|| None::<String>);
    let (score, words) = AppState::strength(&password.read());
    let mut create = move || {
        let job =
            ctx.state
                .read()
                .create_job(password.read().clone(), &again.read(), use_keystore());
        let job = match job {
            Ok(job) => job,
            Err(e) => return error.set(Some(e.to_string())),
        };
        error.set(None);
        ctx.run_job(
            "Creating your vault: deriving the key from your password…",
            move |progress| job.run(progress),
            move |result| match result {
                Ok(vault) => {
                    ctx.with_state(|s| s.accept(vault));
                    ctx.go(Screen::List);
                }
                Err(e) => {
                    // Another program may have created the vault meanwhile: then unlock it.
                    ctx.with_state(|s| s.recheck_vault_file());
                    error.set(Some(e.to_string()));
                }
            },
        );
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
            if offers_keystore {
                label { class: "check",
                    input {
                        r#type: "checkbox", checked: use_keystore(),
                        onchange: move |e| use_keystore.set(e.checked()),
                    }
                    "Unlock with {KEYSTORE_PHRASE} on this device"
                }
            }
            if let Some(text) = error() {
                p { class: "error", role: "alert", "{text}" }
            }
            button { id: "create-vault", class: "primary", onclick: move |_| create(), "Create vault" }
        }
    }
}

/// Opens the vault through the keystore as a job; `failed` runs when it could not (no keystore,
/// keyring unlock off, its entry gone).
fn open_with_keystore(ctx: Ctx, failed: impl FnOnce() + 'static) {
    let Some(job) = ctx.state.read().keystore_unlock_job() else {
        return failed();
    };
    ctx.run_job(
        &format!("Unlocking with {KEYSTORE_PHRASE}…"),
        move |progress| job.run(progress),
        move |result| match result {
            Ok(vault) => {
                ctx.with_state(|s| s.accept(vault));
                ctx.go(Screen::List);
            }
            Err(_) => failed(),
        },
    );
}

/// The unlock screen: the password; the fingerprint or face (where biometric unlock is on) or
/// else the keystore by itself only when the app starts (never after a lock), and on the
/// user's request.
#[component]
pub fn Unlock() -> Element {
    let ctx = use_ctx();
    let mut password = use_signal(Secret::default);
    let mut error = use_signal(|| None::<String>);
    use_future(move || async move {
        if ctx.with_state(|s| s.take_biometric_on_start()) {
            super::biometric::open(ctx, error);
        } else if ctx.with_state(|s| s.take_keystore_on_start()) {
            open_with_keystore(ctx, || {});
        }
    });
    let biometric = {
        let state = ctx.state.read();
        state
            .biometric_unlock_offered()
            .then(|| state.biometric_name())
            .flatten()
    };
    let mut unlock = move || {
        let job = ctx.state.read().unlock_job(password.read().clone());
        password.set(Secret::default());
        ctx.run_cancellable_job(
            "Unlocking…",
            move |progress| job.run(progress),
            move |result| match result {
                Ok(vault) => {
                    error.set(None);
                    ctx.with_state(|s| s.accept(vault));
                    ctx.go(Screen::List);
                }
                Err(e) => error.set(Some(e.to_string())),
            },
        );
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
            if let Some(name) = biometric {
                button {
                    id: "unlock-biometric",
                    onclick: move |_| super::biometric::open(ctx, error),
                    "Unlock with your {name}"
                }
            }
            if ctx.state.read().has_keystore() {
                button {
                    id: "unlock-keystore",
                    onclick: move |_| open_with_keystore(ctx, move || {
                        error.set(Some(format!("{} did not open the vault (keystore unlock is off, or its entry is gone). Unlock with the password.", super::biometric::capitalised(KEYSTORE_PHRASE))));
                    }),
                    "Unlock with {KEYSTORE_PHRASE}"
                }
            }
        }
    }
}

/// The app leaving and coming back: the web view's `visibilitychange` (desktop and phone web
/// views), and on phones tao's `Suspended`/`Resumed` (Android pause/resume, iOS resign/become
/// active), which also put up and take down the iOS privacy cover. The lock itself is
/// [`crate::app::AppState::went_to_background`] with the settings' grace period; the clock's
/// tick and coming back check it.
pub fn use_lock_when_hidden() {
    let ctx = use_ctx();
    use_future(move || async move {
        let ctx = ctx;
        let mut watcher = document::eval(
            "document.addEventListener('visibilitychange', () => dioxus.send(document.hidden)); await new Promise(() => {});",
        );
        while let Ok(hidden) = watcher.recv::<bool>().await {
            away(ctx, hidden);
        }
    });
    #[cfg(not(feature = "desktop"))]
    dioxus::mobile::use_wry_event_handler(move |event, _| {
        use dioxus::mobile::tao::event::Event;
        let hidden = match event {
            Event::Suspended => true,
            Event::Resumed => false,
            _ => return,
        };
        #[cfg(target_os = "ios")]
        {
            use dioxus::mobile::tao::platform::ios::WindowExtIOS;
            let root = dioxus::mobile::window().window.ui_view();
            crate::platform::ios::set_privacy_cover(root, hidden);
        }
        away(ctx, hidden);
    });
}

/// The app went away (`hidden`) or came back: the state decides whether that locks.
fn away(ctx: Ctx, hidden: bool) {
    let now = tessera_core::otp::unix_now();
    let locks = if hidden {
        ctx.with_state(|s| s.went_to_background(now))
    } else {
        // A fingerprint or face enrolled in the phone's settings meanwhile is offered now.
        ctx.with_state(|s| {
            s.refresh_biometric();
            s.came_to_foreground(now)
        })
    };
    if locks {
        ctx.lock();
    }
}
