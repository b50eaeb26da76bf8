//! `dialsim test`'s machinery: finding scenario files ([`discover`]), slicing a suite for CI machines
//! ([`shard`]), running scenarios in parallel, one simulation per thread at a time ([`run`]), and the
//! reports: one line per scenario with failure details ([`human`]), TAP ([`tap`]) and JUnit XML
//! ([`junit`]).

pub mod discover;
pub mod human;
pub mod junit;
pub mod run;
pub mod shard;
pub mod tap;

use crate::expect::Failure;
use std::path::PathBuf;
use std::time::Duration;

/// How one scenario went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every expectation held.
    Passed,
    /// It ran, and has no expectations to check.
    NoExpectations,
    /// At least one expectation failed.
    Failed,
    /// The scenario or its configuration cannot be used (the message says why).
    Unloadable(String),
}

/// One scenario's result.
#[derive(Clone, Debug)]
pub struct ScenarioResult {
    /// The scenario file, as discovered.
    pub path: PathBuf,
    pub description: Option<String>,
    pub status: Status,
    /// How many expectations it has.
    pub expectations: usize,
    pub failures: Vec<Failure>,
    /// Golden files `--update` rewrote.
    pub updated: Vec<PathBuf>,
    /// The run's trace, shown once for the failures about no particular time.
    pub trace: Vec<String>,
    /// Wall time of loading, running and checking (JUnit's `time`).
    pub elapsed: Duration,
}

/// The totals of a suite.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub scenarios: usize,
    pub passed: usize,
    pub without_expectations: usize,
    pub failed: usize,
    pub unloadable: usize,
    pub expectations: usize,
    pub failed_expectations: usize,
}

impl Totals {
    pub fn of(results: &[ScenarioResult]) -> Totals {
        let mut t = Totals {
            scenarios: results.len(),
            ..Totals::default()
        };
        for r in results {
            t.expectations += r.expectations;
            t.failed_expectations += r.failures.len();
            match r.status {
                Status::Passed => t.passed += 1,
                Status::NoExpectations => {
                    t.passed += 1;
                    t.without_expectations += 1;
                }
                Status::Failed => t.failed += 1,
                Status::Unloadable(_) => t.unloadable += 1,
            }
        }
        t
    }

    /// `dialsim test`'s exit status: 2 when a scenario could not be loaded, else 1 when one failed, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.unloadable > 0 {
            2
        } else if self.failed > 0 {
            1
        } else {
            0
        }
    }
}
