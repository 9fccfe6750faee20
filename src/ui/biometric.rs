//! Biometric unlock in the window: the banner that offers it after a password unlock, the
//! Settings section that lists the ways the vault opens, the unlock button, and the hint that
//! an empty password field confirms with the fingerprint or face.

use dioxus::prelude::*;

use super::{Ctx, Screen, Secret, use_ctx};
use crate::app::biometric::BiometricOffer;

/// Turns biometric unlock on: the phone's prompt in a job, then the save.
pub fn turn_on(ctx: Ctx) {
    let job = match ctx.state.read().biometric_enable_job() {
        Ok(job) => job,
        Err(e) => return ctx.error(&e),
    };
    let name = ctx
        .state
        .read()
        .biometric_name()
        .unwrap_or("fingerprint or face");
    ctx.run_job(
        "Confirm with your fingerprint or face…",
        move |progress| job.run(progress),
        move |result| {
            let result = result.and_then(|slot| ctx.with_state(|s| s.finish_biometric(slot)));
            ctx.report(
                result,
                &format!("Unlock with your {name} is on. Your password still works."),
            );
        },
    );
}

/// Opens the vault with the fingerprint or face as a job; the error, if any, goes to `failed`.
pub fn open(ctx: Ctx, mut failed: Signal<Option<String>>) {
    let Some(job) = ctx.state.read().biometric_unlock_job() else {
        return;
    };
    ctx.run_job(
        "Unlocking…",
        move |progress| job.run(progress),
        move |result| match result {
            Ok(vault) => {
                failed.set(None);
                ctx.with_state(|s| s.accept(vault));
                ctx.go(Screen::List);
            }
            Err(e) => {
                let text = ctx.with_state(|s| s.biometric_unlock_failed(&e));
                failed.set(Some(text));
            }
        },
    );
}

/// The banner after a password unlock: "Unlock with your fingerprint next time?", or, when the
/// phone's key stopped working, that it was turned off and can be turned on again.
#[component]
pub fn BiometricOfferBanner() -> Element {
    let ctx = use_ctx();
    let (offer, name) = {
        let state = ctx.state.read();
        (
            state.biometric_offer(),
            state.biometric_name().unwrap_or("fingerprint or face"),
        )
    };
    let Some(offer) = offer else {
        return rsx! {};
    };
    let (text, action) = match offer {
        BiometricOffer::First => (
            format!(
                "Unlock with your {name} next time? Your password keeps working, and the phone releases the key only after it checks your {name}."
            ),
            format!("Use {name}"),
        ),
        BiometricOffer::Again => (
            format!(
                "Unlock with your {name} stopped working: the fingerprints or faces on this phone changed (or the app's data came from another phone), so the phone dropped its key. Nothing is lost; turn it on again to use your {name}."
            ),
            "Turn on again".to_owned(),
        ),
    };
    rsx! {
        div { id: "biometric-offer", class: if offer == BiometricOffer::Again { "banner warn" } else { "banner ok" }, role: "status",
            p { "{text}" }
            button { id: "biometric-offer-on", class: "primary", onclick: move |_| turn_on(ctx), "{action}" }
            button {
                id: "biometric-offer-later",
                onclick: move |_| {
                    if let Err(e) = ctx.with_state(|s| s.dismiss_biometric_offer()) {
                        ctx.error(&e);
                    }
                },
                "Not now"
            }
        }
    }
}

/// Settings › Unlock: which ways open the vault on this device, and biometric unlock on or off.
#[component]
pub fn UnlockWays() -> Element {
    let ctx = use_ctx();
    let (available, on, keystore_on) = {
        let state = ctx.state.read();
        (
            state.biometric_available(),
            state.biometric_unlock_on(),
            state.keystore_unlock_on(),
        )
    };
    let mut password = use_signal(Secret::default);
    let ways = [
        ("Password", true),
        (crate::platform::keystore::KEYSTORE_NAME, keystore_on),
        ("Fingerprint or face", on),
    ];
    rsx! {
        section { id: "unlock-ways",
            h2 { "Unlock" }
            ul { class: "slots", aria_label: "Ways this vault opens",
                for (name, present) in ways {
                    li { "data-on": "{present}",
                        "{name}: "
                        strong { if present { "on" } else { "off" } }
                    }
                }
            }
            p { class: "muted", "The password always opens the vault; the other ways are conveniences that can stop working without losing anything." }
            match (available, on) {
                (None, false) => rsx! {},
                // On: it can always be turned off, even while the phone has no biometric now.
                (available, true) => {
                    let name = match &available {
                        Some(Ok(kind)) => kind.name(),
                        _ => "biometric",
                    };
                    rsx! {
                        if let Some(Err(why)) = available {
                            p { id: "biometric-unavailable", class: "muted", "Biometric unlock: {why}." }
                        }
                        button {
                            id: "biometric-off",
                            onclick: move |_| {
                                let result = ctx.with_state(|s| s.set_biometric_unlock_off());
                                ctx.report(result, "Biometric unlock is off. Unlock with your password.");
                            },
                            "Turn {name} unlock off"
                        }
                    }
                }
                (Some(Err(why)), false) => rsx! { p { id: "biometric-unavailable", class: "muted", "Biometric unlock: {why}." } },
                (Some(Ok(kind)), false) => rsx! {
                    label { r#for: "biometric-password", "Unlock with your {kind.name()}: confirm with your vault password" }
                    input { id: "biometric-password", r#type: "password", autocomplete: "current-password", value: "{password.read().as_str()}", oninput: move |e| password.set(Secret::new(e.value())) }
                    button {
                        id: "biometric-on",
                        onclick: move |_| {
                            let typed = password.read().clone();
                            password.set(Secret::default());
                            if typed.is_empty() {
                                return ctx.toast("Type your vault password first.", false, 5);
                            }
                            ctx.reauthenticate(typed, move || turn_on(ctx));
                        },
                        "Turn {kind.name()} unlock on"
                    }
                },
            }
        }
    }
}

/// Under a vault-password field for re-authentication: where biometric unlock is on, an empty
/// field confirms with the fingerprint or face instead.
#[component]
pub fn ReauthHint() -> Element {
    let ctx = use_ctx();
    let name = {
        let state = ctx.state.read();
        state
            .biometric_unlock_on()
            .then(|| state.biometric_name())
            .flatten()
    };
    match name {
        Some(name) => {
            rsx! { p { class: "muted reauth-hint", "Or leave it empty to confirm with your {name}." } }
        }
        None => rsx! {},
    }
}

/// `text` with its first letter in capitals ("the system keyring" → "The system keyring").
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
