//! The dialplan as the engine sees it: a small seam over the extensions model, so the PBX loop only needs
//! "which application runs at (context, exten, priority)", label look-ups and `autofallthrough`.
//!
//! [`crate::model::Dialplan`] implements it; tests and benches may use any other implementation.

use crate::model::lookup::{Found, Query, Target};
use crate::model::pattern::Mode;
use std::any::Any;

/// The priority that runs: application name and its unsubstituted data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step<'a> {
    pub app: &'a str,
    pub data: &'a str,
}

/// Look-ups the PBX loop needs (Asterisk's `pbx_find_extension` in its various modes).
pub trait Plan: Any {
    /// The priority that runs for `exten@context` (exact match; `callerid` for caller-id matched
    /// extensions).
    fn step(
        &self,
        context: &str,
        exten: &str,
        priority: i32,
        callerid: Option<&str>,
    ) -> Option<Step<'_>>;

    /// `ast_findlabel_extension`: the priority number a label names.
    fn label(&self, context: &str, exten: &str, label: &str, callerid: Option<&str>)
        -> Option<i32>;

    /// `ast_exists_extension`.
    fn exists(&self, context: &str, exten: &str, priority: i32, callerid: Option<&str>) -> bool {
        self.step(context, exten, priority, callerid).is_some()
    }

    /// `ast_matchmore_extension`: could `exten` match something with more digits?
    fn match_more(&self, _context: &str, _exten: &str, _callerid: Option<&str>) -> bool {
        false
    }

    /// Whether the context exists at all.
    fn has_context(&self, context: &str) -> bool;

    /// pbx_config's `autofallthrough` (default yes).
    fn autofallthrough(&self) -> bool;

    /// The `[globals]` as loaded, in the order they are set.
    fn initial_globals(&self) -> Vec<(String, String)>;

    /// For modules that edit the dialplan (res_parking's `park-dial`): the concrete model.
    fn as_any_mut(&mut self) -> &mut dyn Any;

    fn as_any(&self) -> &dyn Any;

    /// The virtual wall clock (Unix seconds) against which `include => ctx,<times>,…` is evaluated; the
    /// engine sets it before each look-up. The default ignores it.
    fn set_wall_clock(&self, _secs: i64) {}

    /// The local time zone timed includes are read in (an engine sets it once). The default ignores it.
    fn set_time_zone(&self, _zone: &crate::timing::Zone) {}
}

/// The wall clock a dialplan's timed includes are checked against (`None` until an engine sets it: every
/// include is then active, as at load time). Atomic so a loaded dialplan stays `Sync`.
#[derive(Debug, Default)]
pub struct WallClock(std::sync::atomic::AtomicI64);

impl WallClock {
    const UNSET: i64 = i64::MIN;

    pub fn get(&self) -> Option<i64> {
        let v = self.0.load(std::sync::atomic::Ordering::Relaxed);
        (v != Self::UNSET && v != 0).then_some(v)
    }

    pub fn set(&self, secs: i64) {
        self.0.store(secs, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Clone for WallClock {
    fn clone(&self) -> Self {
        WallClock(std::sync::atomic::AtomicI64::new(
            self.0.load(std::sync::atomic::Ordering::Relaxed),
        ))
    }
}

/// `include => ctx,<times>,<weekdays>,<mdays>,<months>`: active when the time specification matches the
/// wall clock (every include is active without a clock).
fn include_active(include: &crate::model::Include, now: Option<i64>, zone: &LocalZone) -> bool {
    let (Some(spec), Some(now)) = (include.timing(), now) else {
        return true;
    };
    let mut ignored = Vec::new();
    match crate::timing::TimeSpec::parse(spec, &mut ignored) {
        Some(t) => t.matches_at(now, &zone.get()),
        None => true,
    }
}

/// The local time zone of a dialplan's timed includes (UTC until an engine sets it). Locked so a loaded
/// dialplan stays `Sync`; read only when a timed include is checked.
#[derive(Debug, Default)]
pub struct LocalZone(std::sync::RwLock<crate::timing::Zone>);

impl LocalZone {
    pub fn get(&self) -> crate::timing::Zone {
        self.0.read().map(|z| z.clone()).unwrap_or_default()
    }

    pub fn set(&self, zone: &crate::timing::Zone) {
        if let Ok(mut z) = self.0.write() {
            *z = zone.clone();
        }
    }
}

impl Clone for LocalZone {
    fn clone(&self) -> Self {
        LocalZone(std::sync::RwLock::new(self.get()))
    }
}

/// A dialplan with nothing in it.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmptyPlan;

impl Plan for EmptyPlan {
    fn step(&self, _: &str, _: &str, _: i32, _: Option<&str>) -> Option<Step<'_>> {
        None
    }
    fn label(&self, _: &str, _: &str, _: &str, _: Option<&str>) -> Option<i32> {
        None
    }
    fn has_context(&self, _: &str) -> bool {
        false
    }
    fn autofallthrough(&self) -> bool {
        true
    }
    fn initial_globals(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A small in-memory dialplan: `(context, exten, priority, label, app, data)` rows, exact names only, no
/// patterns or includes. Meant for tests and benchmarks that do not need the full model.
#[derive(Clone, Debug, Default)]
pub struct TablePlan {
    pub rows: Vec<TableRow>,
    pub autofallthrough: bool,
    pub globals: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct TableRow {
    pub context: String,
    pub exten: String,
    pub priority: i32,
    pub label: Option<String>,
    pub app: String,
    pub data: String,
}

impl TablePlan {
    pub fn new() -> Self {
        TablePlan {
            rows: Vec::new(),
            autofallthrough: true,
            globals: Vec::new(),
        }
    }

    /// Adds `exten,priority,app(data)` to `context`; the priority `n` form is not supported here.
    pub fn add(
        &mut self,
        context: &str,
        exten: &str,
        priority: i32,
        app: &str,
        data: &str,
    ) -> &mut Self {
        self.rows.push(TableRow {
            context: context.to_string(),
            exten: exten.to_string(),
            priority,
            label: None,
            app: app.to_string(),
            data: data.to_string(),
        });
        self
    }

    /// Adds a priority with a label.
    pub fn add_labelled(
        &mut self,
        context: &str,
        exten: &str,
        priority: i32,
        label: &str,
        app: &str,
        data: &str,
    ) -> &mut Self {
        self.add(context, exten, priority, app, data);
        if let Some(r) = self.rows.last_mut() {
            r.label = Some(label.to_string());
        }
        self
    }
}

impl Plan for TablePlan {
    fn step(&self, context: &str, exten: &str, priority: i32, _: Option<&str>) -> Option<Step<'_>> {
        self.rows
            .iter()
            .find(|r| r.priority == priority && r.exten == exten && r.context == context)
            .map(|r| Step {
                app: &r.app,
                data: &r.data,
            })
    }

    fn label(&self, context: &str, exten: &str, label: &str, _: Option<&str>) -> Option<i32> {
        self.rows
            .iter()
            .find(|r| r.label.as_deref() == Some(label) && r.exten == exten && r.context == context)
            .map(|r| r.priority)
    }

    fn match_more(&self, context: &str, exten: &str, _: Option<&str>) -> bool {
        self.rows.iter().any(|r| {
            r.context == context && r.exten.len() > exten.len() && r.exten.starts_with(exten)
        })
    }

    fn has_context(&self, context: &str) -> bool {
        self.rows.iter().any(|r| r.context == context)
    }

    fn autofallthrough(&self) -> bool {
        self.autofallthrough
    }

    fn initial_globals(&self) -> Vec<(String, String)> {
        self.globals.clone()
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The extensions model is the real dialplan. Includes with a time specification are active when the
/// engine's wall clock is inside it.
impl Plan for crate::model::Dialplan {
    fn step(
        &self,
        context: &str,
        exten: &str,
        priority: i32,
        callerid: Option<&str>,
    ) -> Option<Step<'_>> {
        let q = Query::priority(context, exten, priority, callerid);
        self.timed_lookup(&q).map(|f| Step {
            app: f.priority.app(),
            data: f.priority.data(),
        })
    }

    fn label(
        &self,
        context: &str,
        exten: &str,
        label: &str,
        callerid: Option<&str>,
    ) -> Option<i32> {
        let q = Query {
            context,
            exten,
            target: Target::Label(label),
            callerid,
            mode: Mode::Match,
        };
        self.timed_lookup(&q).map(|f| f.priority.number())
    }

    fn exists(&self, context: &str, exten: &str, priority: i32, callerid: Option<&str>) -> bool {
        self.step(context, exten, priority, callerid).is_some()
    }

    fn match_more(&self, context: &str, exten: &str, callerid: Option<&str>) -> bool {
        let q = Query {
            context,
            exten,
            target: Target::Priority(1),
            callerid,
            mode: Mode::MatchMore,
        };
        self.timed_lookup(&q).is_some()
    }

    fn set_wall_clock(&self, secs: i64) {
        self.wall_clock.set(secs);
    }

    fn set_time_zone(&self, zone: &crate::timing::Zone) {
        self.local_zone.set(zone);
    }

    fn has_context(&self, context: &str) -> bool {
        self.context(context).is_some()
    }

    fn autofallthrough(&self) -> bool {
        self.general.autofallthrough
    }

    fn initial_globals(&self) -> Vec<(String, String)> {
        // Stored newest first; replay oldest first so the engine's list ends in the same order.
        let mut g: Vec<(String, String)> = self
            .globals
            .iter()
            .map(|g| (g.name.clone(), g.value.clone()))
            .collect();
        g.reverse();
        g
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl crate::model::Dialplan {
    /// A look-up with timed includes checked against the wall clock.
    fn timed_lookup(&self, q: &Query<'_>) -> Option<Found<'_>> {
        let now = self.wall_clock.get();
        if now.is_none() {
            return self
                .lookup(q, &crate::model::lookup::AllIncludesActive)
                .found;
        }
        let filter = |inc: &crate::model::Include| include_active(inc, now, &self.local_zone);
        self.lookup(q, &filter).found
    }
}
