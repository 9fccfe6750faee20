//! `tessera-cli code`: codes of the vault's accounts, or of one URI with `--uri` (no vault).

use std::process::ExitCode;

use serde_json::{Value, json};
use tessera_core::otp::{Codes, Otp, OtpKind, Payload};

use crate::error::CliError;
use crate::input;
use crate::output::{account_json, describe, short};
use crate::unlock::{VaultArgs, vault_error};

/// Arguments of `code`.
#[derive(clap::Args)]
pub struct Args {
    /// Only accounts whose issuer, name, tenant, tags or note contain these words.
    #[arg(conflicts_with = "uri")]
    query: Option<String>,
    /// Compute the code of this otpauth:// URI instead (no vault needed); - reads it from
    /// standard input, which keeps it out of the shell history.
    #[arg(long, value_name = "URI")]
    uri: Option<String>,
    /// Compute the code at this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
    /// Print JSON: code, next, seconds_left, period, counter, kind (and the account, from a vault).
    #[arg(long)]
    json: bool,
}

fn codes_json(otp: &Otp, codes: &Codes, at: u64) -> Value {
    json!({
        "code": codes.current.as_str(),
        "next": codes.next.as_str(),
        "seconds_left": codes.seconds_left,
        "period": otp.kind().period(),
        "counter": otp.kind().counter(),
        "kind": otp.kind().as_str(),
        "at": at,
    })
}

fn codes_text(codes: &Codes) -> String {
    match codes.seconds_left {
        Some(left) => format!(
            "{} ({left} s left, next {})",
            codes.current.as_str(),
            codes.next.as_str()
        ),
        None => format!("{} (next {})", codes.current.as_str(), codes.next.as_str()),
    }
}

/// Runs `code`.
pub fn run(vault: &VaultArgs, args: Args) -> Result<ExitCode, CliError> {
    let at = args.at.unwrap_or_else(input::now);
    let Some(uri) = &args.uri else {
        return from_vault(vault, args.query.as_deref(), at, args.json);
    };
    let text = input::payload(uri)?;
    let enrolment = match crate::manage::payload_with_pin(&text)? {
        Payload::Account(enrolment) => enrolment,
        Payload::Migration(batch) => {
            return Err(CliError::new(
                format!(
                    "this is a Google Authenticator export with {} accounts, not one account",
                    batch.entries.len()
                ),
                "List its accounts with `tessera-cli inspect --show-secrets`, then pass one otpauth:// URI to --uri.",
            ));
        }
    };
    let codes = enrolment.otp.codes_at(at);
    if args.json {
        println!("{}", codes_json(&enrolment.otp, &codes, at));
    } else {
        println!("{}", codes_text(&codes));
    }
    Ok(ExitCode::SUCCESS)
}

/// Codes of every matching account; showing an HOTP code uses it, so its counter moves on.
fn from_vault(
    vault: &VaultArgs,
    query: Option<&str>,
    at: u64,
    as_json: bool,
) -> Result<ExitCode, CliError> {
    let path = vault.path()?;
    let mut opened = vault.open()?;
    let accounts: Vec<_> = opened
        .search(query.unwrap_or_default())
        .into_iter()
        .cloned()
        .collect();
    let mut advanced = false;
    if accounts.is_empty() {
        return Err(CliError::new(
            format!("no account matches \"{}\"", query.unwrap_or_default()),
            "See the accounts with `tessera-cli list`.",
        ));
    }
    let mut out = Vec::new();
    for account in &accounts {
        let codes = account.otp.codes_at(at);
        if as_json {
            let mut value = account_json(account);
            for (key, field) in codes_json(&account.otp, &codes, at)
                .as_object()
                .expect("an object")
            {
                value[key] = field.clone();
            }
            out.push(value);
        } else {
            println!(
                "{}  {}  {}",
                short(&account.id.to_string()),
                describe(account),
                codes_text(&codes)
            );
        }
        if let OtpKind::Hotp { .. } = account.otp.kind() {
            advanced = true;
            opened
                .advance_counter(account.id, input::now())
                .map_err(|e| vault_error(e, &path))?;
        }
    }
    if as_json {
        println!("{}", Value::Array(out));
    }
    if advanced {
        crate::output::after_change(&opened);
    }
    Ok(ExitCode::SUCCESS)
}
