//! `tessera-cli code --uri URI`: one URI's codes, no vault needed.

use std::process::ExitCode;

use serde_json::json;
use tessera_core::otp::{Payload, parse_payload};

use crate::error::CliError;
use crate::input;

/// Arguments of `code`.
#[derive(clap::Args)]
pub struct Args {
    /// The otpauth:// URI, or - to read it from standard input (keeps it out of the shell history).
    #[arg(long, value_name = "URI")]
    uri: String,
    /// Compute the code at this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
    /// Print JSON: code, next, seconds_left, period, counter, kind.
    #[arg(long)]
    json: bool,
}

/// Runs `code`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let text = input::payload(&args.uri)?;
    let enrolment = match parse_payload(&text)? {
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
    let at = args.at.unwrap_or_else(input::now);
    let otp = &enrolment.otp;
    let codes = otp.codes_at(at);
    if args.json {
        let value = json!({
            "code": codes.current.as_str(),
            "next": codes.next.as_str(),
            "seconds_left": codes.seconds_left,
            "period": otp.kind().period(),
            "counter": match otp.kind() { tessera_core::otp::OtpKind::Hotp { counter } => Some(counter), _ => None },
            "kind": otp.kind().as_str(),
            "at": at,
        });
        println!("{value}");
    } else {
        match codes.seconds_left {
            Some(left) => println!(
                "{} ({left} s left, next {})",
                codes.current.as_str(),
                codes.next.as_str()
            ),
            None => println!("{} (next {})", codes.current.as_str(), codes.next.as_str()),
        }
    }
    Ok(ExitCode::SUCCESS)
}
