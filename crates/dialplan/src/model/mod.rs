//! The extensions.conf model: contexts, extensions, priorities, patterns and Asterisk's match order.
//!
//! - [`pattern`]: extension names and patterns, compiled once, matched as `_extension_match_core` does;
//! - [`order`]: Asterisk's sort order of extensions (`ext_cmp`), also the legacy matcher's priority;
//! - [`context`]: a context with its extensions, priorities, includes, ignore patterns and switches;
//! - [`dialplan`]: all contexts in Asterisk's list order, `[general]` options, globals, the edit API;
//! - [`lookup`]: `pbx_find_extension` with the legacy matcher; [`trie`]: the `extenpatternmatchnew` one;
//! - [`load`]: pbx_config reading extensions.conf; [`merge`]: keeping what other modules registered;
//! - [`show`]: `dialplan show`.

pub mod context;
pub mod dialplan;
pub mod load;
pub mod lookup;
pub(crate) mod merge;
pub mod order;
pub mod pattern;
#[cfg(test)]
mod proptests;
pub mod show;
pub mod trie;

pub use context::{
    AddError, Added, CallerIdMatch, Context, Extension, IgnorePat, Include, Location, NewPriority,
    Priority, Replace, Switch, PRIORITY_HINT,
};
pub use dialplan::{Dialplan, General, Global, Globals, Matcher, PBX_CONFIG};
pub use load::{
    declined, load_extensions, load_extensions_owned, load_extensions_with, reload_extensions,
    ExtensionsLoad, GlobalsOnly, LoadSubstitution, SubstScope, CODES,
};
pub use lookup::{
    AllIncludesActive, Found, IncludeFilter, Lookup, Query, Status, Target, MAX_STACK,
};
pub use pattern::{MatchKind, Mode, Outcome, Pattern};
pub use show::{show_dialplan, show_dialplan_logged};
