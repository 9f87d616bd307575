//! FNV-1a, 64 bits: the one hash of the program (random stream keys, scenario
//! fingerprints). Stable across platforms, versions and runs, unlike `std`'s hashers.

/// The standard FNV-1a 64 offset basis.
pub const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
/// The FNV 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
/// Ends each part in `fnv1a64_parts`, so ("ab", "c") and ("a", "bc") differ.
const PART_END: u8 = 0xff;

/// FNV-1a 64 of `bytes`, starting from `basis` (`FNV_OFFSET_BASIS` for the standard hash;
/// another basis gives an independent hash of the same bytes).
pub fn fnv1a64(basis: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(basis, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME))
}

/// FNV-1a 64 of several parts, each followed by the byte 0xff.
pub fn fnv1a64_parts(basis: u64, parts: &[&[u8]]) -> u64 {
    parts.iter().fold(basis, |hash, part| fnv1a64(fnv1a64(hash, part), &[PART_END]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // The FNV reference values for "" and "a".
        assert_eq!(fnv1a64(FNV_OFFSET_BASIS, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(FNV_OFFSET_BASIS, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a64_parts(FNV_OFFSET_BASIS, &[b"ab", b"c"]), fnv1a64_parts(FNV_OFFSET_BASIS, &[b"a", b"bc"]));
    }
}
