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
/// repository root. A configuration folder inside an example that has a scenario (the folder a scenario's
/// `reload` action switches to) belongs to that example and is not one itself.
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
            let reload_folder =
                !path.join("scenario.toml").exists() && dir.join("scenario.toml").exists();
            if path.join("extensions.conf").exists() && !reload_folder {
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

/// The "Call Parking" page, as copied into the repository.
pub const PAGE: &str = include_str!("../../data/call-parking.md");

/// The page's code blocks in order: the text between a line "```" and the next line "```" (three examples of
/// res_parking.conf, features.conf, extensions.conf each).
pub fn page_blocks() -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in PAGE.split_inclusive('\n') {
        let fence = line.trim_end_matches('\n') == "```";
        match (&mut current, fence) {
            (None, true) => current = Some(String::new()),
            (Some(block), true) => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), false) => block.push_str(line),
            (None, false) => {}
        }
    }
    blocks
}

/// Runs `dialsim` with `args` in `dir`.
pub fn dialsim_in(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_dialsim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the dialsim binary runs");
    Output {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Copies a folder (files and subfolders) into another.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy file");
        }
    }
}
