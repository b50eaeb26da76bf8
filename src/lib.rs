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
//! - [`timeline`]: the timeline picture of a run (SVG, or an HTML page with the trace);
//! - [`audio`]: what each channel heard, as WAV files;
//! - [`console`]: the step-through console (`dialsim console`);
//! - [`commands`] and [`cli`]: the `dialsim` subcommands;
//! - [`expect`]: the `[[expect]]` entries of scenario files, checked on a run's events;
//! - [`sim`]: the Rust API for testing dialplans (load, run, query events, assert);
//! - [`suite`]: `dialsim test`'s discovery, parallel runs and reports (text, TAP, JUnit);
//! - [`serve`]: `dialsim serve`, the AMI server on the wall clock.
//!
//! # Testing a dialplan from Rust
//!
//! A scenario (the calls and devices around the PBX, see `docs/scenario-format.md`) runs on a virtual
//! clock in milliseconds; its events can be queried, and expectations checked, exactly as `dialsim test`
//! checks them:
//!
//! ```
//! use dialsim::sim::Simulation;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
//! // A folder with scenario.toml and the .conf files (or a scenario file).
//! let sim = Simulation::load(root.join("dialplan-examples/01-basic-retrieval"))?;
//! let run = sim.run()?;
//!
//! // The scenario's own [[expect]] entries hold…
//! assert!(run.failures().is_empty());
//! // …and so do more, written as they would be in the file.
//! run.assert(r#"
//!     [[expect]]
//!     event = "ParkedCall"
//!     fields = { ParkingSpace = "701", ParkeeChannel = "PJSIP/outside" }
//!     at = "2.324s"
//! "#);
//! // The events themselves, for anything else.
//! let parked = run.events_named("ParkedCall").count();
//! assert_eq!(parked, 1);
//! # Ok(())
//! # }
//! ```

pub mod ami;
pub mod asterisk_cli;
pub mod audio;
pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod examples;
pub mod expect;
pub mod lint;
pub mod reload;
pub mod render;
pub mod scenario;
pub mod serve;
pub mod sim;
pub mod suite;
pub mod timeline;
