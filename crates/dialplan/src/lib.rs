//! `dialplan`: Asterisk's configuration syntax, the extensions.conf model, and (later) the dialplan engine.
//!
//! - [`source`]: the source map and spans every item keeps;
//! - [`diag`]: diagnostics with Asterisk's own log lines beside dialsim's explanation;
//! - [`conf`]: the `.conf` syntax layer (independent of everything else);
//! - [`model`]: extensions.conf — contexts, extensions, priorities, patterns and Asterisk's match order;
//! - [`expr`]: `${...}` substitution, `$[...]` expressions and dialplan functions;
//! - [`engine`]: the run-time engine (virtual clock, channels, bridges, the PBX loop, events);
//! - [`apps`]: the dialplan applications, one file each.

pub mod apps;
pub mod catalogue;
pub mod conf;
pub mod diag;
pub mod engine;
pub mod expr;
pub mod hash;
pub mod model;
pub mod source;
pub mod timing;
