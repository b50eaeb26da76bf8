//! The dialplan crate's integration tests: the conf parser on bad input, the engine, expression properties,
//! the docs catalogue.
//!
//! One test binary for the package: every former `tests/*.rs` file is a module here, so CI compiles and
//! links one executable instead of one per file. Tests run as threads of one process: a test must not
//! change the environment, the current directory or other process-wide state.

mod engine_common;

mod conf_bad_input;
mod docs_catalogue;
mod engine_apps;
mod engine_bridgewait;
mod engine_conf;
mod engine_connectedline;
mod engine_dial_options;
mod engine_handlers;
mod engine_lang;
mod engine_oracle;
mod engine_park_seam;
mod expr_properties;
