//! The 10 MB extensions.conf the `conf_load` and `lookup` benches share: written once into the target
//! directory by `../shared/bench/gen_dialplan.py --size 10M` (the workload real Asterisk's load speed was
//! measured on) when python3 and the script are there. Each bench keeps its own fallback generator.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Size of the workload, and of each bench's fallback file.
pub const SIZE: usize = 10_000_000;

/// The generated file's bytes, or `None` when python3 or the script is missing (or the script failed).
pub fn generated() -> Option<Vec<u8>> {
    let out = target_dir().join("bench-extensions-10M.conf");
    if !out.exists() {
        let status = Command::new("python3")
            .arg(script()?)
            .args(["--size", "10M", "-o"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
    }
    std::fs::read(&out).ok()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// The generator script, looked for beside the workspace (`../shared`) and in `/work/shared`.
fn script() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("../../../shared/bench/gen_dialplan.py"),
        PathBuf::from("/work/shared/bench/gen_dialplan.py"),
    ]
    .into_iter()
    .find(|p| p.exists())
}
