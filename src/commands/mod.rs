//! The `dialsim` subcommands.

pub mod check;
pub mod console;
pub mod run;
pub mod serve;
pub mod show;
pub mod test;

use crate::config::LoadedConfig;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// Exit status for a configuration that cannot be used at all.
pub const EXIT_UNUSABLE: u8 = 2;

/// Loads a configuration folder, or prints why it cannot and returns the exit code.
pub(crate) fn load(dir: &Path) -> Result<LoadedConfig, ExitCode> {
    LoadedConfig::load_dir(dir).map_err(|e| {
        eprintln!("dialsim: {e}");
        ExitCode::from(EXIT_UNUSABLE)
    })
}

/// Whether standard output is a terminal (colour and Unicode drawing only then).
pub(crate) fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Writes text to standard output. A closed pipe (`dialsim check | head`) is not an error worth a panic:
/// the reader has what it wanted.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
