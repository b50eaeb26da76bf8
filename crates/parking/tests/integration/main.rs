//! The parking crate's integration tests: res_parking's applications, lots, retrieval, timeouts, hints, AMI
//! and the oracle runs.
//!
//! One test binary for the package: every former `tests/*.rs` file is a module here, so CI compiles and
//! links one executable instead of one per file. Tests run as threads of one process: a test must not
//! change the environment, the current directory or other process-wide state.

mod common;

mod ami_park_yank;
mod apps;
mod atxfer_swap;
mod hints;
mod leave_order;
mod lifecycle_prop;
mod lots;
mod one_touch;
mod oracle_example_1;
mod oracle_run;
mod park_and_announce;
mod park_options;
mod retrieval;
mod timeout_comeback;
