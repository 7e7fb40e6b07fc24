//! Numbers as people type them into a form's number field, read without `str::parse::<f64>`.
//!
//! The standard parser is correctly rounded for every input, which it pays for with a table of
//! 651 128-bit powers of five (10.4 KB that gzip cannot shrink): it was a tenth of the widget's
//! form module. A form's bounds and values need no correctly rounded 17th digit, so this reads
//! them the classic way (Clinger's fast path): the digits as an integer, then one multiplication
//! or division by an exact power of ten. That is exactly the standard result whenever the digits
//! fit in 53 bits and the power of ten is exact (up to 15 significant digits, scaled by at most
//! 10^±22: everything typed into a form), and a few units in the last place from it otherwise.

/// The powers of ten an `f64` holds exactly: 10^0 to 10^22.
const EXACT: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Digits past this many are dropped (their place kept): more do not fit a `u64`.
const MAX_DIGITS_VALUE: u64 = 1_000_000_000_000_000_000;

/// `text` as a number: an optional sign, digits with at most one decimal point (`.`), and an
/// optional exponent (`e` or `E`, with an optional sign), as `str::parse::<f64>` reads them; no
/// spaces, no `inf` or `NaN`. A number too large for an `f64` is infinite, as there (`None`
/// when not even its exponent fits an `i32`).
pub fn parse(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (number, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], unsigned[at + 1..].parse::<i32>().ok()?),
        None => (unsigned, 0),
    };
    let (mut mantissa, mut scale, mut digits, mut point) = (0u64, exponent, 0, false);
    for byte in number.bytes() {
        match byte {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < MAX_DIGITS_VALUE {
                    mantissa = mantissa * 10 + u64::from(byte - b'0');
                    scale = scale.saturating_sub(i32::from(point));
                } else {
                    scale = scale.saturating_add(i32::from(!point));
                }
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    let magnitude = scaled(mantissa as f64, scale);
    Some(if negative { -magnitude } else { magnitude })
}

/// `value` × 10^`scale`, one exact power of ten at a time (stopping once it is 0 or infinite).
fn scaled(mut value: f64, mut scale: i32) -> f64 {
    let largest = EXACT.len() as i32 - 1;
    while scale > largest && value.is_finite() && value != 0.0 {
        value *= EXACT[largest as usize];
        scale -= largest;
    }
    while scale < -largest && value != 0.0 {
        value /= EXACT[largest as usize];
        scale += largest;
    }
    match scale {
        s if s >= 0 => value * EXACT[s.min(largest) as usize],
        s => value / EXACT[(-s).min(largest) as usize],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_people_type() {
        for (text, expected) in [
            ("7", 7.0),
            ("-0.75", -0.75),
            ("+2.5", 2.5),
            ("1.", 1.0),
            (".5", 0.5),
            ("0002.7500", 2.75),
            ("1e3", 1000.0),
            ("2.5E-2", 0.025),
            ("-1e+2", -100.0),
            ("0e999999999", 0.0),
        ] {
            assert_eq!(parse(text), Some(expected), "{text}");
        }
        for text in ["", "-", ".", "e5", "1e", "1.2.3", "1,5", " 1", "1 ", "inf", "NaN", "0x10", "1_000", "١"] {
            assert_eq!(parse(text), None, "{text}");
        }
        assert_eq!(parse("1e400"), Some(f64::INFINITY));
        assert_eq!(parse("1e-400"), Some(0.0));
    }

    /// Equal to the standard parser wherever the fast path is exact, and close elsewhere, on
    /// numbers made by a fixed pseudo-random sequence.
    #[test]
    fn agrees_with_the_standard_parser() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..100_000 {
            let digits = 1 + (next() % 20) as usize;
            let mut text: String = (0..digits).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let point = (next() % (digits as u64 + 1)) as usize;
            text.insert(point, '.');
            let exponent = (next() % 61) as i32 - 30;
            if next() % 2 == 0 {
                text.push_str(&format!("e{exponent}"));
            }
            let (ours, standard) = (parse(&text), text.parse::<f64>().ok());
            let significant = text.split(['e', '.']).take(2).collect::<String>().trim_start_matches('0').len();
            if significant <= 15 && !text.contains('e') {
                assert_eq!(ours, standard, "{text}");
            } else {
                let (ours, standard) = (ours.unwrap_or(f64::NAN), standard.unwrap_or(f64::NAN));
                assert!((ours - standard).abs() <= standard.abs() * 1e-14, "{text}: {ours} vs {standard}");
            }
        }
    }
}
