//! The Dioxus views. [`App`] provides the app state ([`crate::app::AppState`] in a signal) and
//! the view state ([`Ui`]) as context, ticks the clock, auto-locks, and shows one screen:
//! first run, unlock, or (unlocked) the list with add, details, trash, transfer and settings.
//! Everything a screen does goes through `AppState`'s methods (the views import the core's
//! types, never its functions); slow work runs as a job ([`Ctx::run_job`]) behind a busy
//! indicator that shows the job's progress, so the window never freezes. Every component reads
//! the context with [`use_ctx`].

pub mod add;
pub mod biometric;
pub mod copy;
pub mod details;
#[cfg(feature = "e2e-driver")]
pub mod driver;
pub mod icon_picker;
pub mod job;
pub mod keys;
pub mod list;
pub mod lock;
pub mod outcome;
pub mod receive;
pub mod save;
pub mod scan;
pub mod send;
pub mod settings;
pub mod sync;
pub mod transfer;
pub mod trash;
pub mod widgets;

use dioxus::prelude::*;
use tessera_core::otp::{AccountId, unix_now};

use crate::app::settings::Theme;
use crate::app::{AppError, AppState, Phase};

/// The stylesheet, through Dioxus's asset system: `dx bundle` copies it (hashed) beside the
/// app, and a build run by `cargo run` serves it from the source tree.
const STYLESHEET: Asset = asset!("/assets/main.css");

/// The same stylesheet compiled in, for a binary built with plain `cargo build` and started
/// away from `cargo run`: without `dx` there is no bundle, so the asset system finds no file.
const STYLESHEET_TEXT: &str = include_str!("../../assets/main.css");

/// Whether the asset system can serve [`STYLESHEET`] (a file on disk, or inside an APK).
fn stylesheet_served() -> bool {
    static SERVED: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
        !matches!(
            dioxus::asset_resolver::asset_path(STYLESHEET),
            Err(dioxus::asset_resolver::AssetPathError::NotFound)
        )
    });
    *SERVED
}

/// A password or secret a screen holds while the user types it: zeroized when dropped (the
/// screen closes, the app locks), and every copy of it too.
pub type Secret = zeroize::Zeroizing<String>;

/// The screens of an unlocked vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The accounts.
    List,
    /// Add an account.
    Add,
    /// One account.
    Details(AccountId),
    /// The trash.
    Trash,
    /// Backups, restore, import, export.
    Transfer,
    /// Sending accounts to another device by animated QR codes.
    Send,
    /// Settings.
    Settings,
}

/// A message at the bottom of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    /// What happened.
    pub text: String,
    /// Offer Undo (after a move to the trash).
    pub undo: bool,
    /// When it goes away (Unix seconds).
    pub until: u64,
}

/// View state shared by the screens.
#[derive(Debug, Clone, PartialEq)]
pub struct Ui {
    /// The current screen.
    pub screen: Screen,
    /// The toast shown.
    pub toast: Option<Toast>,
    /// Slow work in progress: what it is doing now, how far, and whether it can stop.
    pub busy: Option<job::Busy>,
    /// The search text.
    pub query: String,
    /// The selected row (keyboard).
    pub selected: usize,
    /// The clock, updated every second.
    pub now: u64,
    /// Codes revealed (tap-to-reveal mode).
    pub revealed: Vec<AccountId>,
    /// The filter chip chosen: all accounts, one tenant or one tag.
    pub filter: crate::app::Filter,
    /// The account whose row menu is open.
    pub menu: Option<AccountId>,
    /// The keyboard shortcuts are shown.
    pub help: bool,
}

impl Ui {
    /// The view state at start: the list, nothing selected or revealed, the clock at `now`.
    pub fn new(now: u64) -> Ui {
        Ui {
            screen: Screen::List,
            toast: None,
            busy: None,
            query: String::new(),
            selected: 0,
            now,
            revealed: Vec::new(),
            filter: crate::app::Filter::All,
            menu: None,
            help: false,
        }
    }
}

/// The context every component reads.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The app state.
    pub state: Signal<AppState>,
    /// The view state.
    pub ui: Signal<Ui>,
}

impl Ctx {
    /// Shows a toast for `secs` seconds.
    pub fn toast(mut self, text: impl Into<String>, undo: bool, secs: u64) {
        self.ui.write().toast = Some(Toast {
            text: text.into(),
            undo,
            until: unix_now() + secs,
        });
    }

    /// Locks: the vault and its secrets are dropped, and the view forgets what it revealed.
    pub fn lock(self) {
        crate::platform::clipboard::clear_copied_code();
        self.with_state(|s| s.lock());
        let mut ui = self.ui;
        let mut ui = ui.write();
        ui.revealed.clear();
        ui.query.clear();
        ui.screen = Screen::List;
    }

    /// Runs `f` on the app state (mutably).
    pub fn with_state<R>(self, f: impl FnOnce(&mut AppState) -> R) -> R {
        let mut state = self.state;
        let mut state = state.write();
        f(&mut state)
    }

    /// Goes to a screen.
    pub fn go(mut self, screen: Screen) {
        self.ui.write().screen = screen;
        self.state.write().touch();
    }

    /// Shows an error as a toast. If the action locked the vault (another program changed its
    /// password), the view locks too: revealed codes, the search and a copied code go.
    pub fn error(self, error: &AppError) {
        let stale_view = {
            let ui = self.ui.peek();
            ui.screen != Screen::List || !ui.revealed.is_empty() || !ui.query.is_empty()
        };
        if self.state.peek().phase() == Phase::Locked && stale_view {
            // Later, not now: the caller may still hold the state borrowed.
            spawn(async move { self.lock() });
        }
        self.toast(format!("{} {}", error.message(), error.advice()), false, 8);
    }

    /// Shows the outcome of an action: `done` as a toast, or the error.
    pub fn report(self, result: Result<(), AppError>, done: &str) {
        match result {
            Ok(()) => self.toast(done, false, 5),
            Err(e) => self.error(&e),
        }
    }

    /// Re-authentication: checks `password` against the vault's off the UI thread (behind the
    /// busy indicator), then runs `then`; a wrong password shows the error and runs nothing.
    pub fn reauthenticate(self, password: Secret, then: impl FnOnce() + 'static) {
        let check = match self.state.read().reauth() {
            Ok(check) => check,
            Err(e) => return self.error(&e),
        };
        self.run_job(
            "Checking the password…",
            move |_| AppState::verify(&check, &password),
            move |result| match result {
                Ok(()) => then(),
                Err(e) => self.error(&e),
            },
        );
    }

    /// Pins an account to the top of the list, or unpins it.
    pub fn pin(self, id: AccountId, pinned: bool) {
        if let Err(e) = self.with_state(|s| s.pin(id, pinned)) {
            self.error(&e);
        }
    }

    /// Moves an account to the trash, with "Moved to trash · Undo" for 10 s; whether it moved.
    pub fn trash(self, id: AccountId) -> bool {
        match self.with_state(|s| s.trash(id)) {
            Ok(()) => {
                self.toast("Moved to trash", true, 10);
                true
            }
            Err(e) => {
                self.error(&e);
                false
            }
        }
    }
}

/// The context every component reads: the app state and the view state.
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>()
}

/// Clears a copied code from the clipboard when the window closes (desktop; a phone app's
/// process ends without notice, so there the timer and the lock do it).
fn use_clear_clipboard_on_quit() {
    #[cfg(feature = "desktop")]
    dioxus::desktop::use_wry_event_handler(|event, _| {
        use dioxus::desktop::tao::event::{Event, WindowEvent};
        if matches!(
            event,
            Event::WindowEvent {
                event: WindowEvent::CloseRequested | WindowEvent::Destroyed,
                ..
            } | Event::LoopDestroyed
        ) {
            crate::platform::clipboard::clear_copied_code();
        }
    });
}

/// Applies the screenshot setting (Android: FLAG_SECURE, set before the first frame by the
/// activity from the last value it was given) at start and whenever it changes.
fn use_screenshot_policy(ctx: Ctx) {
    let allowed = use_memo(move || ctx.state.read().settings.allow_screenshots);
    use_effect(move || {
        let allowed = allowed();
        #[cfg(target_os = "android")]
        if let Err(e) = crate::platform::android::set_screenshots_allowed(allowed) {
            ctx.toast(
                format!("The screenshot setting could not be applied: {e}."),
                false,
                8,
            );
        }
        let _ = allowed;
    });
}

/// The root component: the app, or why it cannot start (no folder for the vault: nothing is
/// created then).
#[component]
pub fn App() -> Element {
    match use_hook(crate::platform::files::vault_path) {
        Ok(vault) => rsx! { Running { vault } },
        Err(why) => rsx! { CannotStart { why: why.to_string() } },
    }
}

/// The whole window when no folder for the vault could be found: why, and what to do.
/// Nothing was created.
#[component]
pub fn CannotStart(why: String) -> Element {
    rsx! {
        style { {STYLESHEET_TEXT} }
        main { class: "lock", role: "alert",
            h1 { "Tessera cannot start" }
            p { id: "no-vault-folder", "{why}" }
        }
    }
}

/// The app on the vault at `vault`.
#[component]
fn Running(vault: std::path::PathBuf) -> Element {
    let state = use_signal(move || AppState::new(vault.clone()));
    let ui = use_signal(|| Ui::new(unix_now()));
    let ctx = use_context_provider(|| Ctx { state, ui });
    // Brand icons are indexed while the lock screen waits for the password.
    use_hook(crate::app::icons::warm_up);

    // The clock: once a second, aligned to the second; auto-lock; toasts expire.
    use_future(move || async move {
        let mut ctx = ctx;
        loop {
            let millis = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_millis())
                .unwrap_or(0);
            tokio::time::sleep(std::time::Duration::from_millis(
                u64::from(1000 - millis) + 5,
            ))
            .await;
            let now = unix_now();
            // Only write the state when it changes: a write re-renders every screen.
            if ctx.state.peek().is_idle(now) || ctx.state.peek().away_too_long(now) {
                ctx.lock();
            }
            // What another program (tessera-cli, a second window) saved meanwhile.
            if ctx.state.peek().changed_on_disk() {
                match ctx.with_state(|s| s.refresh()) {
                    Ok(Some(message)) => ctx.toast(message, false, 8),
                    Ok(None) => {}
                    Err(e) => ctx.error(&e),
                }
            }
            // The sync folder: after a change, and every minute.
            if ctx.state.peek().sync_due(now)
                && let Some(message) = ctx.with_state(|s| s.sync_if_due(now))
            {
                ctx.toast(message, false, 8);
            }
            if ctx.state.peek().has_notice()
                && let Some(message) = ctx.with_state(|s| s.take_notice())
            {
                ctx.toast(message, false, 8);
            }
            let expired = ctx.ui.read().toast.as_ref().is_some_and(|t| t.until <= now);
            let mut ui = ctx.ui.write();
            ui.now = now;
            if expired {
                ui.toast = None;
            }
        }
    });
    #[cfg(feature = "e2e-driver")]
    driver::use_test_driver();
    lock::use_lock_when_hidden();
    use_clear_clipboard_on_quit();
    use_screenshot_policy(ctx);

    let theme = match state.read().settings.theme {
        Theme::System => "theme-system",
        Theme::Light => "theme-light",
        Theme::Dark => "theme-dark",
    };
    let phase = state.read().phase();
    let ui_now = ui.read();
    let toast = ui_now.toast.clone();
    let busy = ui_now.busy.clone();
    let screen = ui_now.screen;
    drop(ui_now);
    rsx! {
        document::Title { "Tessera" }
        if stylesheet_served() {
            document::Stylesheet { href: STYLESHEET }
        } else {
            style { {STYLESHEET_TEXT} }
        }
        div {
            class: "app {theme}",
            onkeydown: move |event| keys::shortcuts(ctx, event),
            onclick: move |_| ctx.with_state(|s| s.touch()),
            match phase {
                Phase::Setup => rsx! { lock::Setup {} },
                Phase::Locked => rsx! { lock::Unlock {} },
                Phase::Unlocked => match screen {
                    Screen::List => rsx! { list::AccountList {} },
                    Screen::Add => rsx! { add::AddAccount {} },
                    Screen::Details(id) => rsx! {
                        // Side by side on a desktop-sized window; on a phone only the details
                        // show (the CSS hides the list pane below 900 px).
                        div { class: "split",
                            div { class: "pane-list", list::AccountList {} }
                            div { class: "pane-detail", details::Details { key: "{id}", id } }
                        }
                    },
                    Screen::Trash => rsx! { trash::Trash {} },
                    Screen::Transfer => rsx! { transfer::Transfer {} },
                    Screen::Send => rsx! { send::SendScreen {} },
                    Screen::Settings => rsx! { settings::SettingsScreen {} },
                },
            }
            if let Some(busy) = busy {
                job::BusyView { busy }
            }
            if let Some(toast) = toast {
                widgets::ToastView { toast }
            }
        }
    }
}
