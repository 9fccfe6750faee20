//! Settings: security, sync, clipboard, appearance, time; password and keyring unlock.

use dioxus::prelude::*;
use tessera_core::otp::AccountId;

use super::{Ctx, Screen, Secret, use_ctx};
use crate::app::settings::{GroupBy, Settings, Theme};
use crate::app::sort::SortOrder;
use crate::app::{AppError, AppState, ClockCheck};
use crate::platform::keystore::KEYSTORE_PHRASE;

/// The settings screen.
#[component]
pub fn SettingsScreen() -> Element {
    let ctx = use_ctx();
    let settings = ctx.state.read().settings.clone();
    let (keystore_on, offers_keystore) = {
        let state = ctx.state.read();
        (state.keystore_unlock_on(), state.has_keystore())
    };
    let update = move |change: Box<dyn FnOnce(&mut Settings)>| {
        if let Err(e) = ctx.with_state(|s| s.update_settings(change)) {
            ctx.error(&e);
        }
    };
    // A weaker lock setting waits here until the vault password confirms it.
    let mut pending = use_signal(|| None::<Settings>);
    let mut confirm_password = use_signal(Secret::default);
    let mut propose = move |change: Box<dyn FnOnce(&mut Settings)>| {
        let current = ctx.state.read().settings.clone();
        let mut proposed = current.clone();
        change(&mut proposed);
        if AppState::weakens_lock(&current, &proposed) {
            pending.set(Some(proposed));
        } else {
            pending.set(None);
            update(Box::new(move |s| *s = proposed));
        }
    };
    let mut keystore_password = use_signal(Secret::default);
    let mut old = use_signal(Secret::default);
    let mut new = use_signal(Secret::default);
    let mut again = use_signal(Secret::default);
    rsx! {
        header { class: "bar",
            button { class: "back", aria_label: "Back", onclick: move |_| ctx.go(Screen::List), super::widgets::Icon { name: "back" } }
            h1 { "Settings" }
        }
        main { class: "settings",
            section {
                h2 { "Security" }
                label { r#for: "auto-lock", "Lock after" }
                select {
                    id: "auto-lock",
                    onchange: move |e| { let v = e.value().parse().unwrap_or(300); propose(Box::new(move |s| s.auto_lock_secs = v)) },
                    for (secs, text) in [(60u64, "1 minute"), (300, "5 minutes"), (900, "15 minutes"), (3600, "1 hour"), (0, "never")] {
                        option { value: "{secs}", selected: pending().as_ref().unwrap_or(&settings).auto_lock_secs == secs, "{text}" }
                    }
                }
                label { class: "check",
                    input { id: "lock-when-hidden", r#type: "checkbox", checked: pending().as_ref().unwrap_or(&settings).lock_when_hidden, onchange: move |e| { let v = e.checked(); propose(Box::new(move |s| s.lock_when_hidden = v)) } }
                    "Lock when the window is minimised or hidden, or the app goes to the background"
                }
                label { r#for: "hidden-grace", "…after being away for" }
                select {
                    id: "hidden-grace",
                    onchange: move |e| { let v = e.value().parse().unwrap_or(30); propose(Box::new(move |s| s.hidden_grace_secs = v)) },
                    for (secs, text) in [(0u64, "no time: at once"), (30, "30 seconds"), (60, "1 minute"), (300, "5 minutes")] {
                        option { value: "{secs}", selected: pending().as_ref().unwrap_or(&settings).hidden_grace_secs == secs, "{text}" }
                    }
                }
                if cfg!(target_os = "android") {
                    label { class: "check",
                        input { id: "allow-screenshots", r#type: "checkbox", checked: pending().as_ref().unwrap_or(&settings).allow_screenshots, onchange: move |e| { let v = e.checked(); propose(Box::new(move |s| s.allow_screenshots = v)) } }
                        "Allow screenshots and screen recording (they show your codes)"
                    }
                }
                if pending().is_some() {
                    div { id: "lock-confirm", class: "banner warn", role: "alert",
                        p { "This makes Tessera lock less often. Confirm with your vault password." }
                        input { id: "lock-confirm-password", r#type: "password", aria_label: "Vault password", autocomplete: "current-password", value: "{confirm_password.read().as_str()}", oninput: move |e| confirm_password.set(Secret::new(e.value())) }
                        super::biometric::ReauthHint {}
                        button {
                            id: "lock-confirm-apply",
                            onclick: move |_| {
                                let Some(proposed) = pending() else { return };
                                let password = confirm_password.read().clone();
                                confirm_password.set(Secret::default());
                                ctx.reauthenticate(password, move || {
                                    pending.set(None);
                                    update(Box::new(move |s| *s = proposed));
                                    ctx.toast("Lock settings changed.", false, 4);
                                });
                            },
                            "Apply"
                        }
                        button { onclick: move |_| { pending.set(None); confirm_password.set(Secret::default()); }, "Cancel" }
                    }
                }
                label { class: "check",
                    input { id: "tap-to-reveal", r#type: "checkbox", checked: settings.tap_to_reveal, onchange: move |e| { let v = e.checked(); update(Box::new(move |s| s.tap_to_reveal = v)) } }
                    "Hide codes until tapped"
                }
                if keystore_on {
                    p { "Unlock with {KEYSTORE_PHRASE} on this device is on." }
                    button {
                        id: "keystore-off",
                        onclick: move |_| {
                            let result = ctx.with_state(|s| s.set_keystore_unlock(false));
                            ctx.report(result, &format!("Unlock through {KEYSTORE_PHRASE} is off."));
                        },
                        "Turn keyring unlock off"
                    }
                } else if offers_keystore {
                    label { r#for: "keystore-password", "Unlock with {KEYSTORE_PHRASE} on this device: confirm with your vault password" }
                    input { id: "keystore-password", r#type: "password", autocomplete: "current-password", value: "{keystore_password.read().as_str()}", oninput: move |e| keystore_password.set(Secret::new(e.value())) }
                    super::biometric::ReauthHint {}
                    button {
                        id: "keystore-on",
                        onclick: move |_| {
                            let password = keystore_password.read().clone();
                            keystore_password.set(Secret::default());
                            ctx.reauthenticate(password, move || {
                                let result = ctx.with_state(|s| s.set_keystore_unlock(true));
                                ctx.report(result, &format!("Unlock through {KEYSTORE_PHRASE} is on."));
                            });
                        },
                        "Turn keyring unlock on"
                    }
                }
            }
            super::biometric::UnlockWays {}
            super::sync::SyncSettings {}
            section {
                h2 { "Clipboard" }
                label { r#for: "clipboard-clear", "Clear copied codes after" }
                select {
                    id: "clipboard-clear",
                    onchange: move |e| { let v = e.value().parse().unwrap_or(30); update(Box::new(move |s| s.clipboard_clear_secs = v)) },
                    for (secs, text) in [(15u64, "15 seconds"), (30, "30 seconds"), (60, "1 minute"), (120, "2 minutes"), (0, "never")] {
                        option { value: "{secs}", selected: settings.clipboard_clear_secs == secs, "{text}" }
                    }
                }
            }
            section {
                h2 { "Appearance" }
                label { r#for: "theme", "Theme" }
                select {
                    id: "theme",
                    onchange: move |e| { let v = match e.value().as_str() { "light" => Theme::Light, "dark" => Theme::Dark, _ => Theme::System }; update(Box::new(move |s| s.theme = v)) },
                    option { value: "system", selected: settings.theme == Theme::System, "Like the system" }
                    option { value: "light", selected: settings.theme == Theme::Light, "Light" }
                    option { value: "dark", selected: settings.theme == Theme::Dark, "Dark" }
                }
                label { r#for: "group-by", "Group accounts by" }
                select {
                    id: "group-by",
                    onchange: move |e| { let v = match e.value().as_str() { "tenant" => GroupBy::Tenant, "tag" => GroupBy::Tag, "issuer" => GroupBy::Issuer, _ => GroupBy::None }; update(Box::new(move |s| s.group_by = v)) },
                    option { value: "none", selected: settings.group_by == GroupBy::None, "Nothing" }
                    option { value: "tenant", selected: settings.group_by == GroupBy::Tenant, "Tenant" }
                    option { value: "tag", selected: settings.group_by == GroupBy::Tag, "Tag" }
                    option { value: "issuer", selected: settings.group_by == GroupBy::Issuer, "Issuer" }
                }
                label { r#for: "sort-order", "Sort accounts by" }
                select {
                    id: "sort-order",
                    onchange: move |e| { if let Some(v) = SortOrder::from_id(&e.value()) { update(Box::new(move |s| s.sort = v)) } },
                    for order in SortOrder::ALL {
                        option { value: order.id(), selected: settings.sort == order, "{order.label()}" }
                    }
                }
                p { class: "muted", "Pinned accounts come first in every order. For your own order, use Move up and Move down in an account's menu." }
            }
            section {
                h2 { "Time" }
                p { class: "muted", "Codes depend on this device's clock. If a service keeps rejecting codes, the clock may be off: set it right in the system, or correct it here." }
                ClockCheckForm {}
                label { r#for: "clock-offset", "Correction in seconds (+ when this device is behind, − when it is ahead)" }
                input {
                    id: "clock-offset", r#type: "number", value: "{settings.clock_offset_secs}",
                    oninput: move |e| { if let Ok(v) = e.value().trim().parse::<i64>() { update(Box::new(move |s| s.clock_offset_secs = v.clamp(-86_400, 86_400))) } },
                }
                if settings.clock_offset_secs.abs() >= 30 {
                    p { class: "banner warn", "Codes are computed {settings.clock_offset_secs} s away from this device's clock." }
                }
            }
            section {
                h2 { "Change password" }
                label { r#for: "old-password", "Current password" }
                input { id: "old-password", r#type: "password", oninput: move |e| old.set(Secret::new(e.value())) }
                label { r#for: "new-password-1", "New password" }
                input { id: "new-password-1", r#type: "password", oninput: move |e| new.set(Secret::new(e.value())) }
                label { r#for: "new-password-2", "Repeat the new password" }
                input { id: "new-password-2", r#type: "password", oninput: move |e| again.set(Secret::new(e.value())) }
                button {
                    id: "change-password",
                    onclick: move |_| change_password(ctx, old.read().clone(), new.read().clone(), &again.read()),
                    "Change password"
                }
            }
        }
    }
}

/// Changes the password as a job: both key derivations off the UI thread, the vault open and
/// in use meanwhile, then the new key applied and saved in a moment.
fn change_password(ctx: Ctx, old: Secret, new: Secret, again: &str) {
    let job = ctx.state.read().password_job(old, new, again);
    let job = match job {
        Ok(job) => job,
        Err(e) => return ctx.error(&e),
    };
    ctx.run_job(
        "Changing the password…",
        move |progress| job.run(progress),
        move |prepared| match prepared.and_then(|p| ctx.with_state(|s| s.finish_password(p))) {
            Ok(_) => ctx.toast("Password changed: the old one opens nothing on this device. Automatic backups made before now still open with the old password. Turn keyring unlock on again if you use it.", false, 10),
            Err(e) => ctx.error(&e),
        },
    );
}

/// The offline clock check: choose an account, type the code another device shows for it now,
/// and see how far off this clock is, with the correction to apply.
#[component]
fn ClockCheckForm() -> Element {
    let ctx = use_ctx();
    // Time-based accounts only (HOTP has no clock); the first 200 are plenty to pick one.
    let accounts: Vec<(AccountId, String)> = ctx.state.read().timed_accounts(200);
    let mut chosen = use_signal(|| None::<AccountId>);
    let mut code = use_signal(String::new);
    let mut result = use_signal(|| None::<Result<ClockCheck, AppError>>);
    if accounts.is_empty() {
        return rsx! {};
    }
    let first = accounts[0].0;
    let check = move |_| {
        let id = chosen().unwrap_or(first);
        let checked = ctx.state.read().check_clock(id, &code.read());
        result.set(Some(checked));
    };
    rsx! {
        div { class: "clock-check",
            p { class: "muted", "Check the clock: type the code another device shows right now for the same account." }
            label { r#for: "clock-account", "Account" }
            select {
                id: "clock-account",
                onchange: move |e| chosen.set(accounts.iter().find(|(id, _)| id.to_string() == e.value()).map(|(id, _)| *id)),
                for (id, label) in accounts.iter() {
                    option { value: "{id}", "{label}" }
                }
            }
            label { r#for: "clock-code", "Code on the other device" }
            input { id: "clock-code", inputmode: "numeric", autocomplete: "off", oninput: move |e| code.set(e.value()) }
            button { id: "clock-check", onclick: check, "Check the clock" }
            match result() {
                Some(Ok(found)) => rsx! {
                    p { id: "clock-result", class: if found.correction == 0 { "banner ok" } else { "banner warn" }, role: "status", "{found.message}" }
                    if found.correction != ctx.state.read().settings.clock_offset_secs {
                        button {
                            id: "clock-apply",
                            onclick: move |_| {
                                let saved = ctx.with_state(|s| s.set_clock_correction(found.correction));
                                ctx.report(saved, &format!("Codes now use a correction of {} s.", found.correction));
                            },
                            "Use a correction of {found.correction} s"
                        }
                    }
                },
                Some(Err(error)) => rsx! { p { id: "clock-result", class: "error", role: "alert", "{error}" } },
                None => rsx! {},
            }
        }
    }
}
