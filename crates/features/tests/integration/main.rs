//! The features crate's integration tests: DTMF features in a bridge and the feature dialplan functions.
//!
//! One test binary for the package: every former `tests/*.rs` file is a module here, so CI compiles and
//! links one executable instead of one per file. Tests run as threads of one process: a test must not
//! change the environment, the current directory or other process-wide state.

mod common;

mod bridge_dtmf;
mod feature_functions;
