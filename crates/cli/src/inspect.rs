//! `tessera-cli inspect PAYLOAD`: what an enrolment payload holds, one account per entry.

use std::process::ExitCode;

use serde_json::{Value, json};
use tessera_core::otp::{Enrolment, OtpKind, Payload, parse_payload, to_otpauth};

use crate::error::CliError;
use crate::input;

/// Arguments of `inspect`.
#[derive(clap::Args)]
pub struct Args {
    /// The otpauth:// or otpauth-migration:// URI, or - to read it from standard input.
    #[arg(value_name = "PAYLOAD")]
    payload: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Include each account's secret and otpauth:// URI (hidden by default).
    #[arg(long)]
    show_secrets: bool,
}

/// Runs `inspect`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let text = input::payload(&args.payload)?;
    let (batch, entries) = match parse_payload(&text)? {
        Payload::Account(enrolment) => (None, vec![Ok(enrolment)]),
        Payload::Migration(batch) => (Some(batch.info), batch.entries),
    };
    let failed: Vec<String> = entries
        .iter()
        .filter_map(|e| e.as_ref().err())
        .map(ToString::to_string)
        .collect();
    let accounts: Vec<&Enrolment> = entries.iter().filter_map(|e| e.as_ref().ok()).collect();

    if args.json {
        let value = json!({
            "kind": if batch.is_some() { "google-migration" } else { "otpauth" },
            "batch": batch.map(|b| json!({ "index": b.index, "size": b.size, "id": b.id })),
            "accounts": accounts.iter().map(|a| account_json(a, args.show_secrets)).collect::<Vec<_>>(),
            "errors": failed,
        });
        println!("{value}");
    } else {
        if let Some(b) = batch {
            println!(
                "Google Authenticator export: QR code {} of {} (batch id {}), {} accounts",
                b.index + 1,
                b.size,
                b.id,
                entries.len()
            );
        }
        for (i, account) in accounts.iter().enumerate() {
            print_account(i + 1, account, args.show_secrets);
        }
        if !args.show_secrets {
            println!("(secrets hidden; add --show-secrets to show them)");
        }
    }
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    Err(CliError::new(
        format!(
            "{} of {} accounts could not be read:\n  {}",
            failed.len(),
            entries.len(),
            failed.join("\n  ")
        ),
        "The other accounts are listed above; re-export the failed ones from the source app.",
    ))
}

/// The moving factor to show: HOTP's counter, or the period of time-based kinds.
fn parameter(kind: OtpKind) -> (&'static str, u64) {
    match kind.counter() {
        Some(counter) => ("counter", counter),
        None => ("period", u64::from(kind.period().unwrap_or_default())),
    }
}

fn account_json(account: &Enrolment, show_secrets: bool) -> Value {
    let otp = &account.otp;
    let mut value = json!({
        "type": otp.kind().as_str(),
        "issuer": account.issuer,
        "name": account.name,
        "tenant": account.tenant,
        "algorithm": otp.algorithm_name(),
        "digits": otp.digits(),
        "period": otp.kind().period(),
        "counter": otp.kind().counter(),
    });
    if show_secrets {
        value["secret"] = json!(otp.secret().to_base32().as_str());
        value["uri"] = json!(to_otpauth(account).as_str());
    }
    value
}

fn print_account(number: usize, account: &Enrolment, show_secrets: bool) {
    let otp = &account.otp;
    let (name, value) = parameter(otp.kind());
    println!("account {number}:");
    println!("  type:      {}", otp.kind().as_str().to_uppercase());
    println!("  issuer:    {}", account.issuer);
    println!("  name:      {}", account.name);
    if !account.tenant.is_empty() {
        println!("  tenant:    {}", account.tenant);
    }
    println!("  algorithm: {}", otp.algorithm_name());
    println!("  digits:    {}", otp.digits());
    println!(
        "  {name}:{}{value}{}",
        " ".repeat(10 - name.len()),
        if name == "period" { " s" } else { "" }
    );
    if show_secrets {
        println!("  secret:    {}", otp.secret().to_base32().as_str());
        println!("  uri:       {}", to_otpauth(account).as_str());
    }
}
