//! `list` and `trash`: the accounts, without secrets.

use std::process::ExitCode;

use serde_json::{Value, json};
use tessera_core::otp::Account;

use crate::error::CliError;
use crate::manage::short;
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

/// One account as JSON, without its secret.
pub fn account_json(a: &Account) -> Value {
    json!({
        "id": a.id.to_string(),
        "kind": a.otp.kind().as_str(),
        "issuer": a.issuer,
        "name": a.name,
        "algorithm": a.otp.algorithm().as_str(),
        "digits": a.otp.digits(),
        "period": a.otp.kind().period(),
        "counter": a.otp.kind().counter(),
        "tenant": a.tenant,
        "tags": a.tags,
        "note": a.note,
        "pinned": a.pinned,
    })
}

/// `issuer: name [tenant] #tag` for one line.
pub fn describe(a: &Account) -> String {
    let mut line = a.label();
    if !a.tenant.is_empty() {
        line.push_str(&format!(" [{}]", a.tenant));
    }
    for tag in &a.tags {
        line.push_str(&format!(" #{tag}"));
    }
    if a.pinned {
        line.push_str(" (pinned)");
    }
    if let Some(first) = a.note.lines().next().filter(|l| !l.is_empty()) {
        line.push_str(&format!(" — {first}"));
    }
    line
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
