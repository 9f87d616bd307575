//! Calendar months: the `"YYYY-MM"` dates of a scenario file and their month indices.

use std::fmt;

/// A calendar month, the unit of every date in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    /// 1..=12
    month: u32,
}

impl YearMonth {
    /// Builds a month; `month` must be in 1..=12 and `year` in 1900..=2999.
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((1..=12).contains(&month) && (1900..=2999).contains(&year)).then_some(YearMonth { year, month })
    }

    /// Parses `"YYYY-MM"` (exactly four digits, a dash, two digits).
    pub fn parse(text: &str) -> Option<YearMonth> {
        let bytes = text.as_bytes();
        if bytes.len() != 7 || bytes[4] != b'-' {
            return None;
        }
        if !bytes[..4].iter().chain(&bytes[5..]).all(u8::is_ascii_digit) {
            return None;
        }
        let year: i32 = text[..4].parse().ok()?;
        let month: u32 = text[5..].parse().ok()?;
        YearMonth::new(year, month)
    }

    /// The calendar month, 1..=12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// Whole months from `origin` to `self` (negative when `self` is earlier).
    pub fn months_since(self, origin: YearMonth) -> i64 {
        (i64::from(self.year) - i64::from(origin.year)) * 12 + i64::from(self.month) - i64::from(origin.month)
    }

    /// The month `months` after `self` (`months` may be negative).
    pub fn plus_months(self, months: i64) -> YearMonth {
        let zero_based = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        YearMonth { year: zero_based.div_euclid(12) as i32, month: zero_based.rem_euclid(12) as u32 + 1 }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_counts_months() {
        let start = YearMonth::parse("2026-01").unwrap();
        let later = YearMonth::parse("2027-03").unwrap();
        assert_eq!(later.months_since(start), 14);
        assert_eq!(start.plus_months(14), later);
        assert_eq!(start.plus_months(-1).to_string(), "2025-12");
        assert_eq!(YearMonth::parse("2026-13"), None);
        assert_eq!(YearMonth::parse("2026-1"), None);
        assert_eq!(YearMonth::parse("+026-01"), None);
    }
}
