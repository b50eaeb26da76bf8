//! A [`VarContext`] for tests: maps for channel variables and globals, a caller id, channel items, and the
//! built-in function registry.

use super::functions::{CallerId, ChannelItem, FunctionRegistry};
use super::{Effects, FuncError, VarContext};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub(crate) struct TestCtx {
    pub vars: BTreeMap<String, String>,
    pub globals: BTreeMap<String, String>,
    pub caller: Option<CallerId>,
    pub items: BTreeMap<ChannelItem, String>,
    pub registry: &'static FunctionRegistry,
}

fn builtins() -> &'static FunctionRegistry {
    static REGISTRY: OnceLock<FunctionRegistry> = OnceLock::new();
    REGISTRY.get_or_init(FunctionRegistry::with_builtins)
}

impl TestCtx {
    pub(crate) fn new() -> Self {
        let mut items = BTreeMap::new();
        items.insert(ChannelItem::Name, String::from("PJSIP/alice-00000001"));
        items.insert(ChannelItem::Language, String::from("en"));
        TestCtx {
            vars: BTreeMap::new(),
            globals: BTreeMap::new(),
            caller: Some(CallerId::new("Alice", "1001")),
            items,
            registry: builtins(),
        }
    }

    pub(crate) fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.to_owned(), value.to_owned());
        self
    }

    pub(crate) fn global(mut self, name: &str, value: &str) -> Self {
        self.globals.insert(name.to_owned(), value.to_owned());
        self
    }
}

/// Asterisk stores `_X` and `__X` as `X`.
fn strip_inheritance(name: &str) -> &str {
    let n = name.strip_prefix('_').unwrap_or(name);
    n.strip_prefix('_').unwrap_or(n)
}

impl VarContext for TestCtx {
    fn get_var(&self, name: &str) -> Option<Cow<'_, str>> {
        self.vars
            .get(name)
            .or_else(|| self.globals.get(name))
            .map(|v| Cow::Borrowed(v.as_str()))
    }

    fn call_function(
        &mut self,
        name: &str,
        args: &str,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let registry = self.registry;
        registry.read(name, args, self, fx)
    }

    fn write_function(
        &mut self,
        name: &str,
        args: &str,
        value: &str,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let registry = self.registry;
        registry.write(name, args, value, self, fx)
    }

    fn set_var(&mut self, name: &str, value: Option<&str>) {
        let name = strip_inheritance(name).to_owned();
        match value {
            Some(v) => {
                self.vars.insert(name, v.to_owned());
            }
            None => {
                self.vars.remove(&name);
            }
        }
    }

    fn get_global(&self, name: &str) -> Option<Cow<'_, str>> {
        self.globals.get(name).map(|v| Cow::Borrowed(v.as_str()))
    }

    fn set_global(&mut self, name: &str, value: Option<&str>) {
        let name = strip_inheritance(name).to_owned();
        match value {
            Some(v) => {
                self.globals.insert(name, v.to_owned());
            }
            None => {
                self.globals.remove(&name);
            }
        }
    }

    fn caller_id(&self) -> Option<CallerId> {
        self.caller.clone()
    }

    fn set_caller_id(&mut self, id: CallerId) {
        self.caller = Some(id);
    }

    fn channel_item(&self, item: ChannelItem) -> Option<String> {
        self.items.get(&item).cloned()
    }

    fn set_channel_item(&mut self, item: ChannelItem, value: &str) -> bool {
        self.items.insert(item, value.to_owned());
        true
    }

    fn var_names(&self) -> Vec<String> {
        self.vars.keys().cloned().collect()
    }
}
