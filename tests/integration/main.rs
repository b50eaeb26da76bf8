//! The dialsim package's integration tests: the `dialsim` binary end to end, the library API, the docs.
//!
//! One test binary for the package: every former `tests/*.rs` file is a module here, so CI compiles and
//! links one executable instead of one per file. Tests run as threads of one process: a test must not
//! change the environment, the current directory or other process-wide state.

mod common;

mod api;
mod atxfer_recall;
mod audio;
mod cli_bad_input;
mod cli_check;
mod cli_lint_check;
mod cli_lint_lang;
mod cli_run;
mod cli_show;
mod cli_test;
mod console;
mod docs_diagnostics;
mod docs_testing;
mod oracle_reproduction;
mod page_examples;
mod page_truetext;
mod serve_asterisk_rs;
mod serve_panoramisk;
mod serve_protocol;
mod timeline;
mod tutorial;
