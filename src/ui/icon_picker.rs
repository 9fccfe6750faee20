//! The details screen's icon choice: the icon shown now and why, a search of the bundled brand
//! icons, the letter only, back to automatic, or a picture of the user's own.

use dioxus::prelude::*;
use tessera_core::otp::{Account, AccountIcon, AccountId};

use super::use_ctx;
use super::widgets::Avatar;
use crate::app::icons::{self, Shown};
use crate::app::rows::hue;

/// How many search results are shown.
const RESULTS: usize = 24;

/// The icon section of the details screen.
#[component]
pub fn IconPicker(account: Account) -> Element {
    let ctx = use_ctx();
    let id = account.id;
    let mut query = use_signal(String::new);
    let shown = icons::shown(&account);
    let letter: String = account
        .issuer
        .chars()
        .chain(account.name.chars())
        .next()
        .map_or_else(|| "?".into(), |c| c.to_uppercase().to_string());
    let colour = hue(if account.issuer.is_empty() {
        &account.name
    } else {
        &account.issuer
    });
    let why = match (&account.icon, &shown) {
        (Some(AccountIcon::Image(_)), _) => "your picture".to_owned(),
        (Some(AccountIcon::Letter), _) => "the letter, as you chose".to_owned(),
        (Some(AccountIcon::Brand(_)), Shown::Brand(b)) => format!("{}, as you chose", b.title),
        (_, Shown::Brand(b)) => format!("{}, matched from the name", b.title),
        _ => "the letter: no bundled icon matches the name".to_owned(),
    };
    let results: Vec<&'static icons::Brand> = icons::icons().search(&query.read(), RESULTS);
    let set = move |icon: Option<AccountIcon>| {
        let result = ctx.with_state(|s| s.set_icon(id, icon));
        ctx.report(result, "Icon changed.");
    };
    rsx! {
        section { class: "icon-picker", aria_label: "Icon",
            h2 { "Icon" }
            div { class: "icon-now",
                Avatar { letter: letter.clone(), hue: colour, icon: shown.clone() }
                span { id: "icon-why", "{why}" }
            }
            label { r#for: "icon-search", "Find an icon ({icons::icons().len()} brands)" }
            input {
                id: "icon-search", r#type: "search", placeholder: "GitHub, Google, Cloudflare…",
                autocomplete: "off", spellcheck: false,
                oninput: move |e| query.set(e.value()),
            }
            if !results.is_empty() {
                div { id: "icon-results", class: "icon-results", role: "list",
                    for brand in results {
                        button {
                            role: "listitem",
                            class: "icon-choice",
                            aria_label: "Use the {brand.title} icon",
                            "data-slug": brand.slug,
                            onclick: move |_| set(Some(AccountIcon::Brand(brand.slug.to_owned()))),
                            Avatar { letter: letter.clone(), hue: colour, icon: Shown::Brand(brand) }
                            span { "{brand.title}" }
                        }
                    }
                }
            } else if !query.read().trim().is_empty() {
                p { class: "muted", "No bundled icon is called that; use a picture of your own." }
            }
            div { class: "row-buttons",
                button { id: "icon-letter", onclick: move |_| set(Some(AccountIcon::Letter)), "Letter only" }
                button { id: "icon-auto", onclick: move |_| set(None), "Match automatically" }
                label { class: "button", r#for: "icon-file", "Use your own picture…" }
                input {
                    id: "icon-file", class: "visually-hidden", r#type: "file",
                    accept: "image/png,image/jpeg,image/gif,image/webp,image/bmp,image/svg+xml",
                    onchange: move |e| own_picture(ctx, id, e),
                }
            }
            p { class: "muted", "A picture is scaled down to 96 pixels and kept encrypted in the vault with the account." }
        }
    }
}

/// Reads the chosen file and sets it as the icon (scaling runs off the UI thread).
fn own_picture(ctx: super::Ctx, id: AccountId, e: Event<FormData>) {
    spawn(async move {
        let Some(file) = e.files().into_iter().next() else {
            return;
        };
        if file.size() > icons::MAX_PICTURE_BYTES {
            ctx.toast(
                "That picture is larger than 24 MB; choose a smaller one.",
                false,
                6,
            );
            return;
        }
        let Ok(bytes) = file.read_bytes().await else {
            ctx.toast("Could not read that file. Choose it again.", false, 6);
            return;
        };
        ctx.run_cancellable_job(
            "Scaling the picture…",
            move |_| icons::picture(&bytes),
            move |icon| match icon {
                Ok(icon) => {
                    let result = ctx.with_state(|s| s.set_icon(id, Some(icon)));
                    ctx.report(result, "Icon changed.");
                }
                Err(e) => ctx.error(&e),
            },
        );
    });
}
