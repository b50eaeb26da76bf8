//! The Rust API for testing dialplans: load a scenario, run it, look at its events, check expectations.
//!
//! The crate documentation (`src/lib.rs`) has a runnable example.

use crate::cli::RunArgs;
use crate::commands::run::prepare;
use crate::config::LoadedConfig;
use crate::expect::reached::Prio;
use crate::expect::{self, Checked, Expectation, Failure, GoldenMode, Kind, Record};
use crate::scenario::{self, runner::RunOutcome, DeviceKind, Scenario};
use dialplan::conf::ConfSource;
use dialplan::engine::{Event, EventBody, Interest, Recorder};
use std::fmt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A scenario that cannot be loaded or run, with the reason as `dialsim` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// A scenario ready to run, with where its configuration comes from.
pub struct Simulation {
    scenario: Scenario,
    source: Rc<dyn ConfSource>,
    /// The scenario file's folder (golden trace files are relative to it).
    base: PathBuf,
}

impl Simulation {
    /// Reads a scenario file, or a folder's `scenario.toml`, and finds its configuration folder.
    pub fn load(path: impl AsRef<Path>) -> Result<Simulation, LoadError> {
        let path = path.as_ref();
        let args = RunArgs {
            path: Some(path.to_path_buf()),
            ..RunArgs::default()
        };
        let prepared = prepare(&args).map_err(LoadError)?;
        let file = if path.is_dir() {
            path.join("scenario.toml")
        } else {
            path.to_path_buf()
        };
        // An empty base (a scenario in the current folder) keeps golden file names as written.
        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Simulation {
            scenario: prepared.scenario,
            source: Rc::from(prepared.source),
            base,
        })
    }

    /// A scenario given as text (named `name` in messages), with its configuration in `config_dir`.
    pub fn from_toml(
        name: &str,
        text: &str,
        config_dir: impl AsRef<Path>,
    ) -> Result<Simulation, LoadError> {
        let scenario = scenario::parse(name, text).map_err(|e| LoadError(e.to_string()))?;
        let dir = config_dir.as_ref();
        if !dir.is_dir() {
            return Err(LoadError(format!(
                "dialsim: configuration folder '{}' does not exist",
                dir.display()
            )));
        }
        Ok(Simulation {
            scenario,
            source: Rc::new(dialplan::conf::DirSource {
                dir: dir.to_path_buf(),
            }),
            base: dir.to_path_buf(),
        })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The folder golden trace files are relative to.
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// Runs the scenario once (single-threaded, on the virtual clock) and records everything.
    pub fn run(&self) -> Result<Run, LoadError> {
        let config = LoadedConfig::load(self.source.as_ref());
        let record = record_run(&self.scenario, &self.scenario.expectations, config)
            .map_err(|e| LoadError(format!("dialsim: the run could not start: {e}")))?;
        Ok(Run {
            record,
            expectations: self.scenario.expectations.clone(),
            base: self.base.clone(),
            file: self.scenario.origin.name.clone(),
            source: self.source.clone(),
        })
    }
}

/// A finished run.
pub struct Run {
    record: Record,
    expectations: Vec<Expectation>,
    base: PathBuf,
    file: PathBuf,
    source: Rc<dyn ConfSource>,
}

impl Run {
    /// Everything recorded: events, the summary, the diagnostics.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// Every event, in order (AMI events, Asterisk's log lines, dialsim's own `Dialsim…` events).
    pub fn events(&self) -> &[Event] {
        &self.record.events
    }

    /// The AMI or Dialsim events of one name.
    pub fn events_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.record.events.iter().filter(move |e| e.name() == name)
    }

    /// How the run ended, the channels still up, the calls still parked.
    pub fn outcome(&self) -> &RunOutcome {
        &self.record.outcome
    }

    /// The scenario's own expectations that failed (golden files compared, never written).
    pub fn failures(&self) -> Vec<Failure> {
        self.check(GoldenMode::Compare).failures
    }

    /// Checks the scenario's own expectations; with [`GoldenMode::Update`], golden files are rewritten.
    pub fn check(&self, mode: GoldenMode) -> Checked {
        expect::check(&self.expectations, &self.record, &self.base, mode)
    }

    /// Checks more expectations, written as `[[expect]]` tables (the scenario format), on this run.
    pub fn check_toml(&self, text: &str) -> Result<Checked, LoadError> {
        let extra =
            scenario::parse("<expectations>", text).map_err(|e| LoadError(e.to_string()))?;
        let mut record = self.record.clone();
        if needs_labels(&extra.expectations, &record) {
            let config = LoadedConfig::load(self.source.as_ref());
            record.labels = resolve_labels(&extra.expectations, &config);
        }
        Ok(expect::check(
            &extra.expectations,
            &record,
            &self.base,
            GoldenMode::Compare,
        ))
    }

    /// Like [`Run::check_toml`] for tests.
    ///
    /// # Panics
    ///
    /// When the text is not valid or an expectation fails, with the report `dialsim test` prints.
    #[track_caller]
    pub fn assert(&self, text: &str) {
        match self.check_toml(text) {
            Ok(checked) if checked.failures.is_empty() => {}
            Ok(checked) => {
                let mut report: String = checked
                    .failures
                    .iter()
                    .map(|f| expect::report::failure_text(Path::new("<expectations>"), f))
                    .collect();
                report.push_str(&crate::suite::human::trace_text(&checked.trace));
                panic!(
                    "{} expectation(s) failed on {}:\n{report}",
                    checked.failures.len(),
                    self.file.display()
                );
            }
            Err(e) => panic!("the expectations cannot be read:\n{e}"),
        }
    }
}

fn needs_labels(exps: &[Expectation], rec: &Record) -> bool {
    exps.iter().any(|e| match &e.kind {
        Kind::Reached(r) => match &r.priority {
            Some(Prio::Label(l)) => !rec
                .labels
                .iter()
                .any(|((c, x, lb), _)| *c == r.context && *x == r.exten && lb == l),
            _ => false,
        },
        _ => false,
    })
}

/// The labels `reached` expectations name, looked up on the loaded dialplan.
fn resolve_labels(
    exps: &[Expectation],
    config: &LoadedConfig,
) -> Vec<((String, String, String), Option<i32>)> {
    let mut out = Vec::new();
    for e in exps {
        if let Kind::Reached(r) = &e.kind {
            if let Some(Prio::Label(l)) = &r.priority {
                let p = config
                    .dialplan
                    .find_label(&r.context, &r.exten, l, None)
                    .map(|f| f.priority.number());
                out.push(((r.context.clone(), r.exten.clone(), l.clone()), p));
            }
        }
    }
    out
}

/// Runs a scenario on a loaded configuration and records every event, the summary and the diagnostics
/// the expectations may ask about.
pub fn record_run(
    scenario: &Scenario,
    expectations: &[Expectation],
    config: LoadedConfig,
) -> std::io::Result<Record> {
    let labels = resolve_labels(expectations, &config);
    let mut diagnostics: Vec<(String, String)> = config
        .diagnostics
        .iter()
        .map(|d| (d.code.0.to_string(), d.message.clone()))
        .collect();
    if expectations
        .iter()
        .any(|e| matches!(e.kind, Kind::Diagnostic(_)))
    {
        diagnostics.extend(
            crate::lint::check(&config)
                .into_iter()
                .map(|d| (d.code.0.to_string(), d.message)),
        );
    }
    let emulated = scenario
        .devices
        .iter()
        .filter_map(|d| match &d.kind {
            DeviceKind::Emulated { exten, context } => {
                Some((d.name.clone(), format!("Local/{exten}@{context}-")))
            }
            DeviceKind::Phone(_) => None,
        })
        .collect();
    let (recorder, events) = Recorder::new(Interest::all());
    let outcome = scenario::run(scenario, config, vec![Box::new(recorder)])?;
    let events = std::mem::take(&mut *events.borrow_mut());
    for e in &events {
        if let EventBody::Dialsim(f) = &e.body {
            if f.name == "DialsimDiagnostic" {
                let d = (
                    f.get("Code").unwrap_or_default().to_string(),
                    f.get("Message").unwrap_or_default().to_string(),
                );
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            }
        }
    }
    Ok(Record {
        events,
        outcome,
        diagnostics,
        emulated,
        labels,
        epoch: scenario.epoch,
    })
}
