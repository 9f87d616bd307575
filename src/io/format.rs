//! Number formatting shared by the writers: integers when integral, else the shortest
//! decimal that reads back to the same f64 (MODEL.md 8.18).

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
