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
    /// Step through a scenario on the virtual clock: paused until told (step, next, advance, run,
    /// breakpoints, why, dtmf, hangup, originate) and Asterisk's CLI words.
    ///
    /// PATH is what `dialsim run` takes. Without a terminal, commands are read from standard input.
    Console(ConsoleArgs),
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
    /// Run scenario files and check their [[expect]] entries: unit tests for dialplans.
    ///
    /// PATHs are scenario files or folders searched for `scenario.toml` and `*.scenario.toml` (default
    /// `.`). Scenarios run in parallel; each prints one line, and every failed expectation its file:line,
    /// what was expected, what happened and the trace around it.
    ///
    /// Exit status: 0 all passed, 1 an expectation failed, 2 a scenario could not be loaded.
    Test(TestArgs),
}

/// The options of `dialsim test`.
#[derive(clap::Args, Debug, Default)]
pub struct TestArgs {
    /// Scenario files, or folders to search.
    pub paths: Vec<PathBuf>,
    /// Only the scenario files whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Also write a JUnit XML report to FILE (for CI systems).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// `human`: one line per scenario with failure reports; `tap`: the Test Anything Protocol.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// Rewrite the golden trace files (`trace = "…"`) from this run instead of comparing them.
    #[arg(long)]
    pub update: bool,
    /// Run only the K-th of N stable slices of the suite (e.g. 2/4), to spread it over CI machines.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Threads to run scenarios on (default: every core).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    #[default]
    Human,
    Tap,
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
    /// Draw the run as a timeline picture: FILE.svg (the picture) or FILE.html (the picture, the trace
    /// linked to the configuration lines, and the diagnostics).
    #[arg(long, value_name = "FILE")]
    pub timeline: Option<PathBuf>,
    /// Write what each channel heard into DIR: one 8 kHz 16-bit WAV per channel (prompts from the
    /// scenario's sounds folder, else placeholder tones; DTMF; music on hold; silence elsewhere).
    #[arg(long, value_name = "DIR")]
    pub audio: Option<PathBuf>,
}

/// The options of `dialsim console`.
#[derive(clap::Args, Debug, Default)]
pub struct ConsoleArgs {
    /// A scenario file, or a folder holding scenario.toml and the .conf files.
    pub path: Option<PathBuf>,
    /// The folder holding the .conf files; overrides the scenario's `config`.
    #[arg(long, value_name = "DIR")]
    pub config: Option<PathBuf>,
    /// Console verbosity to start with (`core set verbose N` changes it).
    #[arg(short = 'v', long = "verbose", value_name = "N", default_value_t = 3)]
    pub verbose: u8,
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
    /// Like Asterisk's `core show hints` right after start-up (every parking space free).
    Hints {
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
        Command::Test(args) => commands::test::run(&args),
        Command::Console(args) => commands::console::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
    }
}
