//! dialsim: a deterministic simulator for Asterisk 22 dialplans and call parking.
//!
//! The root package holds the command line and what joins the library crates together:
//! - [`config`]: loading a configuration folder in Asterisk's module order (features, res_parking, pbx_config);
//! - [`lint`]: the checks `dialsim check` adds to what Asterisk itself reports;
//! - [`scenario`]: scenario files, the devices they declare, and running them on the engine;
//! - [`examples`]: the page's first example, embedded for `dialsim run` with no argument;
//! - [`ami`]: Asterisk's Manager Interface actions answered from a running engine;
//! - [`asterisk_cli`]: Asterisk's CLI commands answered from a running engine;
//! - [`render`]: diagnostics, and the run's event stream as console lines, JSON or AMI;
//! - [`commands`] and [`cli`]: the `dialsim` subcommands.

pub mod ami;
pub mod asterisk_cli;
pub mod cli;
pub mod commands;
pub mod config;
pub mod examples;
pub mod lint;
pub mod render;
pub mod scenario;
pub mod serve;
