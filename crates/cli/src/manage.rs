//! Commands that change the vault: init, add, edit, rm, undelete, purge, passwd, keystore.

use std::process::ExitCode;

use tessera_core::otp::{
    Account, Algorithm, Enrolment, MOTP_DIGITS, MOTP_PERIOD, Otp, OtpError, OtpKind, Payload,
    PayloadError, Secret, UriError, YANDEX_DIGITS, YANDEX_PERIOD, parse_payload,
    parse_payload_with_pin,
};
use tessera_core::vault::{Edit, OsKeystore, Vault, VaultError};

use crate::error::CliError;
use crate::input;
use crate::output::short;
use crate::unlock::{KdfArgs, VaultArgs, prompt_password, vault_error};

/// A new password: from `variable` or `file` when given, else asked twice on the terminal.
fn new_password(
    variable: &str,
    file: Option<&std::path::Path>,
) -> Result<zeroize::Zeroizing<String>, CliError> {
    if let Ok(password) = std::env::var(variable) {
        return Ok(zeroize::Zeroizing::new(password));
    }
    if let Some(file) = file {
        let source = VaultArgs {
            vault: None,
            password_file: Some(file.to_owned()),
            use_copy: false,
        };
        return source.password("");
    }
    let first = prompt_password("New password: ")?;
    let again = prompt_password("Repeat the new password: ")?;
    if first != again {
        return Err(CliError::new(
            "the two passwords differ",
            "Type the same password twice.",
        ));
    }
    Ok(first)
}
/// `init`: creates a vault.
pub fn init(vault: &VaultArgs, kdf: KdfArgs) -> Result<ExitCode, CliError> {
    let path = vault.path()?;
    let password = new_password("TESSERA_PASSWORD", vault.password_file.as_deref())?;
    check_strength(&password)?;
    let (kdf, timing) = kdf.params();
    let created =
        Vault::create(&path, password.as_bytes(), kdf).map_err(|e| vault_error(e, &path))?;
    println!("Created {}", created.path().display());
    let took = timing
        .map(|t| format!(" ({:.2} s here)", t.as_secs_f64()))
        .unwrap_or_default();
    println!(
        "Key derivation: Argon2id, {} MiB, {} passes, {} lanes{took}",
        kdf.m_kib / 1024,
        kdf.t,
        kdf.p
    );
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `add`.
#[derive(clap::Args)]
pub struct AddArgs {
    /// otpauth:// or otpauth-migration:// URI, or - to read it from standard input.
    uri: Option<String>,
    /// Add the accounts of the QR codes in these images instead (repeatable).
    #[arg(long, value_name = "IMAGE")]
    scan: Vec<std::path::PathBuf>,
    /// Add by hand: the secret key (Base32, as a "Can't scan the image?" page shows it; hex for
    /// mOTP), or - to read it from standard input (keeps it out of the shell's history). Yandex
    /// and mOTP also need the account's PIN: from TESSERA_PIN, else a prompt.
    #[arg(long, value_name = "BASE32", conflicts_with_all = ["uri", "scan"], requires = "name")]
    secret: Option<String>,
    /// With --secret: the service (e.g. Microsoft).
    #[arg(long, requires = "secret", default_value = "")]
    issuer: String,
    /// With --secret: the account at the service (e.g. admin@contoso.com).
    #[arg(long, requires = "secret")]
    name: Option<String>,
    /// With --secret: totp, hotp, steam, yandex or motp.
    #[arg(long, requires = "secret", default_value = "totp")]
    kind: String,
    /// With --secret: SHA1, SHA256 or SHA512.
    #[arg(long, requires = "secret", default_value = "SHA1")]
    algorithm: String,
    /// With --secret: digits of a code (6-10; default 6, Yandex 8).
    #[arg(long, requires = "secret")]
    digits: Option<u8>,
    /// With --secret: seconds a code lasts (default 30, mOTP 10).
    #[arg(long, requires = "secret")]
    period: Option<u32>,
    /// With --secret: the HOTP counter of the next code.
    #[arg(long, requires = "secret", default_value_t = 0)]
    counter: u64,
    /// A note (which tenant, which device, how to re-enrol).
    #[arg(long)]
    note: Option<String>,
    /// The tenant or customer.
    #[arg(long)]
    tenant: Option<String>,
    /// A tag (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
}

/// The enrolment typed by hand with `add --secret`.
fn typed(args: &AddArgs, secret: &str) -> Result<Enrolment, CliError> {
    let secret = input::payload(secret)?;
    let bad = |e: OtpError| CliError::new(e.to_string(), e.advice());
    let period = |default| args.period.unwrap_or(default);
    let (kind, digits) = match args.kind.to_ascii_lowercase().as_str() {
        "totp" => (OtpKind::Totp { period: period(30) }, 6),
        "hotp" => (
            OtpKind::Hotp {
                counter: args.counter,
            },
            6,
        ),
        "steam" => (OtpKind::Steam, 5),
        "yandex" => (
            OtpKind::Yandex {
                period: period(YANDEX_PERIOD),
            },
            YANDEX_DIGITS,
        ),
        "motp" => (
            OtpKind::Motp {
                period: period(MOTP_PERIOD),
            },
            MOTP_DIGITS,
        ),
        other => {
            return Err(CliError::new(
                format!("--kind must be totp, hotp, steam, yandex or motp, not {other:?}"),
                "Most services use totp.",
            ));
        }
    };
    let secret = match kind {
        OtpKind::Motp { .. } => Secret::from_hex(secret.trim()),
        _ => Secret::from_base32(secret.trim()),
    }
    .map_err(|e| CliError::new(e.to_string(), e.advice()))?;
    let algorithm: Algorithm = args.algorithm.parse().map_err(bad)?;
    let digits = args.digits.unwrap_or(digits);
    let otp = if kind.needs_pin() {
        Otp::with_pin(kind, algorithm, digits, secret, typed_pin(kind)?)
    } else {
        Otp::new(kind, algorithm, digits, secret)
    }
    .map_err(bad)?;
    Ok(Enrolment {
        issuer: args.issuer.trim().to_owned(),
        name: args.name.clone().unwrap_or_default().trim().to_owned(),
        tenant: String::new(),
        otp,
    })
}

/// The PIN of a Yandex or mOTP account: TESSERA_PIN, else a prompt.
fn typed_pin(kind: OtpKind) -> Result<Secret, CliError> {
    let prompt = format!("PIN of this {} account: ", kind.display_name());
    let pin = input::password_from("TESSERA_PIN", None, &prompt)?;
    Secret::from_bytes(pin.trim().as_bytes().to_vec()).map_err(|_| {
        CliError::new(
            format!(
                "{} codes need the account's PIN, and it is empty",
                kind.display_name()
            ),
            "Set TESSERA_PIN or type the PIN at the prompt.",
        )
    })
}

/// Reads a payload; a Yandex or mOTP link without its PIN asks for it (TESSERA_PIN, a prompt).
pub(crate) fn payload_with_pin(text: &str) -> Result<Payload, PayloadError> {
    match parse_payload(text) {
        Err(PayloadError::Uri(UriError::Otp(OtpError::PinMissing(name)))) => {
            let kind = match name {
                "Yandex" => OtpKind::Yandex {
                    period: YANDEX_PERIOD,
                },
                _ => OtpKind::Motp {
                    period: MOTP_PERIOD,
                },
            };
            match typed_pin(kind) {
                Ok(pin) => parse_payload_with_pin(text, Some(&pin)),
                Err(_) => Err(PayloadError::Uri(UriError::Otp(OtpError::PinMissing(name)))),
            }
        }
        other => other,
    }
}

/// `add`: adds the account(s) of a URI, of QR code images, or typed by hand.
pub fn add(vault: &VaultArgs, args: AddArgs) -> Result<ExitCode, CliError> {
    if let Some(secret) = &args.secret {
        let enrolment = typed(&args, secret)?;
        return add_enrolments(vault, &args, vec![enrolment], Vec::new());
    }
    let texts = match (&args.uri, args.scan.is_empty()) {
        (Some(uri), true) => vec![input::payload(uri)?.to_string()],
        (None, false) => crate::scan::payloads_in(&args.scan)?,
        _ => {
            return Err(CliError::new(
                "give a URI or --scan IMAGE, not both or neither",
                "See `tessera-cli add --help`.",
            ));
        }
    };
    let mut enrolments: Vec<Enrolment> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let mut batches = tessera_core::otp::BatchProgress::default();
    for text in texts {
        match payload_with_pin(&text) {
            Ok(Payload::Account(e)) => enrolments.push(e),
            Ok(Payload::Migration(batch)) => {
                if !batches.record(batch.info) {
                    continue;
                }
                for entry in batch.entries {
                    match entry {
                        Ok(e) => enrolments.push(e),
                        Err(e) => failures.push(e.to_string()),
                    }
                }
            }
            Err(error) if args.scan.is_empty() => return Err(error.into()),
            Err(error) => failures.push(format!("a QR code: {error} ({})", error.advice())),
        }
    }
    for export in batches.incomplete() {
        eprintln!(
            "note: {} of a Google Authenticator export added; scan the rest",
            export.describe()
        );
    }
    add_enrolments(vault, &args, enrolments, failures)
}

/// Adds `enrolments` with the note, tenant and tags of `args`; reports `failures` (and
/// duplicates) after.
fn add_enrolments(
    vault: &VaultArgs,
    args: &AddArgs,
    enrolments: Vec<Enrolment>,
    mut failures: Vec<String>,
) -> Result<ExitCode, CliError> {
    let path = vault.path()?;
    let mut opened = vault.open()?;
    let now = input::now();
    for enrolment in enrolments {
        let label = enrolment.label();
        let mut account = Account::new(enrolment, now);
        account.note = args.note.clone().unwrap_or_default();
        // `--tenant` wins; else the one the code's label names (Entra's organisation).
        if let Some(tenant) = args.tenant.clone().filter(|t| !t.trim().is_empty()) {
            account.tenant = tenant;
        }
        account.tags = args.tags.clone();
        match opened.add_account(account) {
            Ok(id) => println!("added {} {label}", short(&id.to_string())),
            Err(error @ VaultError::Duplicate { .. }) => failures.push(format!("{label}: {error}")),
            Err(error) => return Err(vault_error(error, &path)),
        }
    }
    crate::output::after_change(&opened);
    if failures.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    Err(CliError::new(
        format!(
            "{} account(s) not added:\n  {}",
            failures.len(),
            failures.join("\n  ")
        ),
        "The others were added. A duplicate is an account you already have; see `tessera-cli list`.",
    ))
}

/// Arguments of `edit`.
#[derive(clap::Args)]
pub struct EditArgs {
    /// The account's id (or the start of it).
    id: String,
    /// New issuer.
    #[arg(long)]
    issuer: Option<String>,
    /// New account name.
    #[arg(long)]
    name: Option<String>,
    /// New note.
    #[arg(long)]
    note: Option<String>,
    /// New tenant.
    #[arg(long)]
    tenant: Option<String>,
    /// Add a tag (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Remove a tag (repeatable).
    #[arg(long = "untag", value_name = "TAG")]
    untags: Vec<String>,
    /// Pin it to the top of the list.
    #[arg(long, conflicts_with = "unpin")]
    pin: bool,
    /// Unpin it.
    #[arg(long)]
    unpin: bool,
    /// Keep this second version of an account two programs changed at once (clears the
    /// "conflict" mark; trash one version instead with `rm` to keep only the other).
    #[arg(long)]
    resolve: bool,
}

/// `edit`.
pub fn edit(vault: &VaultArgs, args: EditArgs) -> Result<ExitCode, CliError> {
    let path = vault.path()?;
    let mut opened = vault.open()?;
    let id = opened.find(&args.id).map_err(|e| vault_error(e, &path))?;
    let edit = Edit {
        issuer: args.issuer,
        name: args.name,
        tenant: args.tenant,
        note: args.note,
        add_tags: args.tags,
        remove_tags: args.untags,
        pinned: if args.pin {
            Some(true)
        } else if args.unpin {
            Some(false)
        } else {
            None
        },
        resolve_conflict: args.resolve,
        icon: None,
    };
    opened
        .edit(id, edit, input::now())
        .map_err(|e| vault_error(e, &path))?;
    println!("edited {}", short(&id.to_string()));
    crate::output::after_change(&opened);
    Ok(ExitCode::SUCCESS)
}

/// What to do with one account by id.
#[derive(Clone, Copy)]
pub enum ById {
    /// Move to the trash.
    Trash,
    /// Bring back from the trash.
    Restore,
    /// Delete from the trash for good.
    Purge,
}

/// `rm`, `undelete`, `purge`.
pub fn by_id(vault: &VaultArgs, id: &str, action: ById) -> Result<ExitCode, CliError> {
    let path = vault.path()?;
    let mut opened = vault.open()?;
    let id = opened.find(id).map_err(|e| vault_error(e, &path))?;
    let result = match action {
        ById::Trash => opened.trash_account(id, input::now()),
        ById::Restore => opened.restore(id),
        ById::Purge => opened.purge(id),
    };
    result.map_err(|e| vault_error(e, &path))?;
    let (verb, hint) = match action {
        ById::Trash => (
            "moved to the trash",
            "; `tessera-cli undelete` brings it back",
        ),
        ById::Restore => ("restored", ""),
        ById::Purge => ("deleted for good", ""),
    };
    println!("{} {verb}{hint}", short(&id.to_string()));
    crate::output::after_change(&opened);
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `passwd`.
#[derive(clap::Args)]
pub struct PasswdArgs {
    /// Read the new password from this file (else TESSERA_NEW_PASSWORD, else a prompt).
    #[arg(long, value_name = "FILE")]
    new_password_file: Option<std::path::PathBuf>,
    #[command(flatten)]
    kdf: KdfArgs,
}

/// `passwd`: a new password and a new master key.
pub fn passwd(vault: &VaultArgs, args: PasswdArgs) -> Result<ExitCode, CliError> {
    let path = vault.path()?;
    // The current password, even where the keystore would open the vault.
    let mut opened = vault.open_with_password()?;
    let had_keystore = opened.has_keystore_slot();
    let password = new_password("TESSERA_NEW_PASSWORD", args.new_password_file.as_deref())?;
    check_strength(&password)?;
    let (kdf, _) = args.kdf.params();
    let resealed = opened
        .change_password(password.as_bytes(), kdf, Some(&OsKeystore::new()))
        .map_err(|e| vault_error(e, &path))?;
    println!(
        "Password changed; the vault has a new master key. The {resealed} earlier versions kept beside it were sealed again: the old password opens none of them."
    );
    if tessera_core::transfer::autobackup::exist(&path) {
        println!(
            "note: automatic backups made before now still open with the old password; `tessera-cli autobackup --rewrite` (asks for the old password) seals them again with the new one"
        );
    }
    if had_keystore {
        match opened.enable_keystore(&OsKeystore::new()) {
            Ok(()) => println!("Keystore unlock was set up again for the new key."),
            Err(e) => eprintln!(
                "warning: keystore unlock is off now ({e}); `tessera-cli keystore on` sets it up again"
            ),
        }
    }
    crate::output::after_change(&opened);
    Ok(ExitCode::SUCCESS)
}

/// `keystore on|off`.
pub fn keystore(vault: &VaultArgs, on: bool) -> Result<ExitCode, CliError> {
    let path = vault.path()?;
    let mut opened = vault.open_with_password()?;
    let store = OsKeystore::new();
    if on {
        opened
            .enable_keystore(&store)
            .map_err(|e| vault_error(e, &path))?;
        println!(
            "Keystore unlock is on: Tessera opens this vault without the password for your user."
        );
    } else {
        opened
            .disable_keystore(&store)
            .map_err(|e| vault_error(e, &path))?;
        println!("Keystore unlock is off: the password is needed to open this vault.");
    }
    crate::output::after_change(&opened);
    Ok(ExitCode::SUCCESS)
}

/// Refuses passwords too short to protect the seeds.
fn check_strength(password: &str) -> Result<(), CliError> {
    if password.chars().count() < 8 {
        return Err(CliError::new(
            "the password is shorter than 8 characters",
            "Choose a longer password: a few unrelated words are easy to remember and hard to guess.",
        ));
    }
    Ok(())
}
