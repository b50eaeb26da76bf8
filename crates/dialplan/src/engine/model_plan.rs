//! The extensions.conf model ([`Dialplan`]) as the engine's [`Plan`]: every look-up goes through
//! `pbx_find_extension` ([`Dialplan::find`]), so patterns, includes and the legacy matcher's
//! "first extension that has the priority" rule apply to calls exactly as they do to `dialplan show`.
//!
//! Modules that edit the dialplan at run time (res_parking's `park-dial`) reach the model through
//! [`Plan::as_any_mut`] and a downcast to [`Dialplan`].

use super::plan::{Plan, Step};
use crate::model::Dialplan;
use std::any::Any;

impl Plan for Dialplan {
    fn step(&self, context: &str, exten: &str, priority: i32, callerid: Option<&str>) -> Option<Step<'_>> {
        self.find(context, exten, priority, callerid).map(|f| Step {
            app: f.priority.app(),
            data: f.priority.data(),
        })
    }

    fn label(&self, context: &str, exten: &str, label: &str, callerid: Option<&str>) -> Option<i32> {
        self.find_label(context, exten, label, callerid)
            .map(|f| f.priority.number())
    }

    fn match_more(&self, context: &str, exten: &str, callerid: Option<&str>) -> bool {
        Dialplan::match_more(self, context, exten, 1, callerid)
    }

    fn has_context(&self, context: &str) -> bool {
        self.context(context).is_some()
    }

    fn autofallthrough(&self) -> bool {
        self.general.autofallthrough
    }

    fn initial_globals(&self) -> Vec<(String, String)> {
        // The model lists the most recently set first; the engine wants them in the order they were set.
        let mut out: Vec<(String, String)> =
            self.globals.iter().map(|g| (g.name.clone(), g.value.clone())).collect();
        out.reverse();
        out
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewPriority, Replace};

    fn add(dp: &mut Dialplan, ctx: &str, exten: &str, priority: i32, app: &str, data: &str) {
        dp.find_or_create_context(ctx, "test");
        let new = NewPriority {
            exten,
            callerid: None,
            priority,
            label: None,
            app,
            data,
            registrar: "test",
            source: None,
        };
        assert!(dp.add_extension(ctx, new, Replace::No).is_ok());
    }

    #[test]
    fn steps_follow_patterns_and_includes() {
        let mut dp = Dialplan::new();
        add(&mut dp, "a", "_7XX", 1, "NoOp", "pattern");
        add(&mut dp, "a", "s", 1, "Answer", "");
        let plan: &dyn Plan = &dp;
        assert_eq!(
            plan.step("a", "701", 1, None),
            Some(Step {
                app: "NoOp",
                data: "pattern"
            })
        );
        assert!(plan.exists("a", "s", 1, None));
        assert!(!plan.exists("a", "s", 2, None));
        assert!(plan.match_more("a", "7", None));
        assert!(plan.has_context("a"));
        assert!(!plan.has_context("b"));
        assert!(plan.autofallthrough());
    }

    #[test]
    fn globals_come_in_the_order_they_were_set() {
        let mut dp = Dialplan::new();
        dp.globals.set("A", "1");
        dp.globals.set("B", "2");
        let plan: &dyn Plan = &dp;
        assert_eq!(
            plan.initial_globals(),
            vec![("A".to_string(), "1".to_string()), ("B".to_string(), "2".to_string())]
        );
    }
}
