//! The whole dialplan: contexts in Asterisk's list order, `[general]` options, globals, and the edit API
//! other modules use (res_parking registers its generated contexts through it, as it does with Asterisk's
//! core).
//!
//! Asterisk keeps contexts in a singly linked list to which a new context is **prepended**
//! (`ast_context_find_or_create`), so `dialplan show` lists the newest first. dialsim stores them in
//! creation order and iterates backwards.

use super::context::{
    AddError, Added, Context, Location, NewPriority, Origin, Provenance, Replace,
};
use std::collections::HashMap;
use std::sync::Arc;

/// Context names to their index; only looked up, never iterated, so output never depends on its order.
type NameMap = HashMap<Box<str>, u32, crate::hash::Fx>;

/// The registrar of everything extensions.conf creates.
pub const PBX_CONFIG: &str = "pbx_config";

/// pbx_config's `[general]` options as they stand after the last load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct General {
    /// `static` (only matters to `dialplan save`).
    pub static_config: bool,
    /// `writeprotect` (only matters to `dialplan save`).
    pub writeprotect: bool,
    /// `autofallthrough`, default yes. Keeps its previous value when a reload does not set it.
    pub autofallthrough: bool,
    /// `extenpatternmatchnew`, default no: which matcher lookups use ([`Matcher`]). Keeps its previous
    /// value when a reload does not set it.
    pub extenpatternmatchnew: bool,
    /// `clearglobalvars`: globals are wiped before a `dialplan reload`.
    pub clearglobalvars: bool,
    /// `userscontext`, default `default` (only used by users.conf, which dialsim does not read).
    pub userscontext: String,
    /// `overrideswitch`: a switch tried before every context's own extensions (never simulated).
    pub overrideswitch: Option<String>,
}

impl Default for General {
    fn default() -> Self {
        General {
            static_config: false,
            writeprotect: false,
            autofallthrough: true,
            extenpatternmatchnew: false,
            clearglobalvars: false,
            userscontext: String::from("default"),
            overrideswitch: None,
        }
    }
}

/// Which extension matcher lookups use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// `extenpatternmatchnew=no`: walk the sorted list; the first matching extension that has the wanted
    /// priority wins (so a less specific extension can supply a priority the best one lacks).
    Legacy,
    /// `extenpatternmatchnew=yes`: pick the single best extension first, then look only there.
    Trie,
}

/// One global variable as written in `[globals]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Global {
    pub name: String,
    /// The value after load-time substitution.
    pub value: String,
}

/// Global variables, most recently set first (Asterisk inserts at the head of its list).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Globals {
    vars: Vec<Global>,
}

impl Globals {
    /// `pbx_builtin_setvar_helper` without a channel: an existing variable of the same name (leading
    /// `_`/`__` of the new name ignored for the comparison) is removed, the new one goes first.
    pub fn set(&mut self, name: &str, value: &str) {
        let tail = name
            .strip_prefix("__")
            .or_else(|| name.strip_prefix('_'))
            .unwrap_or(name);
        if let Some(i) = self.vars.iter().position(|g| g.name == tail) {
            self.vars.remove(i);
        }
        self.vars.insert(
            0,
            Global {
                name: name.to_string(),
                value: value.to_string(),
            },
        );
    }

    /// The value of a global (names are case-sensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.value.as_str())
    }

    /// All globals, most recently set first.
    pub fn iter(&self) -> impl Iterator<Item = &Global> {
        self.vars.iter()
    }

    pub fn clear(&mut self) {
        self.vars.clear();
    }

    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
}

/// The dialplan.
#[derive(Clone, Debug, Default)]
pub struct Dialplan {
    /// Creation order; Asterisk's list order is the reverse.
    contexts: Vec<Context>,
    index: NameMap,
    registrars: Vec<Arc<str>>,
    /// Insertion counter shared by every hash-table insertion (see [`super::context`]).
    pub(crate) seq: u32,
    /// Index of the context the last [`Dialplan::add_extension_at`] went to (checked before the index).
    last_context: usize,
    /// The provenance of the last priority added: the next one most likely shares it.
    last_provenance: Option<Arc<Provenance>>,
    pub general: General,
    pub globals: Globals,
    /// The engine's virtual wall clock, for timed includes (see `engine::plan`).
    pub(crate) wall_clock: crate::engine::plan::WallClock,
    pub(crate) local_zone: crate::engine::plan::LocalZone,
}

impl Dialplan {
    pub fn new() -> Self {
        Self::default()
    }

    /// Which matcher lookups use (from `extenpatternmatchnew`).
    pub fn matcher(&self) -> Matcher {
        if self.general.extenpatternmatchnew {
            Matcher::Trie
        } else {
            Matcher::Legacy
        }
    }

    /// The one shared copy of a registrar name.
    pub(crate) fn intern(&mut self, registrar: &str) -> Arc<str> {
        // The newest name is the likeliest (a module registers its lines together).
        if let Some(r) = self.registrars.iter().rev().find(|r| ***r == *registrar) {
            return r.clone();
        }
        let r: Arc<str> = Arc::from(registrar);
        self.registrars.push(r.clone());
        r
    }

    /// Contexts in Asterisk's list order (newest first), as `dialplan show` lists them.
    pub fn contexts(&self) -> impl DoubleEndedIterator<Item = &Context> + ExactSizeIterator {
        self.contexts.iter().rev()
    }

    /// A context by exact (case-sensitive) name.
    pub fn context(&self, name: &str) -> Option<&Context> {
        self.index.get(name).map(|&i| &self.contexts[i as usize])
    }

    pub(crate) fn context_mut(&mut self, name: &str) -> Option<&mut Context> {
        match self.index.get(name) {
            Some(&i) => self.contexts.get_mut(i as usize),
            None => None,
        }
    }

    /// `ast_context_find_or_create`: the existing context (its reference count goes up), or a new one
    /// created by `registrar` at the front of the list.
    pub fn find_or_create_context(&mut self, name: &str, registrar: &str) -> &mut Context {
        if let Some(&i) = self.index.get(name) {
            let ctx = &mut self.contexts[i as usize];
            ctx.refcount += 1;
            return ctx;
        }
        let registrar = self.intern(registrar);
        self.push_context(Context::new(name, registrar))
    }

    pub(crate) fn push_context(&mut self, ctx: Context) -> &mut Context {
        let i = self.contexts.len();
        self.index.insert(Box::from(ctx.name()), i as u32);
        self.contexts.push(ctx);
        &mut self.contexts[i]
    }

    /// `ast_add_extension2` on a context by name, for a module's generated extension (no file location:
    /// `dialplan show` prints the registrar).
    pub fn add_extension(
        &mut self,
        context: &str,
        priority: NewPriority<'_>,
        replace: Replace,
    ) -> Result<Added, AddError> {
        self.add_extension_at(context, priority, None, replace)
    }

    /// [`Dialplan::add_extension`] with the file and line Asterisk records (`registrar_file`,
    /// `registrar_line`).
    pub fn add_extension_at(
        &mut self,
        context: &str,
        priority: NewPriority<'_>,
        location: Option<Location>,
        replace: Replace,
    ) -> Result<Added, AddError> {
        let registrar = self.intern(priority.registrar);
        let origin = Origin {
            registrar: &registrar,
            location: location.as_ref().map(|l| (&l.file, l.line)),
            file: None,
            expected: 1,
        };
        self.add_with_origin(context, priority, origin, replace)
    }

    /// [`Dialplan::add_extension_at`] with everything the caller already knows about where the priority
    /// comes from (pbx_config: the registrar interned once, the file's text to share, the expected size
    /// of a new extension). `priority.registrar` is not looked at.
    pub(crate) fn add_with_origin(
        &mut self,
        context: &str,
        priority: NewPriority<'_>,
        origin: Origin<'_>,
        replace: Replace,
    ) -> Result<Added, AddError> {
        // A file adds its lines context by context: the context of the previous add is checked first.
        let i = match self.contexts.get(self.last_context) {
            Some(c) if c.name() == context => self.last_context,
            _ => match self.index.get(context) {
                Some(&i) => i as usize,
                None => return Err(AddError::NoContext(context.to_string())),
            },
        };
        self.add_in(i, priority, origin, replace)
    }

    /// The position of a context in the list [`Dialplan::add_in`] takes (stable until a context is removed).
    pub(crate) fn context_index(&self, name: &str) -> Option<usize> {
        self.index.get(name).map(|&i| i as usize)
    }

    /// [`Dialplan::add_with_origin`] on the context at `i` (from [`Dialplan::context_index`]): a loader that
    /// adds many lines to one context finds it once instead of comparing its name per line.
    pub(crate) fn add_in(
        &mut self,
        i: usize,
        priority: NewPriority<'_>,
        origin: Origin<'_>,
        replace: Replace,
    ) -> Result<Added, AddError> {
        if i >= self.contexts.len() {
            return Err(AddError::NoContext(String::new()));
        }
        self.last_context = i;
        let (registrar, file, source) = (
            origin.registrar,
            origin.location.map(|l| l.0),
            priority.source.map(|s| s.file),
        );
        let prov = match &self.last_provenance {
            Some(p) if p.is(registrar, file, source) => Arc::clone(p),
            _ => {
                let p = Arc::new(Provenance::new(registrar, file, source));
                self.last_provenance = Some(Arc::clone(&p));
                p
            }
        };
        self.contexts[i].add_from(&priority, origin, prov, replace, &mut self.seq)
    }

    /// `ast_context_destroy(NULL, registrar)`: removes every priority, include, ignore pattern and switch
    /// the registrar owns, then the contexts it created that are left empty and unshared.
    pub fn remove_registrar(&mut self, registrar: &str) {
        let mut seq = self.seq;
        // Asterisk walks its list (newest first); only the sequence numbers depend on the order.
        let mut doomed = Vec::new();
        for i in (0..self.contexts.len()).rev() {
            if self.contexts[i].remove_registrar(registrar, &mut seq) {
                doomed.push(i);
            }
        }
        self.seq = seq;
        if doomed.is_empty() {
            return;
        }
        doomed.sort_unstable();
        for i in doomed.into_iter().rev() {
            self.contexts.remove(i);
        }
        self.reindex();
    }

    /// Replaces the whole context list (after a merge), given in creation order.
    pub(crate) fn replace_contexts(&mut self, contexts: Vec<Context>) {
        self.contexts = contexts;
        self.reindex();
    }

    pub(crate) fn take_contexts(&mut self) -> Vec<Context> {
        self.index.clear();
        std::mem::take(&mut self.contexts)
    }

    fn reindex(&mut self) {
        self.index = self
            .contexts
            .iter()
            .enumerate()
            .map(|(i, c)| (Box::from(c.name()), i as u32))
            .collect();
    }

    /// Gives back spare list capacity everywhere (done after a load).
    pub fn shrink_to_fit(&mut self) {
        for c in &mut self.contexts {
            c.shrink_to_fit();
        }
        self.contexts.shrink_to_fit();
    }

    /// Total number of priorities (hints included) in all contexts.
    pub fn priority_count(&self) -> usize {
        self.contexts
            .iter()
            .flat_map(|c| c.extensions())
            .map(|e| e.priorities().len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn np<'a>(exten: &'a str, app: &'a str, registrar: &'a str) -> NewPriority<'a> {
        NewPriority {
            exten,
            callerid: None,
            priority: 1,
            label: None,
            app,
            data: "",
            registrar,
            source: None,
        }
    }

    #[test]
    fn contexts_are_prepended() {
        let mut dp = Dialplan::new();
        dp.find_or_create_context("a", "x");
        dp.find_or_create_context("b", "x");
        dp.find_or_create_context("a", "y");
        let names: Vec<&str> = dp.contexts().map(|c| c.name()).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(dp.context("a").map(|c| c.registrar()), Some("x"));
        assert!(dp.context("A").is_none());
    }

    #[test]
    fn removing_a_registrar_deletes_its_empty_contexts() {
        let mut dp = Dialplan::new();
        dp.find_or_create_context("parkedcalls", "res_parking");
        dp.add_extension("parkedcalls", np("700", "Park", "res_parking"), Replace::No)
            .unwrap();
        dp.add_extension(
            "parkedcalls",
            np("701", "ParkedCall", "res_parking/default"),
            Replace::No,
        )
        .unwrap();
        dp.remove_registrar("res_parking/default");
        assert_eq!(dp.context("parkedcalls").unwrap().extensions().len(), 1);
        dp.remove_registrar("res_parking");
        assert!(dp.context("parkedcalls").is_none());
        assert!(matches!(
            dp.add_extension("parkedcalls", np("700", "Park", "res_parking"), Replace::No),
            Err(AddError::NoContext(_))
        ));
    }

    #[test]
    fn globals_replace_and_go_first() {
        let mut g = Globals::default();
        g.set("A", "1");
        g.set("B", "2");
        g.set("A", "3");
        let names: Vec<&str> = g.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        assert_eq!(g.get("A"), Some("3"));
    }
}
