//! The extensions.conf model: contexts, extensions, priorities, patterns and Asterisk's match order.
//!
//! - [`pattern`]: extension names and patterns, compiled once, matched as `_extension_match_core` does;
//! - [`order`]: Asterisk's sort order of extensions (`ext_cmp`), also the legacy matcher's priority;
//! - [`context`]: a context with its extensions, priorities, includes, ignore patterns and switches;
//! - [`dialplan`]: all contexts in Asterisk's list order, `[general]` options, globals, the edit API;
//! - [`lookup`]: `pbx_find_extension` with the legacy matcher; [`trie`]: the `extenpatternmatchnew` one.

pub mod context;
pub mod dialplan;
pub mod lookup;
pub mod order;
pub mod pattern;
pub mod trie;

pub use context::{
    AddError, Added, CallerIdMatch, Context, Extension, IgnorePat, Include, NewPriority, Priority,
    Replace, Switch, PRIORITY_HINT,
};
pub use dialplan::{Dialplan, General, Global, Globals, Matcher, PBX_CONFIG};
pub use lookup::{
    AllIncludesActive, Found, IncludeFilter, Lookup, Query, Status, Target, MAX_STACK,
};
pub use pattern::{MatchKind, Mode, Outcome, Pattern};
