//! Helpers shared by the end-to-end tests: running the `dialsim` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of the binary produced.
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs `dialsim` with `args` from the repository root.
pub fn dialsim(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_dialsim"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the dialsim binary runs");
    Output {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example folder (one holding an extensions.conf) under `dialplan-examples/`, sorted, relative to the
/// repository root.
pub fn example_folders() -> Vec<String> {
    let mut out = Vec::new();
    collect(&root().join("dialplan-examples"), &mut out);
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.join("extensions.conf").exists() {
                let rel = path.strip_prefix(root()).unwrap_or(&path);
                out.push(rel.to_string_lossy().into_owned());
            }
            collect(&path, out);
        }
    }
}

/// A snapshot name from a folder path (`dialplan-examples/doc/01-basic-retrieval` → `doc__01-basic-retrieval`).
pub fn snapshot_name(folder: &str) -> String {
    folder
        .trim_start_matches("dialplan-examples/")
        .replace('/', "__")
}
