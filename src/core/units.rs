//! Power units as types: `Kw` (the engine's one unit for power it tracks) and `Mw` (how
//! scenarios and recorded series state it). Mixing them is a type error; converting is
//! `Mw::to_kw` or `Kw::to_mw`, each one float operation, so results stay bit for bit what
//! the same arithmetic on bare floats gives.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Sub};

/// Power in kilowatts.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Kw(pub f64);

/// Power in megawatts.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Mw(pub f64);

impl Kw {
    /// No power.
    pub const ZERO: Kw = Kw(0.0);

    /// The same power in megawatts (divided by 1000).
    pub fn to_mw(self) -> Mw {
        Mw(self.0 / 1000.0)
    }
}

impl Mw {
    /// No power.
    pub const ZERO: Mw = Mw(0.0);

    /// The same power in kilowatts (multiplied by 1000).
    pub fn to_kw(self) -> Kw {
        Kw(self.0 * 1000.0)
    }
}

/// Sum, difference, scaling by a plain factor (a count, a PUE) and sums of iterators,
/// each the one float operation on the values inside.
macro_rules! power_arithmetic {
    ($unit:ident) => {
        impl Add for $unit {
            type Output = $unit;
            fn add(self, other: $unit) -> $unit {
                $unit(self.0 + other.0)
            }
        }

        impl AddAssign for $unit {
            fn add_assign(&mut self, other: $unit) {
                self.0 += other.0;
            }
        }

        impl Sub for $unit {
            type Output = $unit;
            fn sub(self, other: $unit) -> $unit {
                $unit(self.0 - other.0)
            }
        }

        impl Mul<f64> for $unit {
            type Output = $unit;
            fn mul(self, factor: f64) -> $unit {
                $unit(self.0 * factor)
            }
        }

        /// How many times `other` fits in `self`: a plain ratio.
        impl Div for $unit {
            type Output = f64;
            fn div(self, other: $unit) -> f64 {
                self.0 / other.0
            }
        }

        /// Sums as `f64`'s `Sum` does, so bits match a sum of the bare values.
        impl Sum for $unit {
            fn sum<I: Iterator<Item = $unit>>(iter: I) -> $unit {
                $unit(iter.map(|p| p.0).sum::<f64>())
            }
        }
    };
}

power_arithmetic!(Kw);
power_arithmetic!(Mw);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_one_operation_each() {
        for x in [0.1, 1.5, 7.77, 260_000.3, 1e-9] {
            assert_eq!(Mw(x).to_kw().0.to_bits(), (x * 1000.0).to_bits());
            assert_eq!(Kw(x).to_mw().0.to_bits(), (x / 1000.0).to_bits());
        }
        let parts = [Kw(0.1), Kw(0.2), Kw(0.3)];
        assert_eq!(parts.iter().copied().sum::<Kw>().0.to_bits(), [0.1, 0.2, 0.3].iter().sum::<f64>().to_bits());
    }
}
