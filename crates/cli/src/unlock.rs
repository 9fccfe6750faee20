//! Finding the vault and its password: `--vault` / `TESSERA_VAULT` / the platform data folder;
//! `TESSERA_PASSWORD`, `--password-file`, or a prompt that never echoes.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use tessera_core::vault::{KdfParams, OpenReport, OsKeystore, Vault, VaultError};
use zeroize::Zeroizing;

use crate::error::CliError;

/// Options every vault command shares.
#[derive(clap::Args, Clone)]
pub struct VaultArgs {
    /// The vault file [default: tessera.vault in the platform's data folder].
    #[arg(long, global = true, env = "TESSERA_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Read the password from the first line of this file (else TESSERA_PASSWORD, else a prompt).
    #[arg(long, global = true, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// When the vault file is damaged and an older copy kept beside it opens: make that copy
    /// the current vault (without this, commands that change the vault refuse).
    #[arg(long, global = true)]
    pub use_copy: bool,
}

impl VaultArgs {
    /// The vault path to use.
    pub fn path(&self) -> Result<PathBuf, CliError> {
        if let Some(path) = &self.vault {
            return Ok(path.clone());
        }
        directories::ProjectDirs::from("app", "Tessera", "Tessera")
            .map(|dirs| dirs.data_dir().join("tessera.vault"))
            .ok_or_else(|| {
                CliError::new(
                    "cannot find a data folder for the vault",
                    "Give the vault's path with --vault PATH.",
                )
            })
    }

    /// The password from the file, the environment or a prompt.
    pub fn password(&self, prompt: &str) -> Result<Zeroizing<String>, CliError> {
        if let Some(file) = &self.password_file {
            let text = Zeroizing::new(std::fs::read_to_string(file).map_err(|e| {
                CliError::new(
                    format!("cannot read the password file {}: {e}", file.display()),
                    "Check the path given to --password-file.",
                )
            })?);
            return Ok(Zeroizing::new(
                text.lines().next().unwrap_or_default().to_owned(),
            ));
        }
        if let Ok(password) = std::env::var("TESSERA_PASSWORD") {
            return Ok(Zeroizing::new(password));
        }
        prompt_password(prompt)
    }

    /// Opens the vault: through the OS keystore when it has a keystore slot and no password was
    /// given, else with the password (re-making a keystore slot whose entry was lost).
    pub fn open(&self) -> Result<Vault, CliError> {
        let path = self.path()?;
        let password_given =
            self.password_file.is_some() || std::env::var_os("TESSERA_PASSWORD").is_some();
        if !password_given
            && path.exists()
            && let Ok((mut vault, report)) = Vault::unlock_with_keystore(&path, &OsKeystore::new())
        {
            self.after_open(&mut vault, &report);
            return Ok(vault);
        }
        self.open_with_password()
    }

    /// Opens the vault with its password even where the keystore could open it: commands that
    /// let seeds out (`export`, `backup`, `qr`) or change the password ask for it again.
    pub fn open_with_password(&self) -> Result<Vault, CliError> {
        let path = self.path()?;
        if !path.exists() {
            return Err(vault_error(VaultError::NotFound(path.clone()), &path));
        }
        let password = self.password("Vault password: ").map_err(|_| {
            CliError::new(
                "this command needs the vault password (even where keystore unlock opens the vault), and there is no terminal to ask on",
                "Set TESSERA_PASSWORD or pass --password-file FILE.",
            )
        })?;
        let (mut vault, report) =
            Vault::unlock(&path, password.as_bytes()).map_err(|e| vault_error(e, &path))?;
        self.after_open(&mut vault, &report);
        if vault.unconfirmed_copy().is_none()
            && let Ok(true) = vault.repair_keystore(&OsKeystore::new())
        {
            eprintln!(
                "note: the system keystore entry was missing or changed; keystore unlock was set up again"
            );
        }
        Ok(vault)
    }
}

/// Asks on the terminal without echo.
pub fn prompt_password(prompt: &str) -> Result<Zeroizing<String>, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::new(
            "a password is needed and there is no terminal to ask on",
            "Set TESSERA_PASSWORD or pass --password-file FILE.",
        ));
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| {
            CliError::new(
                format!("cannot read the password: {e}"),
                "Set TESSERA_PASSWORD or pass --password-file FILE.",
            )
        })
}

impl VaultArgs {
    /// Says which older copy opened, if the newest file is damaged, and accepts it with
    /// `--use-copy`.
    fn after_open(&self, vault: &mut Vault, report: &OpenReport) {
        for (file, error) in &report.skipped {
            eprintln!(
                "warning: {} could not be used ({error}); opened the previous version {} instead{}",
                file.display(),
                report.generation,
                report
                    .written
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| format!(
                        ", written {}",
                        tessera_core::transfer::autobackup::utc_stamp(d.as_secs())
                    ))
                    .unwrap_or_default()
            );
        }
        if vault.unconfirmed_copy().is_some() {
            if self.use_copy {
                vault.confirm_copy();
                eprintln!(
                    "note: --use-copy: that copy becomes the current vault at the next change"
                );
            } else {
                eprintln!(
                    "note: nothing is written to the vault until you confirm that copy with --use-copy"
                );
            }
        }
    }
}

/// A vault error with the command line's hint (which names flags and commands).
pub fn vault_error(error: VaultError, path: &Path) -> CliError {
    let hint = match &error {
        VaultError::NotFound(_) => format!(
            "Create one with `tessera-cli --vault {} init`, or give another path with --vault.",
            path.display()
        ),
        VaultError::WrongPassword => {
            "Passwords are case-sensitive. Check TESSERA_PASSWORD or the --password-file.".into()
        }
        VaultError::NoSuchAccount(_) | VaultError::Ambiguous(_) => {
            "See the ids with `tessera-cli list` (or `tessera-cli trash`).".into()
        }
        VaultError::Duplicate { .. } => {
            "Nothing was added; `tessera-cli list` shows the account you already have.".into()
        }
        VaultError::CopyNotConfirmed(_) => {
            "Check it with `tessera-cli list`, then run the command again with --use-copy to make that copy the current vault.".into()
        }
        other => other.advice().into(),
    };
    CliError::new(error.to_string(), hint)
}

/// Argon2id settings; without them, Tessera calibrates to about 0.5-1 s on this machine.
#[derive(clap::Args)]
pub struct KdfArgs {
    /// Argon2id memory in MiB (19-1024); with --kdf-passes, skips the calibration.
    #[arg(long, value_name = "MIB", requires = "kdf_passes")]
    kdf_memory: Option<u32>,
    /// Argon2id passes (1-10).
    #[arg(long, value_name = "N", requires = "kdf_memory")]
    kdf_passes: Option<u32>,
    /// Argon2id lanes (1-16), with --kdf-memory.
    #[arg(long, value_name = "N", default_value_t = 4)]
    kdf_lanes: u32,
}

impl KdfArgs {
    /// The parameters, and how long they took when calibrated here.
    pub fn params(&self) -> (KdfParams, Option<std::time::Duration>) {
        match (self.kdf_memory, self.kdf_passes) {
            (Some(m), Some(t)) => (
                KdfParams {
                    m_kib: m.saturating_mul(1024),
                    t,
                    p: self.kdf_lanes,
                },
                None,
            ),
            _ => {
                let (kdf, took) = KdfParams::calibrate();
                (kdf, Some(took))
            }
        }
    }
}
