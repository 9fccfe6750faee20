//! The offline clock check: the user types the code another device shows now for an account,
//! and learns how far off this device's clock is and the correction that makes codes match.

use tessera_core::otp::{AccountId, CLOCK_CHECK_WINDOW_SECS, clock_offset, unix_now};

use super::{AppError, AppState};

/// The result of [`AppState::check_clock`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockCheck {
    /// Seconds to add to this device's clock for its codes to match (a whole number of
    /// periods; 0 when the clocks agree).
    pub correction: i64,
    /// "Your clock seems 2 min ahead: codes may be rejected."
    pub message: String,
}

impl AppState {
    /// The clock check: `code` is what another device (or the service) shows right now for
    /// the account `id`; the answer says how far off this device's clock is and the correction
    /// that makes the codes match. Works offline; HOTP accounts have no clock to check.
    pub fn check_clock(&self, id: AccountId, code: &str) -> Result<ClockCheck, AppError> {
        let account = self.account(id).ok_or(AppError::NoSuchAccount)?;
        let Some(period) = account.otp.kind().period() else {
            return Err(AppError::input(
                "Counter-based (HOTP) accounts do not depend on the clock.",
                "Choose a time-based account.",
            ));
        };
        let correction = clock_offset(&account.otp, code, unix_now(), CLOCK_CHECK_WINDOW_SECS)
            .ok_or_else(|| {
                AppError::input(
                    "That code does not match this account within 15 minutes either way.",
                    "Type the code shown right now for the same account on the other device, \
                     and check that it is the same account.",
                )
            })?;
        let off = |seconds: i64| match seconds.unsigned_abs() {
            s if s % 60 == 0 => format!("{} min", s / 60),
            s if s > 60 => format!("{} min {} s", s / 60, s % 60),
            s => format!("{s} s"),
        };
        let message = match correction {
            0 => {
                format!("This device's clock agrees with the other device (to within {period} s).")
            }
            c if c > 0 => format!("Your clock seems {} behind: codes may be rejected.", off(c)),
            c => format!("Your clock seems {} ahead: codes may be rejected.", off(c)),
        };
        Ok(ClockCheck {
            correction,
            message,
        })
    }

    /// Uses `correction` seconds for codes from now on (the clock check's answer) and saves
    /// the settings.
    pub fn set_clock_correction(&mut self, correction: i64) -> Result<(), AppError> {
        self.settings.clock_offset_secs = correction.clamp(-86_400, 86_400);
        self.save_settings()
    }
}
