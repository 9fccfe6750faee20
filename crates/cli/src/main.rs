//! `tessera-cli`: Tessera's command line, over the same core as the app.
//!
//! Every command prints its result on stdout (`--json` for scripts) and, on failure, a message
//! and a hint on stderr with a non-zero exit status. Secrets never appear unless asked for with
//! `--show-secrets`; a URI argument of `-` is read from standard input so that it stays out of the
//! shell history and the process list.

mod code;
mod error;
mod input;
mod inspect;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tessera's command line: compute codes and inspect enrolment payloads.
#[derive(Parser)]
#[command(name = "tessera-cli", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the current code, the seconds left and the next code of one otpauth:// URI.
    Code(code::Args),
    /// Show what an enrolment payload (otpauth:// or otpauth-migration:// URI) holds.
    Inspect(inspect::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => code::run(args),
        Command::Inspect(args) => inspect::run(args),
    };
    match result {
        Ok(status) => status,
        Err(error) => {
            error.print();
            ExitCode::FAILURE
        }
    }
}
