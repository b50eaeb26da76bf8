//! `dialsim show dialplan|parking|features|hints`: Asterisk's CLI text on standard output, character for
//! character; load problems on standard error, one short line each.

use super::load;
use crate::cli::ShowCommand;
use crate::config::LoadedConfig;
use dialplan::diag::Severity;
use std::process::ExitCode;

/// Runs a `show` command.
pub fn run(what: ShowCommand) -> ExitCode {
    let (dir, command) = match &what {
        ShowCommand::Dialplan { config, .. }
        | ShowCommand::Parking { config, .. }
        | ShowCommand::Features { config }
        | ShowCommand::Hints { config } => (config, &what),
    };
    let config = match load(dir) {
        Ok(c) => c,
        Err(code) => return code,
    };
    report_load_problems(&config);
    let (text, ok) = render(&config, command);
    super::emit(&text);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The text Asterisk's CLI prints for the command, and whether the command succeeded.
pub fn render(config: &LoadedConfig, command: &ShowCommand) -> (String, bool) {
    match command {
        ShowCommand::Dialplan { context, .. } => {
            match dialplan::model::show_dialplan(
                &config.dialplan,
                &config.sources,
                context.as_deref(),
            ) {
                Ok(text) => (text, true),
                Err(text) => (text, false),
            }
        }
        ShowCommand::Parking { lot, .. } => {
            let Some(parking) = &config.parking else {
                let line = match lot {
                    Some(l) => format!("parking show {l}"),
                    None => String::from("parking show"),
                };
                let mut text = parking::show::parking_show_unavailable(&line);
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                return (text, false);
            };
            match lot {
                Some(name) => {
                    let text = parking.show_lot(name, &[]);
                    let found = parking.lot(name).is_some();
                    (text, found)
                }
                None => (parking.show(), true),
            }
        }
        ShowCommand::Features { .. } => (features::show_features(&config.features), true),
        ShowCommand::Hints { .. } => {
            let hints = parking::runtime::devstate::dialplan_hints(&config.dialplan);
            match crate::asterisk_cli::core_show_hints::render(
                hints,
                parking::runtime::devstate::loaded_hint_state,
            ) {
                Ok(text) => (text, true),
                Err(note) => (format!("{note}\n"), false),
            }
        }
    }
}

/// Errors and warnings found while loading, on standard error, so that stdout stays Asterisk's text.
fn report_load_problems(config: &LoadedConfig) {
    for d in &config.diagnostics {
        if d.severity != Severity::Note {
            eprintln!("{}", d.short(&config.sources));
        }
    }
}
