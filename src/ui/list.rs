//! The account list: search, live codes with countdown rings, copy on click, pinned first,
//! groups, HOTP "next", and the desktop keyboard.

use dioxus::prelude::*;
use tessera_core::otp::AccountId;

use super::widgets::{Avatar, Icon, Ring};
use super::{Ctx, Screen};
use crate::app::rows::Row;

/// At most this many rows are drawn; a search narrows the rest (10,000 accounts stay fast).
pub const MAX_ROWS: usize = 60;

/// Copies an account's code, with a toast, and clears the clipboard after the timeout.
pub fn copy_code(ctx: Ctx, id: AccountId) {
    let Some(code) = ctx.state.read().code_to_copy(id) else {
        return;
    };
    let clear_after = ctx.state.read().settings.clipboard_clear_secs;
    let copied = copy_text(&code);
    match copied {
        Ok(()) => {
            let tail = if clear_after > 0 {
                format!(" · clipboard clears in {clear_after} s")
            } else {
                String::new()
            };
            ctx.toast(format!("Copied{tail}"), false, 4);
            if clear_after > 0 {
                spawn(async move {
                    tokio::time::sleep(std::time::Duration::from_secs(clear_after)).await;
                    clear_text(&code);
                });
            }
        }
        Err(e) => ctx.toast(
            format!("Could not copy: {e}. Select the code and copy it by hand."),
            false,
            6,
        ),
    }
}

#[cfg(feature = "desktop")]
fn copy_text(text: &str) -> Result<(), String> {
    use crate::platform::clipboard::{Clipboard, SystemClipboard};
    SystemClipboard.copy(text)
}

#[cfg(feature = "desktop")]
fn clear_text(text: &str) {
    use crate::platform::clipboard::{Clipboard, SystemClipboard};
    SystemClipboard.clear_if(text);
}

#[cfg(not(feature = "desktop"))]
fn copy_text(text: &str) -> Result<(), String> {
    let js = format!(
        "navigator.clipboard.writeText({})",
        serde_json::to_string(text).unwrap_or_default()
    );
    document::eval(&js);
    Ok(())
}

#[cfg(not(feature = "desktop"))]
fn clear_text(_text: &str) {
    document::eval("navigator.clipboard.writeText('')");
}

/// Keyboard shortcuts of the list (the `/` and Ctrl+F focus keys are handled in the page, where
/// it is known whether a text field has focus).
pub fn shortcuts(ctx: Ctx, event: KeyboardEvent) {
    let mut ctx = ctx;
    ctx.with_state(|s| s.touch());
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
        Key::ArrowDown => ctx.ui.write().selected += 1,
        Key::ArrowUp => {
            let mut ui = ctx.ui.write();
            ui.selected = ui.selected.saturating_sub(1);
        }
        Key::Escape => {
            let mut ui = ctx.ui.write();
            ui.query.clear();
            ui.selected = 0;
            document::eval("const s = document.getElementById('search'); if (s) { s.value = ''; }");
        }
        Key::Enter => {
            let (query, selected, now) = {
                let ui = ctx.ui.read();
                (ui.query.clone(), ui.selected, ui.now)
            };
            let (rows, _) = ctx.state.read().rows_limited(&query, now, MAX_ROWS);
            if let Some(row) = rows.get(selected.min(rows.len().saturating_sub(1))) {
                copy_code(ctx, row.id);
            }
        }
        _ => {}
    }
}

/// The home screen.
#[component]
pub fn AccountList() -> Element {
    let ctx = use_context::<Ctx>();
    use_effect(|| {
        document::eval(
            "if (!window.__tesseraKeys) { window.__tesseraKeys = true; document.addEventListener('keydown', e => { \
               const typing = ['INPUT', 'TEXTAREA'].includes(document.activeElement && document.activeElement.tagName); \
               if ((e.key === '/' && !typing) || ((e.ctrlKey || e.metaKey) && e.key === 'f')) { \
                 const s = document.getElementById('search'); if (s) { e.preventDefault(); s.focus(); } } }); }",
        );
    });
    let ui = ctx.ui.read();
    let (query, now, selected) = (ui.query.clone(), ui.now, ui.selected);
    let revealed = ui.revealed.clone();
    drop(ui);
    let state = ctx.state.read();
    let tap_to_reveal = state.settings.tap_to_reveal;
    let total = state
        .vault()
        .map(|v| v.len() - v.trash().len())
        .unwrap_or(0);
    let (rows, matching) = state.rows_limited(&query, state.now().max(now), MAX_ROWS);
    drop(state);
    let shown = rows.len();
    let selected = selected.min(shown.saturating_sub(1));
    let mut last_group = String::new();
    let rows: Vec<(Row, String)> = rows
        .into_iter()
        .take(MAX_ROWS)
        .map(|row| {
            let header = if row.group != last_group {
                last_group = row.group.clone();
                row.group.clone()
            } else {
                String::new()
            };
            (row, header)
        })
        .collect();
    let no_match = rows.is_empty();
    rsx! {
        header { class: "bar",
            input {
                id: "search", r#type: "search", placeholder: "Search accounts, tenants, notes",
                aria_label: "Search accounts, tenants, tags and notes",
                autocomplete: "off", spellcheck: false,
                oninput: move |e| {
                    let mut ui = ctx.ui;
                    let mut ui = ui.write();
                    ui.query = e.value();
                    ui.selected = 0;
                },
            }
            nav { class: "actions",
                button { id: "nav-add", aria_label: "Add account", title: "Add account (Ctrl+N)", onclick: move |_| ctx.go(Screen::Add), Icon { name: "add" } }
                button { id: "nav-transfer", aria_label: "Backup and transfer", title: "Backup and transfer", onclick: move |_| ctx.go(Screen::Transfer), Icon { name: "transfer" } }
                button { id: "nav-trash", aria_label: "Trash", title: "Trash", onclick: move |_| ctx.go(Screen::Trash), Icon { name: "trash" } }
                button { id: "nav-settings", aria_label: "Settings", title: "Settings", onclick: move |_| ctx.go(Screen::Settings), Icon { name: "settings" } }
                button { id: "nav-lock", aria_label: "Lock", title: "Lock (Ctrl+L)", onclick: move |_| ctx.lock(), Icon { name: "lock" } }
            }
        }
        main { class: "list",
            if total == 0 {
                div { class: "empty",
                    h2 { "No accounts yet" }
                    button { class: "big", onclick: move |_| ctx.go(Screen::Add), "Scan a QR code" }
                    button { class: "big", onclick: move |_| ctx.go(Screen::Transfer), "Import from another app" }
                    button { class: "big", onclick: move |_| ctx.go(Screen::Transfer), "Restore a Tessera backup" }
                    p { class: "muted", "Moving from another phone? Restore your backup here." }
                }
            } else if no_match {
                p { class: "muted empty-search", "No account matches “{query}”." }
            }
            ul { id: "accounts", role: "list",
                for (i, (row, header)) in rows.into_iter().enumerate() {
                    AccountRow {
                        key: "{row.id}",
                        header,
                        hidden: tap_to_reveal && !revealed.contains(&row.id),
                        selected: i == selected,
                        row,
                    }
                }
            }
            if shown < matching {
                p { class: "muted", "Showing {shown} of {matching} accounts; type to narrow the list." }
            }
        }
    }
}

/// One account: avatar, issuer, name, tenant, note marker, code and ring.
#[component]
fn AccountRow(row: Row, header: String, hidden: bool, selected: bool) -> Element {
    let ctx = use_context::<Ctx>();
    let id = row.id;
    let hotp = row.seconds_left.is_none();
    let late = row.seconds_left.is_some_and(|s| s <= 10);
    let code = if hidden {
        "••• •••".to_owned()
    } else {
        row.code.clone()
    };
    let name = row.accessible_name();
    rsx! {
        if !header.is_empty() {
            li { class: "group", role: "presentation", "{header}" }
        }
        li {
            class: if selected { "row selected" } else { "row" },
            "data-id": "{id}",
            button {
                class: "copy",
                aria_label: if hidden { format!("{}, tap to show the code", row.title) } else { format!("{name}. Copy") },
                onclick: move |_| {
                    let mut ui = ctx.ui;
                    if hidden {
                        ui.write().revealed.push(id);
                    }
                    copy_code(ctx, id);
                },
                Avatar { letter: row.letter.clone(), hue: row.hue }
                span { class: "who",
                    span { class: "issuer", "{row.title}" }
                    if !row.subtitle.is_empty() {
                        span { class: "name", "{row.subtitle}" }
                    }
                    span { class: "meta",
                        if !row.tenant.is_empty() {
                            span { class: "chip tenant", "{row.tenant}" }
                        }
                        for tag in row.tags.iter() {
                            span { class: "chip", "#{tag}" }
                        }
                        if let Some((n, of)) = row.twin {
                            span { class: "twin", "authenticator {n} of {of}" }
                        }
                        if !row.note_line.is_empty() {
                            span { class: "note-line", title: "Note", "✎ {row.note_line}" }
                        }
                    }
                }
                span { class: "codes",
                    span { class: "code", "{code}" }
                    if late && !hidden {
                        span { class: "next", "next {row.next}" }
                    }
                }
            }
            if hotp {
                button {
                    class: "hotp-next", aria_label: "Next code for {row.title}",
                    onclick: move |_| {
                        let result = ctx.with_state(|s| s.next_hotp(id));
                        if let Err(e) = result { ctx.error(&e); }
                    },
                    "Next"
                }
            } else if let Some(left) = row.seconds_left {
                Ring { left, period: row.period }
            }
            button {
                class: "more", aria_label: "Details of {row.title}",
                onclick: move |_| ctx.go(Screen::Details(id)),
                "⋯"
            }
        }
    }
}
