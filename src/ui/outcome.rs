//! What happens after an add, wherever it came from (paste, type, image, camera): a toast and
//! back to the list, the guidance screen for a code Tessera cannot use, or the duplicate notice.

use dioxus::prelude::*;
use tessera_core::otp::PayloadError;

use super::{Ctx, Screen};
use crate::app::{AddOutcome, AppError, Duplicate, NewMeta, PinRequest};

/// Where an add's outcome goes when it is not a toast: the guidance screen for codes Tessera
/// cannot use, the duplicate notice for an account the vault already has.
#[derive(Clone, Copy, PartialEq)]
pub struct Outcomes {
    pub(super) guidance: Signal<Option<PayloadError>>,
    pub(super) duplicate: Signal<Option<(Duplicate, NewMeta)>>,
    /// A Yandex or mOTP code waiting for its PIN.
    pub(super) pin: Signal<Option<(PinRequest, NewMeta)>>,
}

/// What to do with an add's outcome: toast and go back, or show guidance or the duplicate.
pub(super) fn finish(
    ctx: Ctx,
    result: Result<AddOutcome, AppError>,
    meta: &NewMeta,
    outcome: Outcomes,
) {
    match result {
        Ok(AddOutcome::Added {
            ids,
            duplicates,
            batch,
        }) => {
            let mut text = match ids.len() {
                0 => String::new(),
                1 => "Account added.".to_owned(),
                n => format!("{n} accounts added."),
            };
            if let Some(batch) = batch {
                text.push_str(&format!(
                    " Google Authenticator export: {} of {} QR codes scanned.",
                    batch.seen.len(),
                    batch.size
                ));
                if !batch.is_complete() {
                    text.push_str(" Show the next QR code.");
                    ctx.toast(text.trim().to_owned(), false, 6);
                    return;
                }
            }
            if ids.is_empty()
                && let Some(first) = duplicates.first()
            {
                let mut duplicate = outcome.duplicate;
                duplicate.set(Some((first.clone(), meta.clone())));
                return;
            }
            if !duplicates.is_empty() {
                let labels: Vec<&str> = duplicates.iter().map(|d| d.label.as_str()).collect();
                text.push_str(&format!(" You already have: {}.", labels.join(", ")));
            }
            ctx.toast(text.trim().to_owned(), false, 6);
            if !ids.is_empty() {
                ctx.go(Screen::List);
            }
        }
        Ok(AddOutcome::Guidance(error)) => {
            let mut guidance = outcome.guidance;
            guidance.set(Some(error));
        }
        Ok(AddOutcome::NeedsPin(request)) => {
            let mut pin = outcome.pin;
            pin.set(Some((request, meta.clone())));
        }
        Err(error) => ctx.error(&error),
    }
}

/// "This code needs its PIN": Yandex and mOTP QR codes leave out the PIN their owner chose.
#[component]
pub(super) fn PinNotice(request: PinRequest, meta: NewMeta, outcome: Outcomes) -> Element {
    let ctx = super::use_ctx();
    let mut typed = use_signal(String::new);
    let kind = request.kind;
    let mut pending = outcome.pin;
    let mut add = move || {
        let result = ctx.with_state(|s| s.add_with_pin(&request, &typed.read(), &meta));
        if !matches!(result, Err(AppError::Otp(_))) {
            pending.set(None);
        }
        finish(ctx, result, &meta, outcome);
    };
    let mut add_on_enter = add.clone();
    rsx! {
        main { class: "guidance", role: "dialog", aria_labelledby: "pin-title",
            h1 { id: "pin-title", "This {kind} code needs its PIN" }
            p { "Enter the PIN you chose when you set up this account. Tessera keeps it encrypted with the account's secret and uses it for every code." }
            label { r#for: "pin-input", "PIN" }
            input {
                id: "pin-input", r#type: "password", inputmode: "numeric", autocomplete: "off",
                autofocus: true,
                oninput: move |e| typed.set(e.value()),
                onkeydown: move |e| if e.key() == Key::Enter { add_on_enter() },
            }
            button { id: "pin-add", class: "primary", disabled: typed.read().trim().is_empty(), onclick: move |_| add(), "Add" }
            button { id: "pin-cancel", onclick: move |_| pending.set(None), "Cancel" }
        }
    }
}
