//! Running a suite: each scenario is loaded, run once on its own virtual clock (single-threaded and
//! deterministic) and checked; `jobs` threads take scenarios from a shared counter, and the results are
//! handed over in the suite's order as soon as each is ready.

use super::{ScenarioResult, Status};
use crate::expect::GoldenMode;
use crate::sim::Simulation;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// How to run a suite.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Threads (at least 1).
    pub jobs: usize,
    pub golden: GoldenMode,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            golden: GoldenMode::Compare,
        }
    }
}

/// Loads, runs and checks one scenario file.
pub fn run_one(path: &Path, golden: GoldenMode) -> ScenarioResult {
    let started = Instant::now();
    let mut result = ScenarioResult {
        path: path.to_path_buf(),
        description: None,
        status: Status::Passed,
        expectations: 0,
        failures: Vec::new(),
        updated: Vec::new(),
        trace: Vec::new(),
        elapsed: Default::default(),
    };
    let outcome = Simulation::load(path).and_then(|sim| {
        result.description = sim.scenario().description.clone();
        result.expectations = sim.scenario().expectations.len();
        sim.run().map(|run| run.check(golden))
    });
    match outcome {
        Err(e) => result.status = Status::Unloadable(e.0),
        Ok(checked) => {
            result.status = if !checked.failures.is_empty() {
                Status::Failed
            } else if result.expectations == 0 {
                Status::NoExpectations
            } else {
                Status::Passed
            };
            result.failures = checked.failures;
            result.updated = checked.updated;
            result.trace = checked.trace;
        }
    }
    result.elapsed = started.elapsed();
    result
}

/// Runs every scenario on `opts.jobs` threads; `each` sees the results in the order of `paths`.
pub fn run_all(
    paths: &[PathBuf],
    opts: Options,
    mut each: impl FnMut(&ScenarioResult),
) -> Vec<ScenarioResult> {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, ScenarioResult)>();
    let jobs = opts.jobs.clamp(1, paths.len().max(1));
    let mut slots: Vec<Option<ScenarioResult>> = vec![None; paths.len()];
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                if tx.send((i, run_one(path, opts.golden))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut shown = 0;
        for (i, r) in rx {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(r);
            }
            while let Some(Some(r)) = slots.get(shown) {
                each(r);
                shown += 1;
            }
        }
    });
    slots.into_iter().flatten().collect()
}
