//! How numbers travel. Terraform numbers are arbitrary-precision, so the codecs never let one pass through an `f64`
//! on its way in or out unless that loses nothing. msgpack carries a number as an integer when it fits an int64, as
//! a float64 when it is a fraction that a float64 holds exactly, and otherwise as decimal text (go-cty's rule,
//! `cty/msgpack/marshal.go`: an integer beyond int64 goes as text, never as uint64 or float64); JSON always
//! carries decimal text. A float64 that arrives stands for its exact value, as in go-cty.

use bigdecimal::num_bigint::BigInt;

use super::codec_error::Problem;
use super::value::{Decimal, Number, NumberTextError};

/// Longest plain-notation text the encoders write; beyond it they switch to exponent notation, which Terraform also
/// parses. Terraform writes `1e4096` as 4,097 characters of plain text, so the numbers it sends come back in the
/// form it sent them.
const PLAIN_TEXT_LIMIT: usize = 2 * 4096 + 16;

/// The form a number takes in msgpack.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WireNumber {
    Signed(i64),
    Float(f64),
    Text(String),
}

/// How to write `number` in msgpack without losing anything, and so that decoding gives back the same number.
pub(crate) fn wire_form(number: &Number) -> WireNumber {
    match number {
        Number::PositiveInfinity => WireNumber::Float(f64::INFINITY),
        Number::NegativeInfinity => WireNumber::Float(f64::NEG_INFINITY),
        Number::Finite(decimal) => finite_wire_form(decimal),
    }
}

fn finite_wire_form(decimal: &Decimal) -> WireNumber {
    let (digits, exponent) = decimal.digits_and_exponent();
    if exponent >= 0 {
        if let Some(integer) = small_integer(digits, exponent) {
            return integer;
        }
    } else if let Some(float) = exact_float(decimal) {
        return WireNumber::Float(float);
    }
    WireNumber::Text(decimal_text(decimal))
}

/// `digits × 10^exponent` as an msgpack integer, when it fits `i64`.
fn small_integer(digits: &BigInt, exponent: i64) -> Option<WireNumber> {
    // 10^19 exceeds i64::MAX, so any non-zero integer with a larger exponent is out of range.
    if exponent > 18 {
        return None;
    }
    let scaled;
    let integer = if exponent == 0 {
        digits
    } else {
        scaled = digits * BigInt::from(10u8).pow(exponent as u32);
        &scaled
    };
    i64::try_from(integer).ok().map(WireNumber::Signed)
}

/// The float64 whose exact value is `decimal`, if there is one (go-cty sends a number as float64 exactly then).
fn exact_float(decimal: &Decimal) -> Option<f64> {
    let number = Number::Finite(decimal.clone());
    let float = number.to_f64();
    (float.is_finite() && Number::from_f64(float).as_ref() == Some(&number)).then_some(float)
}

/// Decimal text of a finite number: plain notation as go-cty writes it (`123`, `-0.5`), or for numbers whose plain
/// form would be enormous, exponent notation (`1.5e-9000`). Always valid as a JSON number.
pub(crate) fn decimal_text(decimal: &Decimal) -> String {
    decimal.text(PLAIN_TEXT_LIMIT)
}

/// Parses decimal text (also `Inf`, `+Inf`, `-Inf`) exactly, of any length.
pub(crate) fn parse_number(text: &str) -> Result<Number, Problem> {
    Number::parse(text).map_err(|error| match error {
        NumberTextError::Invalid => Problem::InvalidNumber(abbreviated(text)),
        NumberTextError::OutOfRange => Problem::NumberOutOfRange(abbreviated(text)),
    })
}

/// The number a float64 stands for: its exact value, as go-cty's `NumberFloatVal` takes it.
pub(crate) fn number_from_float(float: f64) -> Result<Number, Problem> {
    Number::from_f64(float).ok_or_else(|| Problem::InvalidNumber("NaN".to_string()))
}

pub(crate) fn number_from_unsigned(integer: u64) -> Number {
    Number::Finite(Decimal::new(BigInt::from(integer), 0))
}

/// Error messages quote offending text, but never a megabyte of it.
pub(crate) fn abbreviated(text: &str) -> String {
    const LIMIT: usize = 64;
    if text.len() <= LIMIT {
        return format!("{text:?}");
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{:?}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Number {
        text.parse().unwrap()
    }

    #[test]
    fn integers_go_as_integers_when_they_fit_int64_else_as_text() {
        assert_eq!(wire_form(&Number::from(42)), WireNumber::Signed(42));
        assert_eq!(wire_form(&number("-7")), WireNumber::Signed(-7));
        assert_eq!(wire_form(&number("1e3")), WireNumber::Signed(1000));
        assert_eq!(wire_form(&number("60.000")), WireNumber::Signed(60));
        assert_eq!(
            wire_form(&number("18446744073709551615")),
            WireNumber::Text("18446744073709551615".to_string())
        );
        assert_eq!(
            wire_form(&number("18446744073709551616")),
            WireNumber::Text("18446744073709551616".to_string())
        );
        assert_eq!(
            wire_form(&number("1e30")),
            WireNumber::Text("1000000000000000000000000000000".to_string())
        );
    }

    #[test]
    fn fractions_go_as_float_only_when_exact() {
        assert_eq!(wire_form(&number("0.5")), WireNumber::Float(0.5));
        assert_eq!(wire_form(&number("-2.25")), WireNumber::Float(-2.25));
        assert_eq!(wire_form(&number("0.1")), WireNumber::Text("0.1".to_string()));
        // The exact value of a float64 goes back as that float64, as go-cty sends it.
        assert_eq!(wire_form(&Number::from_f64(0.1).unwrap()), WireNumber::Float(0.1));
        assert_eq!(wire_form(&Number::from_f64(1e-300).unwrap()), WireNumber::Float(1e-300));
        let plain = format!("1{}", "0".repeat(4096));
        assert_eq!(wire_form(&number("1e4096")), WireNumber::Text(plain));
        assert_eq!(
            wire_form(&number("123456789012345678901234567890.5")),
            WireNumber::Text("123456789012345678901234567890.5".to_string())
        );
        assert_eq!(
            wire_form(&Number::NegativeInfinity),
            WireNumber::Float(f64::NEG_INFINITY)
        );
    }

    #[test]
    fn decimal_text_is_plain_unless_enormous() {
        let text = |s: &str| match number(s) {
            Number::Finite(decimal) => decimal_text(&decimal),
            _ => unreachable!(),
        };
        assert_eq!(text("0"), "0");
        assert_eq!(text("-0.000125"), "-0.000125");
        assert_eq!(text("1.5e3"), "1500");
        assert_eq!(text("12.340"), "12.34");
        let huge = Decimal::new(BigInt::from(15), 20_000);
        assert_eq!(decimal_text(&huge), "1.5e20001");
        let tiny = Decimal::new(BigInt::from(-3), -20_000);
        assert_eq!(decimal_text(&tiny), "-3e-20000");
    }

    #[test]
    fn parsing_is_exact_and_bounded() {
        assert_eq!(parse_number("0.1").unwrap(), number("0.1"));
        assert_eq!(parse_number("+Inf").unwrap(), Number::PositiveInfinity);
        assert_eq!(parse_number("1e4000").unwrap(), number("1e4000"));
        let plain = format!("1{}", "0".repeat(4096));
        assert_eq!(parse_number(&plain).unwrap(), number("1e4096"));
        assert!(matches!(parse_number("1e999999999"), Err(Problem::NumberOutOfRange(_))));
        assert!(matches!(
            parse_number("1e-999999999"),
            Err(Problem::NumberOutOfRange(_))
        ));
        assert!(matches!(parse_number("twelve"), Err(Problem::InvalidNumber(_))));
        assert!(number_from_float(f64::NAN).is_err());
    }
}
