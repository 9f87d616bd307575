//! The colour-blind-safe (Okabe-Ito) palette: each colour means the same thing in every
//! chart, and compared scenarios take their colours from one list.

/// An opaque colour: red, green and blue, 0 to 255.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// This colour at opacity `alpha` (0 transparent, 1 opaque).
    pub const fn alpha(self, alpha: f64) -> Paint {
        Paint { rgb: self, alpha }
    }

    /// This colour, fully opaque.
    pub const fn solid(self) -> Paint {
        self.alpha(1.0)
    }
}

/// A colour with an opacity, as areas and lines are filled or stroked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paint {
    /// The colour.
    pub rgb: Rgb,
    /// Opacity, 0 (transparent) to 1 (opaque).
    pub alpha: f64,
}

/// Chips, operational chips, chips as the binding constraint: blue.
pub const CHIPS: Rgb = Rgb(0x00, 0x72, 0xB2);
/// Grid power, power as the binding constraint: vermillion.
pub const POWER: Rgb = Rgb(0xD5, 0x5E, 0x00);
/// Space: built data-centre capacity, space as the binding constraint: orange.
pub const SPACE: Rgb = Rgb(0xE6, 0x9F, 0x00);
/// Money as the binding constraint, electricity cost: green (Tol's colour-blind-safe
/// green, apart from every Okabe-Ito colour used here).
pub const MONEY: Rgb = Rgb(0x11, 0x77, 0x33);
/// Chips delivered: grey (dashed).
pub const DELIVERED: Rgb = Rgb(0x6E, 0x6E, 0x6E);
/// Compute (PFLOP/s): bluish green.
pub const COMPUTE: Rgb = Rgb(0x00, 0x9E, 0x73);
/// Facility power drawn: sky blue.
pub const FACILITY: Rgb = Rgb(0x56, 0xB4, 0xE9);
/// Domestic share / home origin: reddish purple.
pub const DOMESTIC: Rgb = Rgb(0xCC, 0x79, 0xA7);
/// Chips waiting (stranded): black.
pub const WAITING: Rgb = Rgb(0x00, 0x00, 0x00);
/// USD value of chips waiting: dark grey.
pub const CAPITAL: Rgb = Rgb(0x55, 0x55, 0x55);
/// Fill of the home origin's area in the dependency stack (light reddish purple).
pub const HOME_FILL: Rgb = Rgb(0xEB, 0xC9, 0xDC);
/// Background of months in which the grid is the ceiling.
pub const CEILING: Rgb = Rgb(0xEE, 0xEE, 0xEE);
/// Foreign chip origins, in stack order (yellow, then neutral greys).
pub const FOREIGN: [Rgb; 6] = [
    Rgb(0xF0, 0xE4, 0x42),
    Rgb(0xB4, 0xB4, 0xB4),
    Rgb(0x84, 0x84, 0x84),
    Rgb(0xD8, 0xD8, 0xD8),
    Rgb(0x9C, 0x9C, 0x9C),
    Rgb(0x6A, 0x6A, 0x6A),
];
/// Text and axes.
pub const TEXT: Rgb = Rgb(0x22, 0x22, 0x22);
/// Secondary text (subtitle, source line).
pub const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);
/// Grid lines.
pub const GRID: Rgb = Rgb(0xE2, 0xE2, 0xE2);
/// White: the background, and text on dark areas.
pub const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
/// Opacity of the P10-P90 band fill.
pub const BAND_OUTER_ALPHA: f64 = 0.16;
/// Opacity of the P25-P75 band fill (drawn over the outer band).
pub const BAND_INNER_ALPHA: f64 = 0.24;

/// One colour per compared scenario, in this order (Okabe-Ito: blue, vermillion, bluish
/// green, reddish purple, orange, sky blue, yellow, black); more scenarios reuse them.
pub const SCENARIO_COLORS: [Rgb; 8] = [
    Rgb(0x00, 0x72, 0xB2),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xCC, 0x79, 0xA7),
    Rgb(0xE6, 0x9F, 0x00),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0xF0, 0xE4, 0x42),
    Rgb(0x00, 0x00, 0x00),
];

/// The colour of the `i`-th compared scenario.
pub fn scenario_color(i: usize) -> Rgb {
    SCENARIO_COLORS[i % SCENARIO_COLORS.len()]
}
