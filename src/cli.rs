//! The command line: argument definitions (clap) and dispatch to the commands.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::commands;

#[derive(Parser, Debug)]
#[command(
    name = "dialsim",
    version,
    about = "Run Asterisk dialplans and call parking as a deterministic simulation",
    long_about = "dialsim loads Asterisk 22's own extensions.conf, features.conf and res_parking.conf and \
                  shows, checks and runs them the way Asterisk would."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print what Asterisk's CLI would print for the loaded configuration.
    Show {
        #[command(subcommand)]
        what: ShowCommand,
    },
    /// Report every problem in a configuration folder, with what Asterisk does and the fix.
    ///
    /// Exit status: 0 clean, 1 warnings only, 2 errors.
    Check {
        /// The folder holding extensions.conf, features.conf and res_parking.conf.
        #[arg(long, default_value = ".")]
        config: PathBuf,
        /// `rich`: the source line with a caret and the explanation; `short`: one line per problem.
        #[arg(long, value_enum, default_value_t = CheckFormat::Rich)]
        format: CheckFormat,
    },
}

#[derive(Subcommand, Debug)]
pub enum ShowCommand {
    /// Like Asterisk's `dialplan show [CONTEXT]`.
    Dialplan {
        /// Show only this context.
        context: Option<String>,
        #[arg(long, default_value = ".")]
        config: PathBuf,
    },
    /// Like Asterisk's `parking show [LOT]`.
    Parking {
        /// Show only this lot, with its parked calls.
        lot: Option<String>,
        #[arg(long, default_value = ".")]
        config: PathBuf,
    },
    /// Like Asterisk's `features show`.
    Features {
        #[arg(long, default_value = ".")]
        config: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Rich,
    Short,
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Show { what } => commands::show::run(what),
        Command::Check { config, format } => commands::check::run(&config, format),
    }
}
