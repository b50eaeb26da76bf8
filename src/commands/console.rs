//! `dialsim console [PATH]`: the step-through console on a scenario (the same PATH forms as `dialsim run`;
//! without PATH, the page's first example). On a terminal it is interactive; otherwise it reads commands
//! from standard input and prints a transcript.

use super::EXIT_UNUSABLE;
use crate::cli::{ConsoleArgs, RunArgs};
use crate::commands::run::prepare;
use crate::console::{input, Session};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Runs `dialsim console`.
pub fn run(args: &ConsoleArgs) -> ExitCode {
    let run_args = RunArgs {
        path: args.path.clone(),
        config: args.config.clone(),
        ..RunArgs::default()
    };
    let prepared = match prepare(&run_args) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(EXIT_UNUSABLE);
        }
    };
    let mut session = match Session::new(prepared.scenario, prepared.source, args.verbose) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dialsim: the console could not start: {e}");
            return ExitCode::from(EXIT_UNUSABLE);
        }
    };
    print!("{}", session.banner(&prepared.label));
    if std::io::stdin().is_terminal() {
        if let Err(e) = input::interactive(&mut session) {
            eprintln!("dialsim: console: {e}");
            return ExitCode::from(EXIT_UNUSABLE);
        }
    } else {
        let stdin = std::io::stdin();
        let mut stdout = std::io::stdout();
        if let Err(e) = input::scripted(&mut session, stdin.lock(), &mut stdout) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("dialsim: console: {e}");
                return ExitCode::from(EXIT_UNUSABLE);
            }
        }
    }
    ExitCode::SUCCESS
}
