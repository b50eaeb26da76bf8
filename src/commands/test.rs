//! `dialsim test [PATH…]`: finds scenario files, runs them in parallel, checks their `[[expect]]`
//! entries and reports (one line per scenario, TAP, JUnit XML). Exit status 0 when everything passed, 1
//! when an expectation failed, 2 when a scenario could not be loaded (or a PATH does not exist).

use super::EXIT_UNUSABLE;
use crate::cli::{TestArgs, TestFormat};
use crate::expect::GoldenMode;
use crate::suite::discover::discover;
use crate::suite::run::{run_all, Options};
use crate::suite::shard::Shard;
use crate::suite::{human, junit, tap, Totals};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

/// Runs `dialsim test`.
pub fn run(args: &TestArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut files = match discover(&paths) {
        Ok(f) => f,
        Err(m) => {
            eprintln!("{m}");
            return ExitCode::from(EXIT_UNUSABLE);
        }
    };
    if files.is_empty() {
        let where_: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "dialsim: no scenario files (scenario.toml or *.scenario.toml) under {}",
            where_.join(", ")
        );
        return ExitCode::from(EXIT_UNUSABLE);
    }
    if let Some(f) = &args.filter {
        files.retain(|p| p.to_string_lossy().contains(f.as_str()));
    }
    if let Some(s) = &args.shard {
        match Shard::parse(s) {
            Ok(shard) => files.retain(|p| shard.holds(p)),
            Err(m) => {
                eprintln!("dialsim: {m}");
                return ExitCode::from(EXIT_UNUSABLE);
            }
        }
    }
    let opts = Options {
        jobs: args.jobs.unwrap_or_else(|| Options::default().jobs).max(1),
        golden: if args.update {
            GoldenMode::Update
        } else {
            GoldenMode::Compare
        },
    };
    let started_at = SystemTime::now();
    let started = Instant::now();
    let stdout = std::io::stdout();
    let mut n = 0;
    if args.format == TestFormat::Tap {
        emit(&stdout, &tap::header(files.len()));
    }
    let results = run_all(&files, opts, |r| {
        n += 1;
        let text = match args.format {
            TestFormat::Human => human::scenario_text(r),
            TestFormat::Tap => tap::point(n, r),
        };
        emit(&stdout, &text);
    });
    let totals = Totals::of(&results);
    match args.format {
        TestFormat::Human => emit(&stdout, &human::totals_text(&totals)),
        TestFormat::Tap => emit(
            &stdout,
            &format!(
                "# {} passed, {} failed, {} could not be loaded\n",
                totals.passed, totals.failed, totals.unloadable
            ),
        ),
    }
    if let Some(path) = &args.junit {
        let xml = junit::document(&results, started_at, started.elapsed());
        if let Err(e) = std::fs::write(path, xml) {
            eprintln!("dialsim: cannot write '{}': {e}", path.display());
            return ExitCode::from(EXIT_UNUSABLE);
        }
    }
    ExitCode::from(totals.exit_code())
}

fn emit(stdout: &std::io::Stdout, text: &str) {
    let mut out = stdout.lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
