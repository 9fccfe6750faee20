//! The desktop keyboard: shortcuts of the list, the `/` and Ctrl+F search keys and `?` (in the
//! page, where it is known whether a text field has focus), and the overlay listing them.

use dioxus::prelude::*;
use tessera_core::otp::AccountId;

use super::copy::{copy_code, copy_next_code};
use super::{Ctx, Screen, use_ctx};

/// At most this many rows are drawn; a search narrows the rest (10,000 accounts stay fast).
pub const MAX_ROWS: usize = 60;

/// Moves an account in the user's own order (the list switches to that order).
pub fn move_account(ctx: Ctx, id: AccountId, up: bool) {
    if let Err(error) = ctx.with_state(|s| s.move_account(id, up)) {
        ctx.error(&error);
    }
}

/// Every shortcut, as the overlay lists them.
pub const SHORTCUTS: [(&str, &str); 10] = [
    ("/ or Ctrl+F", "Search"),
    ("Up, Down", "Move through the accounts"),
    ("Enter", "Copy the code"),
    ("Shift+Enter", "Copy the next code"),
    ("Alt+Up, Alt+Down", "Move the account in your own order"),
    ("Esc", "Clear the search, close a menu or this list"),
    ("Ctrl+N", "Add an account"),
    ("Ctrl+L", "Lock"),
    ("?", "Show these shortcuts"),
    ("Tab", "Go through the buttons"),
];

/// Installs the page's own key handler once: `/` and Ctrl+F focus the search, `?` opens the
/// shortcuts, unless a text field has focus (then the keys are text).
pub fn listen_in_page() {
    document::eval(
        "if (!window.__tesseraKeys) { window.__tesseraKeys = true; document.addEventListener('keydown', e => { \
           const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement && document.activeElement.tagName); \
           if ((e.key === '/' && !typing) || ((e.ctrlKey || e.metaKey) && e.key === 'f')) { \
             const s = document.getElementById('search'); if (s) { e.preventDefault(); s.focus(); } } \
           else if (e.key === '?' && !typing) { const h = document.getElementById('nav-keys'); if (h) { e.preventDefault(); h.click(); } } }); }",
    );
}

/// Keyboard shortcuts of the list (the `/` and Ctrl+F focus keys are handled in the page, where
/// it is known whether a text field has focus).
pub fn shortcuts(ctx: Ctx, event: KeyboardEvent) {
    let mut ctx = ctx;
    ctx.with_state(|s| s.touch());
    if ctx.ui.read().help {
        if event.key() == Key::Escape {
            ctx.ui.write().help = false;
        }
        return;
    }
    if ctx.ui.read().screen != Screen::List {
        if event.key() == Key::Escape {
            ctx.go(Screen::List);
        }
        return;
    }
    let ctrl = event.modifiers().ctrl() || event.modifiers().meta();
    match event.key() {
        Key::Character(c) if ctrl && c == "l" => ctx.lock(),
        Key::Character(c) if ctrl && c == "n" => ctx.go(Screen::Add),
        // Alt+arrows move the selected account in the user's own order; the selection follows.
        Key::ArrowUp | Key::ArrowDown if event.modifiers().alt() => {
            let up = event.key() == Key::ArrowUp;
            if let Some(id) = selected_row(ctx) {
                move_account(ctx, id, up);
                let mut ui = ctx.ui.write();
                ui.selected = if up {
                    ui.selected.saturating_sub(1)
                } else {
                    ui.selected + 1
                };
            }
        }
        Key::ArrowDown => ctx.ui.write().selected += 1,
        Key::ArrowUp => {
            let mut ui = ctx.ui.write();
            ui.selected = ui.selected.saturating_sub(1);
        }
        Key::Escape if ctx.ui.read().menu.is_some() => ctx.ui.write().menu = None,
        Key::Escape => {
            let mut ui = ctx.ui.write();
            ui.query.clear();
            ui.selected = 0;
            document::eval("const s = document.getElementById('search'); if (s) { s.value = ''; }");
        }
        // Enter copies the selected row's code, Shift+Enter its next one.
        Key::Enter => {
            if let Some(id) = selected_row(ctx) {
                if event.modifiers().shift() {
                    copy_next_code(ctx, id);
                } else {
                    copy_code(ctx, id);
                }
            }
        }
        _ => {}
    }
}

/// The account of the row the keyboard selection is on.
fn selected_row(ctx: Ctx) -> Option<AccountId> {
    let (query, filter, selected, now) = {
        let ui = ctx.ui.read();
        (ui.query.clone(), ui.filter.clone(), ui.selected, ui.now)
    };
    let (rows, _) = ctx.state.read().rows_in(&query, &filter, now, MAX_ROWS);
    rows.get(selected.min(rows.len().saturating_sub(1)))
        .map(|row| row.id)
}

/// The list of shortcuts (`?`): a dialog, closed with Esc or its button.
#[component]
pub fn KeyHelp() -> Element {
    let ctx = use_ctx();
    let close = move |_| {
        let mut ui = ctx.ui;
        ui.write().help = false;
    };
    rsx! {
        div { class: "overlay", onclick: close,
            div {
                id: "key-help", class: "dialog", role: "dialog", aria_modal: "true", aria_labelledby: "key-help-title",
                onclick: move |e| e.stop_propagation(),
                h2 { id: "key-help-title", "Keyboard shortcuts" }
                dl {
                    for (keys, what) in SHORTCUTS {
                        dt { kbd { "{keys}" } }
                        dd { "{what}" }
                    }
                }
                button { id: "key-help-close", class: "primary", autofocus: true, onclick: close, "Close" }
            }
        }
    }
}
