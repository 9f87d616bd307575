//! Number formatting shared by the writers, charts and pages: CSV numbers (integers when
//! integral, else the shortest decimal that reads back to the same f64, MODEL.md 8.18),
//! JSON numbers, and numbers for people (thousands separators, k/M/B).

/// Formats a number for CSV output.
pub fn number(x: f64) -> String {
    if x == 0.0 {
        // Also turns -0 into 0.
        return "0".to_string();
    }
    // Rust's Display for f64 is the shortest round-trip decimal and never uses an
    // exponent, and prints integral values without a fraction.
    format!("{x}")
}

/// A JSON number: an integer when integral and exactly representable, else the f64.
pub fn json_number(x: f64) -> serde_json::Value {
    if x == x.trunc() && x.abs() < 9.0e15 {
        serde_json::Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// Format with at most `decimals` decimals, trailing zeros removed.
pub fn trim_decimals(v: f64, decimals: usize) -> String {
    // Round half away from zero first (format! rounds ties to even).
    let f = 10f64.powi(decimals as i32);
    let r = (v * f).round() / f;
    let v = if r.is_finite() { r } else { v };
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Insert thousands separators into the integer part of a plain decimal string.
pub fn group_thousands(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut out = String::new();
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{frac}")
}

/// Number with thousands separators: 1234567.8 -> "1,234,568"; 0.25 -> "0.25".
pub fn format_thousands(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let decimals = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    group_thousands(&trim_decimals(v, decimals))
}

/// Compact number with k/M/B suffix: 260000 -> "260k", 1250000 -> "1.25M".
pub fn format_compact(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let a = v.abs();
    if a >= 1e9 {
        format!("{}B", trim_decimals(v / 1e9, 2))
    } else if a >= 1e6 {
        format!("{}M", trim_decimals(v / 1e6, 2))
    } else if a >= 1e3 {
        format!("{}k", trim_decimals(v / 1e3, 1))
    } else {
        trim_decimals(v, 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_shortest_and_integral_when_possible() {
        assert_eq!(number(16000.0), "16000");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(15.6), "15.6");
        assert_eq!(number(0.23076923076923078), "0.23076923076923078");
        assert_eq!(number(1e21), "1000000000000000000000");
    }
}
