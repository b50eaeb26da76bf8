//! The dialplan as the engine sees it: a small seam over the extensions model, so the PBX loop only needs
//! "which application runs at (context, exten, priority)", label look-ups and `autofallthrough`.
//!
//! [`crate::model::Dialplan`] implements it; tests and benches may use any other implementation.

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

/// The extensions model is the real dialplan. Includes with a time specification are all taken as active
/// (dialsim does not yet evaluate `include => ctx,times` against the virtual clock).
impl Plan for crate::model::Dialplan {
    fn step(
        &self,
        context: &str,
        exten: &str,
        priority: i32,
        callerid: Option<&str>,
    ) -> Option<Step<'_>> {
        self.find(context, exten, priority, callerid).map(|f| Step {
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
        self.find_label(context, exten, label, callerid)
            .map(|f| f.priority.number())
    }

    fn exists(&self, context: &str, exten: &str, priority: i32, callerid: Option<&str>) -> bool {
        crate::model::Dialplan::exists(self, context, exten, priority, callerid)
    }

    fn match_more(&self, context: &str, exten: &str, callerid: Option<&str>) -> bool {
        crate::model::Dialplan::match_more(self, context, exten, 1, callerid)
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
