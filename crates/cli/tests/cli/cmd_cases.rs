//! The command line's exact output, locked by trycmd case files in `tests/cmd/` (one command
//! per file, with its stdout, stderr and exit status).

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
