//! One account: edit issuer, name, tenant, tags and note; pin; the QR code after the password;
//! move to trash with Undo; the other authenticators for the same account beside it.

use base64::Engine;
use dioxus::prelude::*;
use tessera_core::otp::AccountId;
use tessera_core::vault::Edit;

use super::{Ctx, Screen, Secret};
use crate::app::rows::human_time as utc_stamp;

/// One authenticator of an account, for the side-by-side comparison.
#[derive(Clone, PartialEq)]
struct Twin {
    id: AccountId,
    note: String,
    tenant: String,
    added: String,
}

/// The details screen.
#[component]
pub fn Details(id: AccountId) -> Element {
    let ctx = use_context::<Ctx>();
    let state = ctx.state.read();
    let Some(account) = state.account(id).cloned() else {
        drop(state);
        return rsx! { main { p { "This account is no longer here." } button { onclick: move |_| ctx.go(Screen::List), "Back" } } };
    };
    // Every authenticator for this account (same issuer and name), this one included, to
    // compare side by side.
    let twins: Vec<Twin> = state
        .vault()
        .map(|v| {
            v.accounts()
                .into_iter()
                .filter(|a| {
                    a.issuer.eq_ignore_ascii_case(&account.issuer)
                        && a.name.eq_ignore_ascii_case(&account.name)
                })
                .map(|a| Twin {
                    id: a.id,
                    note: a.note.clone(),
                    tenant: a.tenant.clone(),
                    added: utc_stamp(a.created),
                })
                .collect()
        })
        .unwrap_or_default();
    drop(state);
    let mut issuer = use_signal(|| account.issuer.clone());
    let mut name = use_signal(|| account.name.clone());
    let mut tenant = use_signal(|| account.tenant.clone());
    let mut tags = use_signal(|| account.tags.join(", "));
    let mut note = use_signal(|| account.note.clone());
    let mut reveal_password = use_signal(Secret::default);
    let mut revealed = use_signal(|| None::<(Secret, Secret)>);
    let original_tags = account.tags.clone();
    let save = move |_| {
        let new_tags: Vec<String> = tags
            .read()
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        let edit = Edit {
            issuer: Some(issuer.read().trim().to_owned()),
            name: Some(name.read().trim().to_owned()),
            tenant: Some(tenant.read().trim().to_owned()),
            note: Some(note.read().clone()),
            add_tags: new_tags.clone(),
            remove_tags: original_tags
                .iter()
                .filter(|t| !new_tags.contains(t))
                .cloned()
                .collect(),
            pinned: None,
            resolve_conflict: false,
        };
        let result = ctx.with_state(|s| s.edit(id, edit));
        match result {
            Ok(()) => ctx.toast("Saved.", false, 3),
            Err(e) => ctx.error(&e),
        }
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
                    p { "Two programs changed this account at the same time; this is the second version. Compare it with the other, then keep both, or move one to the trash." }
                    button { onclick: move |_| ctx.go(Screen::Details(other)), "Open the other version" }
                    button {
                        id: "conflict-keep",
                        onclick: move |_| {
                            let edit = Edit { resolve_conflict: true, ..Default::default() };
                            if let Err(e) = ctx.with_state(|s| s.edit(id, edit)) { ctx.error(&e); }
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
                "{account.otp.kind().as_str().to_uppercase()} · {account.otp.algorithm().as_str()} · {account.otp.digits()} digits · added {utc_stamp(account.created)} · changed {utc_stamp(account.updated)} · {last_used}"
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
                                p { class: "muted", "added {twin.added}" }
                                if twin.id != id {
                                    button { class: "twin-link", onclick: move |_| ctx.go(Screen::Details(twin.id)), "Open" }
                                }
                            }
                        }
                    }
                }
            }
            section { class: "secret",
                h2 { "Secret and QR code" }
                match revealed() {
                    None => rsx! {
                        p { class: "muted", "Enter your password to show the secret and its QR code (to enrol another device)." }
                        input { id: "reveal-password", r#type: "password", aria_label: "Password", value: "{reveal_password.read().as_str()}", oninput: move |e| reveal_password.set(Secret::new(e.value())) }
                        button {
                            id: "reveal",
                            onclick: move |_| {
                                let password = reveal_password.read().clone();
                                reveal_password.set(Secret::default());
                                ctx.reauthenticate(password, move || {
                                    let uri = ctx.state.read().uri_of(id);
                                    match uri {
                                        Ok(uri) => {
                                            let png = tessera_core::transfer::export::qr::png(&uri).unwrap_or_default();
                                            revealed.set(Some((uri, Secret::new(base64::engine::general_purpose::STANDARD.encode(png)))));
                                        }
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
