//! What happens after an add, wherever it came from (paste, type, image, camera): a toast and
//! back to the list, the guidance screen for a code Tessera cannot use, or the duplicate notice.

use dioxus::prelude::*;
use tessera_core::otp::PayloadError;

use super::{Ctx, Screen};
use crate::app::{AddOutcome, AppError, Duplicate, NewMeta};

/// Where an add's outcome goes when it is not a toast: the guidance screen for codes Tessera
/// cannot use, the duplicate notice for an account the vault already has.
#[derive(Clone, Copy, PartialEq)]
pub struct Outcomes {
    pub(super) guidance: Signal<Option<PayloadError>>,
    pub(super) duplicate: Signal<Option<(Duplicate, NewMeta)>>,
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
        Err(error) => ctx.error(&error),
    }
}
