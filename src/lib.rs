//! dialsim: a deterministic simulator for Asterisk 22 dialplans and call parking.
//!
//! The root package holds the command line and what joins the library crates together:
//! - [`config`]: loading a configuration folder in Asterisk's module order (features, res_parking, pbx_config);
//! - [`lint`]: the checks `dialsim check` adds to what Asterisk itself reports;
//! - [`render`]: diagnostics for people and for tools;
//! - [`commands`] and [`cli`]: the `dialsim` subcommands.

pub mod cli;
pub mod commands;
pub mod config;
pub mod lint;
pub mod render;
