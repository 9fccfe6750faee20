//! Running a job ([`crate::app::jobs`]) from a view: the work on its own thread, the busy
//! indicator showing what the job reports, the result handed back on the UI thread.

use dioxus::prelude::*;

use super::{Ctx, Ui};
use crate::app::{AppError, Progress};

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
        let progress = Progress::starting(phrase);
        let mut ui = self.ui;
        ui.write().busy = Some((phrase.to_owned(), 0.0));
        let watched = progress.clone();
        // Both tasks run on the UI thread, so `done` is read and set without a race: once the
        // job finished, the watcher writes nothing more.
        let done = std::rc::Rc::new(std::cell::Cell::new(false));
        let finished = done.clone();
        spawn(async move {
            while !done.get() {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let (phrase, fraction) = {
                    let (fraction, phrase) = progress.read();
                    (phrase, fraction)
                };
                if !done.get() && ui.peek().busy.as_ref() != Some(&(phrase.clone(), fraction)) {
                    ui.write().busy = Some((phrase, fraction));
                }
            }
        });
        spawn(async move {
            // The task belongs to the screen that started it: when that screen goes (Escape,
            // a lock) the task is dropped, and the busy indicator must go with it.
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
