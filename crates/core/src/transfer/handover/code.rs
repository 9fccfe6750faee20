//! The one-time transfer code: what the receiver types, never in the QR codes. Twelve
//! characters of Crockford's Base32 (no I, L, O or U, so nothing reads as another), shown as
//! `XXXX-XXXX-XXXX`: eleven random (55 bits) and a check character that catches a mistyped or
//! swapped character before the slow key derivation runs.
//!
//! The code is the password of the transfer's backup container (Argon2id at
//! [`super::TRANSFER_KDF`]): docs/transfer.md states what an offline guess costs.

use zeroize::Zeroizing;

/// Crockford's Base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random characters in a code.
const RANDOM: usize = 11;
/// Characters in a code, with the check character.
pub const LENGTH: usize = RANDOM + 1;

/// A transfer code, normalised (upper case, no separators). Wiped when dropped; its `Debug`
/// shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct TransferCode(Zeroizing<String>);

impl std::fmt::Debug for TransferCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TransferCode(..)")
    }
}

/// What is wrong with a typed code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Too few or too many characters.
    #[error("the transfer code has {0} characters; it has 12 (groups of 4)")]
    Length(usize),
    /// A character outside the alphabet.
    #[error("the transfer code cannot contain \"{0}\"")]
    Character(char),
    /// The check character does not match: a character was mistyped or two were swapped.
    #[error("the transfer code is mistyped (its last character does not match the others)")]
    Check,
}

impl CodeError {
    /// What the user can do.
    pub fn advice(&self) -> &'static str {
        "Type the code exactly as the sending device shows it; dashes and spaces do not matter."
    }
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// The check character of the random part: a weighted sum modulo 31 (prime), so any single
/// wrong character and any swap of two neighbours changes it.
fn check(random: &[u8]) -> u8 {
    let sum: u32 = random
        .iter()
        .enumerate()
        .map(|(i, &c)| (i as u32 + 1) * value(c).unwrap_or(0))
        .sum();
    ALPHABET[(sum % 31) as usize]
}

impl TransferCode {
    /// A new code from the operating system's randomness.
    pub fn generate() -> TransferCode {
        let bytes = crate::file::random::<RANDOM>();
        let mut code = Zeroizing::new(String::with_capacity(LENGTH));
        let random: Vec<u8> = bytes.iter().map(|b| ALPHABET[(b & 31) as usize]).collect();
        code.extend(random.iter().map(|&c| c as char));
        code.push(check(&random) as char);
        TransferCode(code)
    }

    /// A typed code: case, spaces and dashes do not matter, and O, I and L read as 0, 1, 1.
    pub fn parse(typed: &str) -> Result<TransferCode, CodeError> {
        let mut code = Zeroizing::new(String::with_capacity(LENGTH));
        for c in typed.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\u{2013}' | '\u{2014}' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && value(c as u8).is_some() => c,
                c => return Err(CodeError::Character(c)),
            };
            code.push(c);
        }
        if code.len() != LENGTH {
            return Err(CodeError::Length(code.len()));
        }
        let (random, last) = code.as_bytes().split_at(RANDOM);
        if check(random) != last[0] {
            return Err(CodeError::Check);
        }
        Ok(TransferCode(code))
    }

    /// The code as shown: `XXXX-XXXX-XXXX`.
    pub fn display(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(LENGTH + 2));
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    /// The password of the transfer's container: the twelve characters, upper case, no
    /// dashes (docs/transfer.md).
    pub fn password(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Bits of randomness in a code.
    pub const ENTROPY_BITS: u32 = 5 * RANDOM as u32;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_code_parses_back_however_it_is_typed() {
        for _ in 0..200 {
            let code = TransferCode::generate();
            let shown = code.display();
            assert_eq!(shown.len(), 14);
            assert_eq!(TransferCode::parse(&shown).unwrap(), code);
            let sloppy = shown.to_lowercase().replace('-', " ");
            assert_eq!(TransferCode::parse(&sloppy).unwrap(), code);
        }
    }

    #[test]
    fn mistypes_are_caught_before_the_key_derivation() {
        let code = TransferCode::generate();
        let text = code.0.to_string();
        // Every single wrong character.
        for i in 0..LENGTH {
            for &c in ALPHABET.iter() {
                if c == text.as_bytes()[i] {
                    continue;
                }
                let mut wrong = text.clone().into_bytes();
                wrong[i] = c;
                let wrong = String::from_utf8(wrong).unwrap();
                // 0 and Z differ by 31 in value: the one substitution modulo 31 cannot see.
                let blind = i < RANDOM
                    && (value(c).unwrap() as i32 - value(text.as_bytes()[i]).unwrap() as i32).abs()
                        == 31;
                if !blind {
                    assert_eq!(TransferCode::parse(&wrong), Err(CodeError::Check), "{i}");
                }
            }
        }
        // Swapped neighbours.
        for i in 0..RANDOM - 1 {
            let mut swapped = text.clone().into_bytes();
            let gap = value(swapped[i]).unwrap() as i32 - value(swapped[i + 1]).unwrap() as i32;
            // Equal, or 0 and Z (equal modulo 31): a swap nothing can see.
            if gap == 0 || gap.abs() == 31 {
                continue;
            }
            swapped.swap(i, i + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            assert_eq!(TransferCode::parse(&swapped), Err(CodeError::Check));
        }
        assert_eq!(TransferCode::parse("ABCD-EFGH"), Err(CodeError::Length(8)));
        assert_eq!(
            TransferCode::parse("ABCD-EFGH-JKMU"),
            Err(CodeError::Character('U'))
        );
        assert_eq!(format!("{code:?}"), "TransferCode(..)");
    }
}
