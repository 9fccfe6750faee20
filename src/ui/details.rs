//! One account: edit issuer, name, tenant, tags and note; pin; its icon; the QR code after the password;
//! move to trash with Undo; the other authenticators for the same account beside it.

use dioxus::prelude::*;
use tessera_core::otp::AccountId;

use super::{Screen, Secret, use_ctx};
use crate::app::accounts::DetailsForm;
use crate::app::rows::human_time as utc_stamp;

/// The details screen.
#[component]
pub fn Details(id: AccountId) -> Element {
    let ctx = use_ctx();
    let state = ctx.state.read();
    let Some(account) = state.account(id).cloned() else {
        drop(state);
        return rsx! { main { p { "This account is no longer here." } button { onclick: move |_| ctx.go(Screen::List), "Back" } } };
    };
    // Every authenticator for this account (same issuer and name), this one included, to
    // compare side by side.
    let twins = state.twins_of(id);
    drop(state);
    let mut issuer = use_signal(|| account.issuer.clone());
    let mut name = use_signal(|| account.name.clone());
    let mut tenant = use_signal(|| account.tenant.clone());
    let mut tags = use_signal(|| account.tags.join(", "));
    let mut note = use_signal(|| account.note.clone());
    let mut reveal_password = use_signal(Secret::default);
    let mut revealed = use_signal(|| None::<(Secret, Secret)>);
    let save = move |_| {
        let form = DetailsForm {
            issuer: issuer.read().clone(),
            name: name.read().clone(),
            tenant: tenant.read().clone(),
            tags: tags.read().clone(),
            note: note.read().clone(),
        };
        let result = ctx.with_state(|s| s.save_details(id, &form));
        ctx.report(result, "Saved.");
    };
    let pinned = account.pinned;
    let last_used = match account.last_used {
        Some(at) => format!("last used {}", utc_stamp(at)),
        None => "not used yet".to_owned(),
    };
    rsx! {
        header { class: "bar",
            button { class: "back", aria_label: "Back", onclick: move |_| ctx.go(Screen::List), super::widgets::Icon { name: "back" } }
            h1 { "{account.label()}" }
        }
        main { class: "details",
            if let Some(other) = account.conflict_of {
                div { id: "conflict-banner", class: "banner warn", role: "alert",
                    p { "Two programs or two of your devices changed this account at the same time; this is the second version. Compare it with the other, then keep both, or move one to the trash." }
                    button { onclick: move |_| ctx.go(Screen::Details(other)), "Open the other version" }
                    button {
                        id: "conflict-keep",
                        onclick: move |_| {
                            if let Err(e) = ctx.with_state(|s| s.keep_both(id)) { ctx.error(&e); }
                        },
                        "Keep both"
                    }
                }
            }
            label { r#for: "edit-issuer", "Issuer" }
            input { id: "edit-issuer", value: "{account.issuer}", oninput: move |e| issuer.set(e.value()) }
            label { r#for: "edit-name", "Account name" }
            input { id: "edit-name", value: "{account.name}", oninput: move |e| name.set(e.value()) }
            label { r#for: "edit-tenant", "Tenant or customer" }
            input { id: "edit-tenant", value: "{account.tenant}", oninput: move |e| tenant.set(e.value()) }
            label { r#for: "edit-tags", "Tags (comma-separated)" }
            input { id: "edit-tags", value: "{account.tags.join(\", \")}", oninput: move |e| tags.set(e.value()) }
            label { r#for: "edit-note", "Note" }
            textarea { id: "edit-note", rows: 5, placeholder: "Which tenant? Which device? How to re-enrol?", initial_value: "{account.note}", oninput: move |e| note.set(e.value()) }
            div { class: "row-buttons",
                button { id: "save-details", class: "primary", onclick: save, "Save" }
                button {
                    id: "pin",
                    onclick: move |_| ctx.pin(id, !pinned),
                    if pinned { "Unpin" } else { "Pin to top" }
                }
                button {
                    id: "trash-account", class: "danger",
                    onclick: move |_| {
                        if ctx.trash(id) {
                            ctx.go(Screen::List);
                        }
                    },
                    "Move to trash"
                }
            }
            p { class: "muted",
                "{account.otp.kind().display_name()} · {account.otp.algorithm_name()} · {account.otp.digits()} digits · added {utc_stamp(account.created)} · changed {utc_stamp(account.updated)} · {last_used}"
            }
            if twins.len() > 1 {
                section { class: "twins", aria_label: "Authenticators for this account",
                    h2 { "{twins.len()} authenticators for this account" }
                    div { class: "twin-cards",
                        for (n, twin) in twins.into_iter().enumerate() {
                            article {
                                class: if twin.id == id { "twin-card this" } else { "twin-card" },
                                aria_label: "Authenticator {n + 1}",
                                h3 { if twin.id == id { "Authenticator {n + 1} (this one)" } else { "Authenticator {n + 1}" } }
                                p { class: "twin-note", if twin.note.is_empty() { "(no note)" } else { "{twin.note}" } }
                                if !twin.tenant.is_empty() {
                                    p { class: "chip tenant", "{twin.tenant}" }
                                }
                                p { class: "muted", "added {utc_stamp(twin.created)}" }
                                if twin.id != id {
                                    button { class: "twin-link", onclick: move |_| ctx.go(Screen::Details(twin.id)), "Open" }
                                }
                            }
                        }
                    }
                }
            }
            super::icon_picker::IconPicker { account: account.clone() }
            section { class: "secret",
                h2 { "Secret and QR code" }
                match revealed() {
                    None => rsx! {
                        p { class: "muted", "Enter your password to show the secret and its QR code (to enrol another device)." }
                        input { id: "reveal-password", r#type: "password", aria_label: "Password", value: "{reveal_password.read().as_str()}", oninput: move |e| reveal_password.set(Secret::new(e.value())) }
                        super::biometric::ReauthHint {}
                        button {
                            id: "reveal",
                            onclick: move |_| {
                                let password = reveal_password.read().clone();
                                reveal_password.set(Secret::default());
                                ctx.reauthenticate(password, move || {
                                    let shown = ctx.state.read().secret_and_qr(id);
                                    match shown {
                                        Ok(shown) => revealed.set(Some(shown)),
                                        Err(e) => ctx.error(&e),
                                    }
                                });
                            },
                            "Show"
                        }
                    },
                    Some((uri, png)) => rsx! {
                        img { class: "qr", alt: "QR code of this account", src: "data:image/png;base64,{png.as_str()}" }
                        code { class: "uri", "{uri.as_str()}" }
                        button { onclick: move |_| revealed.set(None), "Hide" }
                    },
                }
            }
        }
    }
}
