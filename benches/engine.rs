//! Benchmarks of the engine (filled in by the performance work).
fn main() {}
