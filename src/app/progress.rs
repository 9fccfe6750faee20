//! How far a job is, for the busy indicator: a fraction and a phrase, and for the slow key
//! derivations a time estimate, so the bar moves while Argon2id runs and says about how long is
//! left. The estimate comes from this device's own speed: the calibration's measurement when a
//! vault or backup is made, each key derivation timed since, and before any of those a figure
//! for a mid-range phone.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tessera_core::vault::KdfParams;

/// The phrase, the fraction and a running estimate.
#[derive(Debug, Clone, Default)]
struct Now {
    fraction: f32,
    phrase: String,
    /// A step of known length: from `fraction` towards `to` over `expected`, started at `start`.
    timed: Option<(Instant, Duration, f32)>,
}

/// How far a job is: a fraction (0 to 1) and a phrase for the busy indicator. Cloned into the
/// job's thread; the view reads it a few times a second.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Mutex<Now>>);

impl Progress {
    /// A job about to start, with its first phrase.
    pub fn starting(phrase: impl Into<String>) -> Progress {
        let progress = Progress::default();
        progress.report(0.0, phrase);
        progress
    }

    fn now(&self) -> std::sync::MutexGuard<'_, Now> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reports `fraction` (clamped to 0-1) done and what is happening now.
    pub fn report(&self, fraction: f32, phrase: impl Into<String>) {
        *self.now() = Now {
            fraction: fraction.clamp(0.0, 1.0),
            phrase: phrase.into(),
            timed: None,
        };
    }

    /// Reports a step expected to take `expected` (a key derivation): the bar moves from
    /// `from` towards `to` as the time passes, stopping short of `to` until the next report.
    pub fn report_timed(&self, from: f32, to: f32, expected: Duration, phrase: impl Into<String>) {
        *self.now() = Now {
            fraction: from.clamp(0.0, 1.0),
            phrase: phrase.into(),
            timed: Some((Instant::now(), expected, to.clamp(0.0, 1.0))),
        };
    }

    /// The fraction done and the phrase.
    pub fn read(&self) -> (f32, String) {
        let now = self.now();
        (fraction(&now, Instant::now()), now.phrase.clone())
    }

    /// Whole seconds the current step still needs by its estimate; `None` when it has none or
    /// is late (the bar then waits just short of the step's end).
    pub fn seconds_left(&self) -> Option<u64> {
        let now = self.now();
        let (start, expected, _) = now.timed?;
        let left = expected.checked_sub(start.elapsed())?;
        Some(left.as_secs_f64().ceil() as u64)
    }
}

fn fraction(now: &Now, at: Instant) -> f32 {
    match now.timed {
        None => now.fraction,
        Some((start, expected, to)) => {
            let share = at.duration_since(start).as_secs_f64() / expected.as_secs_f64().max(1e-3);
            // Never quite there on the estimate alone: 95 % of the step at most.
            let share = share.min(0.95) as f32;
            now.fraction + (to - now.fraction) * share
        }
    }
}

/// Seconds per KiB per pass of Argon2id on this device, in nanoseconds times 1,000 (an atomic
/// cannot hold a float); 0 until measured.
static KDF_SPEED: AtomicU64 = AtomicU64::new(0);

/// Before any measurement: 64 MiB x 3 passes in about 0.6 s, a mid-range phone's speed (this
/// project's 2-core test machine takes 0.16 s).
const PRIOR_PICOS_PER_KIB_PASS: f64 = 0.6e12 / (64.0 * 1024.0 * 3.0);

/// Key-derivation timing: what a derivation will take on this device, learned from the ones
/// it ran.
pub mod kdf_time {
    use super::*;

    fn work(params: KdfParams) -> f64 {
        f64::from(params.m_kib.max(1)) * f64::from(params.t.max(1))
    }

    /// Records that a derivation with `params` took `took`.
    pub fn record(params: KdfParams, took: Duration) {
        let picos = took.as_secs_f64() * 1e12 / work(params);
        if picos.is_finite() && picos > 0.0 {
            KDF_SPEED.store(picos as u64, Ordering::Relaxed);
        }
    }

    /// What a derivation with `params` will take here.
    pub fn estimate(params: KdfParams) -> Duration {
        let measured = KDF_SPEED.load(Ordering::Relaxed);
        let picos = if measured == 0 {
            PRIOR_PICOS_PER_KIB_PASS
        } else {
            measured as f64
        };
        Duration::from_secs_f64(picos * work(params) / 1e12)
    }

    /// Measures this device for a new key's settings ([`KdfParams::calibrate`]) behind a bar
    /// that moves from `from` to `to`, and records the measurement for later estimates.
    pub fn calibrate(progress: &Progress, from: f32, to: f32) -> KdfParams {
        progress.report_timed(
            from,
            to,
            estimate(KdfParams::DEFAULT) * 2,
            "Measuring this device for the key derivation…",
        );
        let (kdf, took) = KdfParams::calibrate();
        record(kdf, took);
        kdf
    }

    /// Runs `derive` (a derivation with `params`) and records its time.
    pub fn timed<T>(params: KdfParams, derive: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = derive();
        record(params, start.elapsed());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timed_step_moves_with_the_clock_and_stops_short() {
        let progress = Progress::default();
        progress.report_timed(0.2, 0.8, Duration::from_secs(10), "Deriving…");
        let now = progress.now().clone();
        let start = now.timed.unwrap().0;
        assert_eq!(fraction(&now, start), 0.2);
        let half = fraction(&now, start + Duration::from_secs(5));
        assert!((half - 0.5).abs() < 1e-6, "{half}");
        let late = fraction(&now, start + Duration::from_secs(60));
        assert!((late - (0.2 + 0.6 * 0.95)).abs() < 1e-6, "{late}");
        assert_eq!(progress.seconds_left(), Some(10));
        progress.report(1.0, "Done.");
        assert_eq!(progress.read(), (1.0, "Done.".to_owned()));
        assert_eq!(progress.seconds_left(), None);
    }

    #[test]
    fn estimates_scale_with_memory_and_passes() {
        let base = KdfParams {
            m_kib: 64 * 1024,
            t: 3,
            p: 4,
        };
        kdf_time::record(base, Duration::from_millis(300));
        let twice = KdfParams { t: 6, ..base };
        let estimate = kdf_time::estimate(twice).as_secs_f64();
        assert!((estimate - 0.6).abs() < 0.01, "{estimate}");
        let big = KdfParams {
            m_kib: 1024 * 1024,
            ..base
        };
        assert!((kdf_time::estimate(big).as_secs_f64() - 4.8).abs() < 0.05);
    }
}
