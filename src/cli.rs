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
    /// Run calls through the dialplan on a virtual clock and show what Asterisk would show.
    ///
    /// PATH is a scenario file, or a folder holding `scenario.toml` and the .conf files. Without PATH (and
    /// without --call) the page's first example runs, as its prose intends (embedded in dialsim).
    ///
    /// Exit status: 0 when the run completed (whatever happened to the calls), 2 when the scenario or the
    /// configuration cannot be used.
    Run(RunArgs),
    /// Serve Asterisk's Manager Interface (AMI) on the wall clock, so real AMI clients can drive and
    /// watch the simulation. Ctrl-C stops it (every channel hung up, events flushed).
    Serve(ServeArgs),
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

/// The options of `dialsim serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The folder holding the .conf files (and manager.conf); default: the current folder, or the
    /// scenario's `config`.
    #[arg(long, value_name = "DIR")]
    pub config: Option<PathBuf>,
    /// A scenario whose devices are declared and whose calls and actions start at their times.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Where to listen, HOST:PORT (port 0: any free port, printed at start-up); default: manager.conf's
    /// bindaddr and port, else 127.0.0.1:5038.
    #[arg(long, value_name = "ADDR")]
    pub ami: Option<String>,
    /// Run the clock N times faster than the wall clock.
    #[arg(long, value_name = "N", default_value_t = 1.0)]
    pub speed: f64,
}

/// The options of `dialsim run`.
#[derive(clap::Args, Debug, Default)]
pub struct RunArgs {
    /// A scenario file, or a folder holding scenario.toml and the .conf files.
    pub path: Option<PathBuf>,
    /// What to print: Asterisk's console lines, JSON lines, AMI blocks, or only the summary.
    #[arg(long, value_enum, default_value_t = RunFormat::Verbose)]
    pub format: RunFormat,
    /// Console verbosity for --format verbose (Asterisk's `core set verbose N`).
    #[arg(short = 'v', long = "verbose", value_name = "N", default_value_t = 3)]
    pub verbose: u8,
    /// Stop the run at this virtual time if calls are still up (e.g. 90s, 10m); overrides the scenario.
    #[arg(long, value_name = "DURATION")]
    pub until: Option<String>,
    /// The folder holding the .conf files; overrides the scenario's `config`.
    #[arg(long, value_name = "DIR")]
    pub config: Option<PathBuf>,
    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Place a call into EXTEN@CONTEXT at 0 s (a quick run without a scenario file).
    #[arg(long, value_name = "EXTEN@CONTEXT")]
    pub call: Option<String>,
    /// The calling device for --call.
    #[arg(long, value_name = "DEVICE", default_value = "PJSIP/outside")]
    pub from: String,
    /// The caller id for --call, e.g. '"Outside Caller" <5550100>'.
    #[arg(long, value_name = "CALLERID")]
    pub callerid: Option<String>,
    /// Declare a device: NAME=emulate:EXTEN@CONTEXT, NAME=answer:3s, NAME=busy, NAME=unavailable,
    /// NAME=hangup:60s, NAME=silent, NAME=callerid:'"Bob" <2001>' (repeat to combine).
    #[arg(long = "device", value_name = "NAME=WHAT")]
    pub devices: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    #[default]
    Verbose,
    Json,
    Ami,
    None,
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
        Command::Run(args) => commands::run::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
    }
}
