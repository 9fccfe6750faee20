//! Integration tests of tessera-cli, built as one binary.

mod cmd_cases;
mod vault_roundtrip;
