//! The account list: search, live codes with countdown rings, copy on click, pinned first,
//! groups, HOTP "next", and the desktop keyboard.

use dioxus::prelude::*;
use tessera_core::otp::{AccountId, unix_now};

use super::copy::{copy_code, copy_next_code};
use super::keys::{MAX_ROWS, move_account};
use super::widgets::{Avatar, Icon, Ring};
use super::{Screen, use_ctx};
use crate::app::Filter;
use crate::app::rows::Row;

/// The home screen.
#[component]
pub fn AccountList() -> Element {
    let ctx = use_ctx();
    use_effect(super::keys::listen_in_page);
    use_effect(hold_headers_under_the_bar);
    let ui = ctx.ui.read();
    let (query, now, selected) = (ui.query.clone(), ui.now, ui.selected);
    let (filter, menu, help) = (ui.filter.clone(), ui.menu, ui.help);
    let revealed = ui.revealed.clone();
    drop(ui);
    let state = ctx.state.read();
    let tap_to_reveal = state.settings.tap_to_reveal;
    let total = state.live_count();
    let filters = state.filters();
    // A tenant or tag that is gone (renamed, trashed) no longer filters.
    let filter = if filters.contains(&filter) {
        filter
    } else {
        Filter::All
    };
    // The list's tick may be up to a second old; never show codes older than the clock.
    let (rows, matching) = state.rows_in(&query, &filter, now.max(unix_now()), MAX_ROWS);
    let opened_copy = state.opened_copy();
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
        header { id: "list-bar", class: "bar",
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
                if cfg!(feature = "desktop") {
                    button { id: "nav-keys", aria_label: "Keyboard shortcuts", title: "Keyboard shortcuts (?)", onclick: move |_| { let mut ui = ctx.ui; ui.write().help = true; }, "?" }
                }
            }
        }
        if help {
            super::keys::KeyHelp {}
        }
        if let Some((copy, written)) = opened_copy {
            div { id: "copy-banner", class: "banner warn", role: "alert",
                p {
                    "The vault file is damaged, so Tessera opened the copy kept beside it: {copy.display()}"
                    if let Some(at) = written { " (written {crate::app::rows::human_time(at)})" }
                    ". Nothing is saved until you confirm: check your accounts first."
                }
                button {
                    id: "copy-confirm",
                    onclick: move |_| match ctx.with_state(|s| s.confirm_copy()) {
                        Ok(()) => ctx.toast("That copy is now the vault; the damaged file is kept beside it.", false, 6),
                        Err(e) => ctx.error(&e),
                    },
                    "Use this copy"
                }
            }
        }
        super::biometric::BiometricOfferBanner {}
        if !filters.is_empty() {
            FilterChips { filters, chosen: filter.clone() }
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
            } else if no_match && filter != Filter::All && query.is_empty() {
                p { class: "muted empty-search", "No account here." }
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
                        menu_open: menu == Some(row.id),
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

/// Group headers stick under the list's bar, whose height changes with the window (one row on
/// desktop, two on a phone): the page keeps `--bar-h` on the bar's parent equal to it.
fn hold_headers_under_the_bar() {
    document::eval(
        "const bar = document.getElementById('list-bar');          if (bar && !bar.__tesseraHeight) { bar.__tesseraHeight = true;            const set = () => bar.parentElement && bar.parentElement.style.setProperty('--bar-h', bar.offsetHeight + 'px');            new ResizeObserver(set).observe(bar); set(); }",
    );
}

/// One account: avatar, issuer, name, tenant, note marker, code and ring.
#[component]
fn AccountRow(row: Row, header: String, hidden: bool, selected: bool, menu_open: bool) -> Element {
    let ctx = use_ctx();
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
            // Right click, or a long press on phones, opens the row menu.
            oncontextmenu: move |e| {
                e.prevent_default();
                let mut ui = ctx.ui;
                ui.write().menu = Some(id);
            },
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
                Avatar { letter: row.letter.clone(), hue: row.hue, icon: row.icon.clone() }
                span { class: "who",
                    span { class: "issuer", "{row.title}" }
                    if !row.subtitle.is_empty() {
                        span { class: "name", "{row.subtitle}" }
                    }
                    span { class: "meta",
                        if !row.tenant.is_empty() && !row.tenant_first {
                            span { class: "chip tenant", "{row.tenant}" }
                        }
                        for tag in row.tags.iter() {
                            span { class: "chip", "#{tag}" }
                        }
                        if let Some((n, of)) = row.twin {
                            span { class: "twin", "authenticator {n} of {of}" }
                        }
                        if row.conflict {
                            span { class: "chip conflict", title: "Changed in two places at once: open it to keep one or both", "conflict" }
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
                class: "more", aria_label: "More for {row.title}", aria_haspopup: "menu",
                aria_expanded: menu_open,
                onclick: move |_| {
                    let mut ui = ctx.ui;
                    let mut ui = ui.write();
                    ui.menu = if ui.menu == Some(id) { None } else { Some(id) };
                },
                "⋯"
            }
            if menu_open {
                RowMenu { id, title: row.title.clone(), pinned: row.pinned, hotp }
            }
        }
    }
}

/// The row menu: Details, Copy next code, Pin, Show QR code, Move to trash.
#[component]
fn RowMenu(id: AccountId, title: String, pinned: bool, hotp: bool) -> Element {
    let ctx = use_ctx();
    let close = move || {
        let mut ui = ctx.ui;
        ui.write().menu = None;
    };
    rsx! {
        div { class: "menu", role: "menu", aria_label: "{title}",
            button { role: "menuitem", class: "menu-details", onclick: move |_| { close(); ctx.go(Screen::Details(id)); }, "Details" }
            if !hotp {
                button { role: "menuitem", class: "menu-next", onclick: move |_| { close(); copy_next_code(ctx, id); }, "Copy next code" }
            }
            button {
                role: "menuitem", class: "menu-pin",
                onclick: move |_| { close(); ctx.pin(id, !pinned); },
                if pinned { "Unpin" } else { "Pin to top" }
            }
            button {
                role: "menuitem", class: "menu-up", title: "Alt+Up",
                onclick: move |_| { close(); move_account(ctx, id, true); },
                "Move up"
            }
            button {
                role: "menuitem", class: "menu-down", title: "Alt+Down",
                onclick: move |_| { close(); move_account(ctx, id, false); },
                "Move down"
            }
            button {
                role: "menuitem", class: "menu-qr",
                onclick: move |_| {
                    close();
                    ctx.go(Screen::Details(id));
                    // The QR code is behind the password: take the user to that field.
                    document::eval("setTimeout(() => { const p = document.getElementById('reveal-password'); if (p) { p.scrollIntoView(); p.focus(); } }, 50);");
                },
                "Show QR code…"
            }
            button {
                role: "menuitem", class: "menu-trash danger",
                onclick: move |_| { close(); ctx.trash(id); },
                "Move to trash"
            }
        }
    }
}

/// "All", then each tenant and each tag: one tap shows only those accounts.
#[component]
fn FilterChips(filters: Vec<Filter>, chosen: Filter) -> Element {
    let ctx = use_ctx();
    let chip = move |filter: Filter, label: String| {
        let on = chosen == filter;
        rsx! {
            button {
                class: if on { "chip-filter on" } else { "chip-filter" },
                aria_pressed: on,
                onclick: move |_| {
                    let mut ui = ctx.ui;
                    let mut ui = ui.write();
                    ui.filter = filter.clone();
                    ui.selected = 0;
                },
                "{label}"
            }
        }
    };
    rsx! {
        nav { id: "filters", class: "filters", aria_label: "Show only a tenant or a tag",
            {chip(Filter::All, "All".into())}
            for filter in filters {
                {
                    let label = match &filter {
                        Filter::Tenant(t) => t.clone(),
                        Filter::Tag(t) => format!("#{t}"),
                        Filter::All => "All".into(),
                    };
                    chip(filter, label)
                }
            }
        }
    }
}
