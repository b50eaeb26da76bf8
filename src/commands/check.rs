//! `dialsim check`: every load diagnostic plus dialsim's own checks, rendered for people or for tools.
//! Exit status: 0 clean, 1 warnings only, 2 errors.

use super::{emit, load, stdout_is_terminal};
use crate::cli::CheckFormat;
use crate::config::LoadedConfig;
use crate::lint;
use crate::render::diagnostics::{render_all, summary, Format, Style};
use dialplan::diag::{worst, Diagnostic, Severity};
use std::path::Path;
use std::process::ExitCode;

/// Runs `dialsim check`.
pub fn run(dir: &Path, format: CheckFormat) -> ExitCode {
    let config = match load(dir) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let diags = diagnostics(&config);
    let format = match format {
        CheckFormat::Short => Format::Short,
        CheckFormat::Rich if stdout_is_terminal() => Format::Rich(Style::Terminal),
        CheckFormat::Rich => Format::Rich(Style::Plain),
    };
    let mut text = render_all(&diags, &config.sources, format);
    if format != Format::Short {
        text.push_str(&format!("{}: {}\n", dir.display(), summary(&diags)));
    }
    emit(&text);
    let status = exit_status(&diags);
    // The process ends right after this: handing a large dialplan back to the allocator piece by piece
    // would cost as much time as the checks themselves, and the operating system takes it back at once.
    std::mem::forget(config);
    std::mem::forget(diags);
    ExitCode::from(status)
}

/// Load diagnostics followed by the checks of [`lint`].
pub fn diagnostics(config: &LoadedConfig) -> Vec<Diagnostic> {
    let mut diags = config.diagnostics.clone();
    diags.extend(lint::check(config));
    diags
}

/// 0 clean (notes only), 1 warnings, 2 errors.
pub fn exit_status(diags: &[Diagnostic]) -> u8 {
    match worst(diags) {
        Some(Severity::Error) => 2,
        Some(Severity::Warning) => 1,
        _ => 0,
    }
}
