/// One-line table rows for parser errors, in the style of globset's `syntaxerr!`:
/// `uri_err!(name, "uri", pattern)` asserts that parsing fails with an error matching `pattern`.
macro_rules! uri_err {
    ($name:ident, $uri:expr, $pattern:pat) => {
        #[test]
        fn $name() {
            let result = tessera_core::otp::parse_otpauth($uri);
            assert!(
                matches!(result, Err($pattern)),
                "{:?} gave {:?}",
                $uri,
                result.map(|e| e.name)
            );
        }
    };
}

/// `payload_err!(name, "text", pattern)` asserts that classifying the text fails as `pattern`.
macro_rules! payload_err {
    ($name:ident, $text:expr, $pattern:pat) => {
        #[test]
        fn $name() {
            let result = tessera_core::otp::parse_payload($text);
            assert!(
                matches!(result, Err($pattern)),
                "{:?} gave {:?}",
                $text,
                result.map(|_| ())
            );
        }
    };
}
