//! `list` and `trash`: the accounts, without secrets.

use std::process::ExitCode;

use serde_json::{Value, json};

use crate::error::CliError;
use crate::output::{account_json, describe, short};
use crate::unlock::VaultArgs;

/// Arguments of `list`.
#[derive(clap::Args)]
pub struct ListArgs {
    /// Only accounts whose issuer, name, tenant, tags or note contain these words.
    query: Option<String>,
    /// Print JSON (no secrets).
    #[arg(long)]
    json: bool,
}

/// `list`.
pub fn list(vault: &VaultArgs, args: ListArgs) -> Result<ExitCode, CliError> {
    let opened = vault.open()?;
    let accounts = match &args.query {
        Some(query) => opened.search(query),
        None => opened.accounts(),
    };
    if args.json {
        println!(
            "{}",
            Value::Array(accounts.iter().map(|a| account_json(a)).collect())
        );
    } else if accounts.is_empty() {
        println!(
            "{}",
            if args.query.is_some() {
                "No account matches."
            } else {
                "No accounts yet; add one with `tessera-cli add URI`."
            }
        );
    } else {
        for a in accounts {
            println!("{}  {}", short(&a.id.to_string()), describe(a));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `trash`.
#[derive(clap::Args)]
pub struct TrashArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `trash`: what is in the trash.
pub fn trash(vault: &VaultArgs, args: TrashArgs) -> Result<ExitCode, CliError> {
    let opened = vault.open()?;
    let trashed = opened.trash();
    if args.json {
        let items: Vec<Value> = trashed
            .iter()
            .map(|(a, when)| {
                let mut v = account_json(a);
                v["trashed"] = json!(when);
                v
            })
            .collect();
        println!("{}", Value::Array(items));
    } else if trashed.is_empty() {
        println!("The trash is empty.");
    } else {
        for (a, _) in trashed {
            println!("{}  {}", short(&a.id.to_string()), describe(a));
        }
    }
    Ok(ExitCode::SUCCESS)
}
