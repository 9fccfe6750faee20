//! Copying codes: the current one (marked used in the vault), or the next one from the row
//! menu, with a toast; the clipboard is cleared after the user's timeout by a timer in the root
//! scope, so leaving the screen or a search does not cancel it.

use dioxus::prelude::*;
use tessera_core::otp::AccountId;

use super::Ctx;

/// Copies an account's code, with a toast, and clears the clipboard after the timeout.
pub fn copy_code(ctx: Ctx, id: AccountId) {
    let Some(code) = ctx.state.read().code_to_copy(id) else {
        return;
    };
    if copy_secret(ctx, code, "Copied")
        && let Err(e) = ctx.with_state(|s| s.mark_used(id))
    {
        ctx.error(&e);
    }
}

/// Copies the code after the current one (row menu), for a code about to expire.
pub fn copy_next_code(ctx: Ctx, id: AccountId) {
    let Some(code) = ctx.state.read().next_code_to_copy(id) else {
        return;
    };
    copy_secret(ctx, code, "Next code copied");
}

/// Copies a code with a toast saying `what`, and clears the clipboard after the timeout;
/// whether it was copied.
fn copy_secret(ctx: Ctx, code: zeroize::Zeroizing<String>, what: &str) -> bool {
    let clear_after = ctx.state.read().settings.clipboard_clear_secs;
    let copied = crate::platform::clipboard::system().copy_expiring(&code, clear_after);
    match copied {
        Ok(()) => {
            let tail = if clear_after > 0 {
                format!(" · clipboard clears in {clear_after} s")
            } else {
                String::new()
            };
            ctx.toast(format!("{what}{tail}"), false, 4);
            // The timer runs in the root scope: leaving this screen, a search or a lock does not
            // cancel it (a lock clears at once anyway).
            let ticket = crate::platform::clipboard::remember(&code);
            drop(code);
            if clear_after > 0 {
                dioxus::core::spawn_forever(async move {
                    tokio::time::sleep(std::time::Duration::from_secs(clear_after)).await;
                    if let Some(code) = crate::platform::clipboard::take(Some(ticket)) {
                        crate::platform::clipboard::system().clear_if(&code);
                    }
                });
            }
            true
        }
        Err(e) => {
            ctx.toast(
                format!("Could not copy: {e}. Select the code and copy it by hand."),
                false,
                6,
            );
            false
        }
    }
}
