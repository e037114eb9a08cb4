//! How numbers travel. Terraform numbers are arbitrary-precision decimals, so the codecs never let one pass through
//! an `f64` on its way in or out unless that loses nothing. msgpack carries a number as an integer when it is one,
//! as a float64 when that is exact, and otherwise as decimal text (go-cty's rule); JSON always carries decimal text.

use bigdecimal::BigDecimal;
use bigdecimal::num_bigint::{BigInt, Sign};

use super::codec_error::Problem;
use super::value::Number;

/// The largest decimal exponent (either sign) of a number the decoders accept. Terraform writes numbers in plain
/// notation, so anything it sends fits; the limit stops hostile input such as `1e999999999` from reaching code that
/// expands a number to its digits (a gigabyte of zeros).
pub(crate) const MAX_DECIMAL_EXPONENT: i64 = 4096;

/// Longest plain-notation text the encoders write; beyond it they switch to exponent notation, which Terraform also
/// parses. Only numbers built by code (never decoded ones) can be that long.
const PLAIN_TEXT_LIMIT: i64 = 2 * MAX_DECIMAL_EXPONENT + 16;

/// A float64 prints with at most this many significant digits in its shortest form.
const MAX_FLOAT_DIGITS: u64 = 17;

/// The form a number takes in msgpack.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WireNumber {
    Signed(i64),
    /// Integers above `i64::MAX` that still fit a `u64`.
    Unsigned(u64),
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

fn finite_wire_form(decimal: &BigDecimal) -> WireNumber {
    // Fast path for the common case, integers stored without a fractional scale: no normalisation needed.
    let (digits, scale) = decimal.as_bigint_and_scale();
    if scale <= 0
        && let Some(integer) = small_integer(&digits, -scale)
    {
        return integer;
    }
    let normalized = decimal.normalized();
    let (digits, scale) = normalized.as_bigint_and_scale();
    if scale <= 0 {
        if let Some(integer) = small_integer(&digits, -scale) {
            return integer;
        }
    } else if let Some(float) = exact_float(&normalized) {
        return WireNumber::Float(float);
    }
    WireNumber::Text(decimal_text(&normalized))
}

/// `digits × 10^exponent` as an msgpack integer, when it fits `i64` or `u64`.
fn small_integer(digits: &BigInt, exponent: i64) -> Option<WireNumber> {
    if digits.sign() == Sign::NoSign {
        return Some(WireNumber::Signed(0));
    }
    // 10^20 exceeds u64::MAX, so any non-zero integer with a larger exponent is out of range.
    if exponent > 19 {
        return None;
    }
    let scaled;
    let integer = if exponent == 0 {
        digits
    } else {
        scaled = digits * BigInt::from(10u8).pow(exponent as u32);
        &scaled
    };
    if let Ok(signed) = i64::try_from(integer) {
        Some(WireNumber::Signed(signed))
    } else {
        u64::try_from(integer).ok().map(WireNumber::Unsigned)
    }
}

/// The float64 that is exactly `normalized` *and* prints as exactly `normalized` (so decoding it, which takes the
/// shortest decimal form, gives the same number back). Otherwise the number goes as text.
fn exact_float(normalized: &BigDecimal) -> Option<f64> {
    if normalized.digits() > MAX_FLOAT_DIGITS {
        return None;
    }
    let float: f64 = decimal_text(normalized).parse().ok()?;
    if !float.is_finite() {
        return None;
    }
    let exact = BigDecimal::try_from(float).ok()?.normalized();
    let shortest = Number::from_f64(float)?;
    (exact == *normalized && shortest == Number::Finite(normalized.clone())).then_some(float)
}

/// Decimal text of a finite number: plain notation as go-cty writes it (`123`, `-0.5`), or for numbers whose plain
/// form would be enormous, exponent notation (`1.5e-9000`). Always valid as a JSON number.
pub(crate) fn decimal_text(decimal: &BigDecimal) -> String {
    let (digits, mut scale) = decimal.as_bigint_and_scale();
    if digits.sign() == Sign::NoSign {
        return "0".to_string();
    }
    let all_digits = digits.magnitude().to_string();
    let significant = all_digits.trim_end_matches('0');
    scale -= (all_digits.len() - significant.len()) as i64;
    let count = significant.len() as i64;
    let mut text = String::new();
    if digits.sign() == Sign::Minus {
        text.push('-');
    }
    let plain_length = if scale <= 0 {
        count - scale
    } else if scale < count {
        count + 1
    } else {
        scale + 2
    };
    if plain_length > PLAIN_TEXT_LIMIT {
        let (first, rest) = significant.split_at(1);
        text.push_str(first);
        if !rest.is_empty() {
            text.push('.');
            text.push_str(rest);
        }
        text.push('e');
        text.push_str(&(count - 1 - scale).to_string());
    } else if scale <= 0 {
        text.push_str(significant);
        text.extend(std::iter::repeat_n('0', (-scale) as usize));
    } else if scale < count {
        let (whole, fraction) = significant.split_at((count - scale) as usize);
        text.push_str(whole);
        text.push('.');
        text.push_str(fraction);
    } else {
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', (scale - count) as usize));
        text.push_str(significant);
    }
    text
}

/// Parses decimal text exactly (also `Inf`, `+Inf`, `-Inf`), within [`MAX_DECIMAL_EXPONENT`].
pub(crate) fn parse_number(text: &str) -> Result<Number, Problem> {
    let number: Number = text.parse().map_err(|_| Problem::InvalidNumber(abbreviated(text)))?;
    if let Number::Finite(decimal) = &number {
        // `Number::from_str` normalises and caps the text at 4096 characters, so the digits are few and the scale
        // is the true exponent of the last significant digit.
        let (_, scale) = decimal.as_bigint_and_scale();
        if scale.abs() > MAX_DECIMAL_EXPONENT {
            return Err(Problem::NumberOutOfRange(abbreviated(text)));
        }
    }
    Ok(number)
}

/// The number a float64 stands for, taken as its shortest decimal form (how Terraform prints and compares it).
pub(crate) fn number_from_float(float: f64) -> Result<Number, Problem> {
    Number::from_f64(float).ok_or_else(|| Problem::InvalidNumber("NaN".to_string()))
}

pub(crate) fn number_from_unsigned(integer: u64) -> Number {
    Number::Finite(BigDecimal::from(BigInt::from(integer)))
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
    fn integers_go_as_integers_in_the_narrowest_signedness() {
        assert_eq!(wire_form(&Number::from(42)), WireNumber::Signed(42));
        assert_eq!(wire_form(&number("-7")), WireNumber::Signed(-7));
        assert_eq!(wire_form(&number("1e3")), WireNumber::Signed(1000));
        assert_eq!(wire_form(&number("60.000")), WireNumber::Signed(60));
        assert_eq!(
            wire_form(&number("18446744073709551615")),
            WireNumber::Unsigned(u64::MAX)
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
        let huge = BigDecimal::new(BigInt::from(15), -20_000);
        assert_eq!(decimal_text(&huge), "1.5e20001");
        let tiny = BigDecimal::new(BigInt::from(-3), 20_000);
        assert_eq!(decimal_text(&tiny), "-3e-20000");
    }

    #[test]
    fn parsing_is_exact_and_bounded() {
        assert_eq!(parse_number("0.1").unwrap(), number("0.1"));
        assert_eq!(parse_number("+Inf").unwrap(), Number::PositiveInfinity);
        assert_eq!(parse_number("1e4000").unwrap(), number("1e4000"));
        assert!(matches!(parse_number("1e999999999"), Err(Problem::NumberOutOfRange(_))));
        assert!(matches!(
            parse_number("1e-999999999"),
            Err(Problem::NumberOutOfRange(_))
        ));
        assert!(matches!(parse_number("twelve"), Err(Problem::InvalidNumber(_))));
        assert!(number_from_float(f64::NAN).is_err());
    }
}
