//! Tidy: every source file opens with a `//!` doc line, and the core stays pure (no files,
//! printing, TOML, charts or progress bars).

use crate::support::repo;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_file_has_a_module_doc() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        if repo().join(dir).exists() {
            rust_files(&repo().join(dir), &mut files);
        }
    }
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! module doc: {missing:?}");
}

#[test]
fn the_core_does_no_io_and_knows_no_edges() {
    let mut files = Vec::new();
    rust_files(&repo().join("src/core"), &mut files);
    let forbidden = [
        "std::fs",
        "println!",
        "eprintln!",
        "print!(",
        "toml::",
        "plotters::",
        "indicatif::",
        "clap::",
        "crate::io",
        "crate::app",
        "crate::cli",
    ];
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        for word in forbidden {
            if text.contains(word) {
                found.push(format!("{} mentions {word}", f.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
