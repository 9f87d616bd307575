#!/usr/bin/env bash
# Builds and runs the scenario-loader fuzzer on the STABLE toolchain: libFuzzer (from the
# libfuzzer-sys crate) with the coverage instrumentation cargo-fuzz would add, passed
# as stable -C flags, without a sanitizer (ASan needs nightly's -Zsanitizer; the code
# under test is safe Rust, so panics and aborts are what we look for).
# Usage: fuzz/run.sh [libFuzzer flags...], e.g. fuzz/run.sh -runs=1000000
set -euo pipefail
cd "$(dirname "$0")"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
# --target keeps the flags off build scripts and proc macros (as cargo-fuzz does).
TARGET="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --bin load --target "$TARGET"
mkdir -p corpus-work artifacts
# corpus-work/ collects what the run finds; corpus/load/ is the small committed seed set.
exec "./target/$TARGET/release/load" -artifact_prefix=artifacts/ -max_len=8192 -dict=scenario.dict "$@" corpus-work corpus/load
