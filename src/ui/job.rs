//! Running a job ([`crate::app::jobs`]) from a view: the work on its own thread, the busy
//! indicator showing what the job reports (a bar, and for key derivations about how long is
//! left), the result handed back on the UI thread; Cancel for jobs where stopping is safe.

use dioxus::core::Task;
use dioxus::prelude::*;

use super::{Ctx, Ui};
use crate::app::{AppError, Progress};

/// Slow work in progress, as the busy indicator shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    /// What the job is doing now.
    pub phrase: String,
    /// The fraction done (0 to 1).
    pub fraction: f32,
    /// About how many seconds the current step still needs, when the job knows.
    pub seconds_left: Option<u64>,
    /// The job's task, when stopping it is safe (nothing is applied before it finishes).
    pub cancel: Option<Task>,
}

impl Ctx {
    /// Runs a job ([`crate::app::jobs`]): `work` on its own thread behind the busy indicator,
    /// which shows what the job reports, then `finish` on the UI thread with its result. A
    /// panic in `work` (a bug a hostile file reaches) becomes an error, not a dead window.
    pub fn run_job<T: Send + 'static>(
        self,
        phrase: &str,
        work: impl FnOnce(&Progress) -> Result<T, AppError> + Send + 'static,
        finish: impl FnOnce(Result<T, AppError>) + 'static,
    ) {
        self.start_job(phrase, false, work, finish);
    }

    /// [`Ctx::run_job`] with Cancel on the busy indicator: for jobs that change nothing until
    /// `finish` (reading an import, opening a transfer, unlocking). Cancel drops the result
    /// unseen; the thread's work ends by itself and nothing of it is applied.
    pub fn run_cancellable_job<T: Send + 'static>(
        self,
        phrase: &str,
        work: impl FnOnce(&Progress) -> Result<T, AppError> + Send + 'static,
        finish: impl FnOnce(Result<T, AppError>) + 'static,
    ) {
        self.start_job(phrase, true, work, finish);
    }

    fn start_job<T: Send + 'static>(
        self,
        phrase: &str,
        cancellable: bool,
        work: impl FnOnce(&Progress) -> Result<T, AppError> + Send + 'static,
        finish: impl FnOnce(Result<T, AppError>) + 'static,
    ) {
        let progress = Progress::starting(phrase);
        let mut ui = self.ui;
        let watched = progress.clone();
        // Both tasks run on the UI thread, so `done` is read and set without a race: once the
        // job finished, the watcher writes nothing more.
        let done = std::rc::Rc::new(std::cell::Cell::new(false));
        let finished = done.clone();
        let job = spawn(async move {
            // The task belongs to the screen that started it: when that screen goes (Escape,
            // a lock, Cancel) the task is dropped, and the busy indicator must go with it.
            let mut clear = ClearBusy(Some(ui));
            let result = off_thread(move || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&watched)))
                    .unwrap_or(Err(AppError::Internal))
            })
            .await;
            finished.set(true);
            clear.0 = None;
            ui.write().busy = None;
            finish(result);
        });
        let cancel = cancellable.then_some(job);
        ui.write().busy = Some(Busy {
            phrase: phrase.to_owned(),
            fraction: 0.0,
            seconds_left: None,
            cancel,
        });
        spawn(async move {
            while !done.get() {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let (fraction, phrase) = progress.read();
                let now = Busy {
                    phrase,
                    fraction,
                    seconds_left: progress.seconds_left(),
                    cancel,
                };
                // A cancelled (or dropped) job's indicator is gone: never bring it back.
                let shown = ui.peek().busy.clone();
                match shown {
                    None => break,
                    Some(shown) if !done.get() && shown != now => ui.write().busy = Some(now),
                    Some(_) => {}
                }
            }
        });
    }

    /// Stops the running job (Cancel on the busy indicator).
    pub fn cancel_job(self) {
        let mut ui = self.ui;
        let task = ui.peek().busy.as_ref().and_then(|b| b.cancel);
        if let Some(task) = task {
            task.cancel();
            ui.write().busy = None;
            self.toast("Stopped. Nothing was changed.", false, 5);
        }
    }
}

/// Clears the busy indicator when dropped (a job's task dropped with its screen), unless
/// disarmed. Never panics: at shutdown the view state may be gone already.
struct ClearBusy(Option<Signal<Ui>>);

impl Drop for ClearBusy {
    fn drop(&mut self) {
        if let Some(mut ui) = self.0.take()
            && let Ok(mut ui) = ui.try_write()
        {
            ui.busy = None;
        }
    }
}

/// Runs `work` on its own thread and waits for it without blocking the UI.
pub async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = futures_channel::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.await.expect("the worker thread always sends")
}

/// The busy indicator: the phrase, a bar with the percentage, about how long is left, Cancel.
#[component]
pub fn BusyView(busy: Busy) -> Element {
    let ctx = super::use_ctx();
    let percent = (busy.fraction * 100.0).round() as u32;
    let left = match busy.seconds_left {
        Some(0) | None => String::new(),
        Some(1) => "about 1 second left".to_owned(),
        Some(n) => format!("about {n} seconds left"),
    };
    rsx! {
        div { id: "busy", class: "busy",
            div { class: "busy-card", role: "status", aria_live: "polite",
                div { class: "spinner" }
                span { class: "busy-phrase", "{busy.phrase}" }
                progress { max: "100", value: "{percent}", aria_label: "Progress", aria_valuetext: "{percent} percent" }
                span { class: "busy-left muted", "{percent} %" if !left.is_empty() { " · {left}" } }
                if busy.cancel.is_some() {
                    button { id: "busy-cancel", onclick: move |_| ctx.cancel_job(), "Cancel" }
                }
            }
        }
    }
}
