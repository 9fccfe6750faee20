//! Codes compared with Debian's `oathtool` (OATH Toolkit, an independent C implementation) on
//! random secrets, times, periods, counters, digits and algorithms.
//!
//! oathtool only computes 6 to 8 digits; 9 and 10 are covered by the RFC 4226 "Truncated" column
//! in `codes.rs`. The test is skipped with a notice when oathtool is missing, unless
//! `TESSERA_REQUIRE_OATHTOOL=1` (set by the project's test command, which installs it).

use std::process::Command;

use proptest::prelude::*;
use tessera_core::otp::{Algorithm, Otp, OtpKind, Secret};

fn oathtool_available() -> bool {
    let found = Command::new("oathtool")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("TESSERA_REQUIRE_OATHTOOL").is_none(),
            "oathtool is required (TESSERA_REQUIRE_OATHTOOL is set) but not installed: apt-get install oathtool"
        );
        eprintln!(
            "note: oathtool comparison skipped: oathtool is not installed (apt-get install oathtool)"
        );
    }
    found
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn algorithm_name(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Sha1 => "sha1",
        Algorithm::Sha256 => "sha256",
        Algorithm::Sha512 => "sha512",
    }
}

fn oathtool(args: &[String]) -> String {
    let output = Command::new("oathtool")
        .args(args)
        .output()
        .expect("run oathtool");
    assert!(
        output.status.success(),
        "oathtool {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn algorithms() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn totp_matches_oathtool(
        secret in prop::collection::vec(any::<u8>(), 1..64),
        time in 0u64..(1 << 34),
        period in prop_oneof![Just(30u32), Just(60), 1u32..=3600],
        digits in 6u8..=8,
        algorithm in algorithms(),
    ) {
        if !oathtool_available() {
            return Ok(());
        }
        let otp = Otp::new(OtpKind::Totp { period }, algorithm, digits, Secret::from_bytes(secret.clone()).unwrap()).unwrap();
        let expected = oathtool(&[
            format!("--totp={}", algorithm_name(algorithm)),
            format!("--digits={digits}"),
            format!("--time-step-size={period}s"),
            format!("--now=@{time}"),
            hex(&secret),
        ]);
        let codes = otp.codes_at(time);
        prop_assert_eq!(codes.current.as_str(), expected.as_str());
    }

    #[test]
    fn hotp_matches_oathtool(
        secret in prop::collection::vec(any::<u8>(), 1..64),
        counter in prop_oneof![0u64..100, any::<u64>()],
        digits in 6u8..=8,
    ) {
        if !oathtool_available() {
            return Ok(());
        }
        let otp = Otp::new(OtpKind::Hotp { counter }, Algorithm::Sha1, digits, Secret::from_bytes(secret.clone()).unwrap()).unwrap();
        let expected = oathtool(&[
            "--hotp".into(),
            format!("--digits={digits}"),
            format!("--counter={counter}"),
            hex(&secret),
        ]);
        let codes = otp.codes_at(0);
        prop_assert_eq!(codes.current.as_str(), expected.as_str());
    }
}
