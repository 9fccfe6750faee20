//! Integration tests of tessera-cli, built as one binary.

mod cmd_cases;
mod concurrent;
mod handover;
mod python_reader;
mod scan;
mod sync;
mod syncthing;
mod transfer;
mod vault_roundtrip;
