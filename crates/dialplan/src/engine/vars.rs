//! Channel and global variables as Asterisk stores them (`main/pbx_variables.c`, `main/chanvars.c`).
//!
//! A variable keeps its *full* name, inheritance prefix included (`_X`, `__X`); look-ups and replacement
//! compare the name without the prefix, so `Set(_X=1)` is read back as `${X}` while `${_X}` finds nothing.
//! Asterisk inserts a new variable at the head of its list; here the newest is last and searches run from
//! the end, which is the same order.

/// One variable: full name (with any `_`/`__`) and value, in **one** allocation (`<full name><value>`):
/// a parked call's timeout sets five variables and its hangup frees them, so two blocks per variable were
/// twice the cold memory (docs/performance.md, issue 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    /// The full name followed by the value.
    text: Box<str>,
    /// Where the value starts in `text` (the full name's length).
    split: u32,
    /// [`key`] of the name without its prefix: searches compare it before the text (a channel holds a few
    /// dozen variables and a call sets some sixty, so the comparisons added up).
    key: u32,
}

/// A cheap fingerprint of a variable name (its length and first and last bytes): different fingerprints,
/// different names.
fn key(name: &str) -> u32 {
    let b = name.as_bytes();
    let first = b.first().copied().unwrap_or(0);
    let last = b.last().copied().unwrap_or(0);
    (b.len() as u32) << 16 | u32::from(first) << 8 | u32::from(last)
}

/// `full_name` and `value` in one text, and where the value starts.
fn joined(full_name: &str, value: &str) -> (Box<str>, u32) {
    let mut text = String::with_capacity(full_name.len() + value.len());
    text.push_str(full_name);
    text.push_str(value);
    // A name longer than 4 GB cannot come out of a dialplan line; saturating keeps this total.
    (
        text.into_boxed_str(),
        u32::try_from(full_name.len()).unwrap_or(u32::MAX),
    )
}

impl Var {
    /// A variable named `full_name` (prefix included) holding `value`.
    pub fn new(full_name: &str, value: &str) -> Var {
        let (text, split) = joined(full_name, value);
        Var {
            text,
            split,
            key: key(strip_inherit(full_name)),
        }
    }

    /// The name with its inheritance prefix, as stored.
    pub fn full_name(&self) -> &str {
        self.text.get(..self.split as usize).unwrap_or("")
    }

    /// The value.
    pub fn value(&self) -> &str {
        self.text.get(self.split as usize..).unwrap_or("")
    }

    /// The name without its inheritance prefix (`ast_var_name`).
    pub fn name(&self) -> &str {
        strip_inherit(self.full_name())
    }

    /// Stores `full_name` and `value`, reusing the allocation when the text is unchanged.
    fn replace(&mut self, full_name: &str, value: &str) {
        if self.full_name() != full_name || self.value() != value {
            (self.text, self.split) = joined(full_name, value);
        }
    }
}

/// The name without a leading `_` or `__`.
pub fn strip_inherit(name: &str) -> &str {
    name.strip_prefix("__")
        .or_else(|| name.strip_prefix('_'))
        .unwrap_or(name)
}

/// What a set did, so the caller can publish `VarSet` as Asterisk does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOutcome {
    /// A value was stored: publish `VarSet` with it.
    Stored,
    /// A non-empty variable was deleted: publish `VarSet` with an empty value.
    DeletedNonEmpty,
    /// Nothing to publish.
    Nothing,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars {
    list: Vec<Var>,
}

impl Vars {
    pub fn new() -> Self {
        Self::default()
    }

    /// `pbx_builtin_getvar_helper`: the value of `name` (compared with the stored names' prefix stripped).
    pub fn get(&self, name: &str) -> Option<&str> {
        let k = key(name);
        self.list
            .iter()
            .rev()
            .find(|v| v.key == k && v.name() == name)
            .map(Var::value)
    }

    /// `pbx_builtin_setvar_helper`: removes the variable of the same (prefix-stripped) name, then stores
    /// the new one unless `value` is `None`.
    pub fn set(&mut self, name: &str, value: Option<&str>) -> SetOutcome {
        let tail = strip_inherit(name);
        let k = key(tail);
        let found = self
            .list
            .iter()
            .rposition(|v| v.key == k && v.name() == tail);
        match (found, value) {
            (Some(i), Some(v)) => {
                // Removed and stored anew as the newest: move it to the end and keep what allocations
                // still fit (a channel sets the same few variables over and over).
                self.list[i..].rotate_left(1);
                if let Some(last) = self.list.last_mut() {
                    // Same name without the prefix, so the same key.
                    last.replace(name, v);
                }
                SetOutcome::Stored
            }
            (Some(i), None) => {
                if self.list.remove(i).value().is_empty() {
                    SetOutcome::Nothing
                } else {
                    SetOutcome::DeletedNonEmpty
                }
            }
            (None, Some(v)) => {
                self.list.push(Var::new(name, v));
                SetOutcome::Stored
            }
            (None, None) => SetOutcome::Nothing,
        }
    }

    /// `pbx_builtin_pushvar_helper`: stores a new variable in front, keeping any of the same name behind it.
    pub fn push(&mut self, name: &str, value: &str) {
        self.list.push(Var::new(name, value));
    }

    /// Variables newest first, as Asterisk lists them.
    pub fn iter(&self) -> impl Iterator<Item = &Var> {
        self.list.iter().rev()
    }

    /// `ast_channel_inherit_variables`: the variables a child channel gets, in the order Asterisk appends
    /// them (parent's list order, newest first): `_X` becomes `X`, `__X` stays `__X`.
    pub fn inheritable(&self) -> Vec<Var> {
        self.iter()
            .filter_map(|v| {
                if v.full_name().starts_with("__") {
                    Some(v.clone())
                } else {
                    v.full_name()
                        .strip_prefix('_')
                        .map(|rest| Var::new(rest, v.value()))
                }
            })
            .collect()
    }

    /// Appends an inherited variable at the tail of Asterisk's list (so it is the *oldest* here).
    pub fn push_inherited(&mut self, var: Var) {
        self.list.insert(0, var);
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_stored_but_not_read() {
        let mut v = Vars::new();
        assert_eq!(v.set("_X", Some("1")), SetOutcome::Stored);
        assert_eq!(v.get("X"), Some("1"));
        assert_eq!(v.get("_X"), None);
        v.set("X", Some("2"));
        assert_eq!(v.len(), 1);
        assert_eq!(v.inheritable().len(), 0);
    }

    #[test]
    fn inheritance_levels() {
        let mut v = Vars::new();
        v.set("_ONE", Some("a"));
        v.set("__ALL", Some("b"));
        v.set("NONE", Some("c"));
        let inh = v.inheritable();
        let names: Vec<&str> = inh.iter().map(Var::full_name).collect();
        assert_eq!(names, ["__ALL", "ONE"]);
    }

    #[test]
    fn setting_again_makes_the_variable_the_newest_with_its_new_spelling() {
        let mut v = Vars::new();
        v.set("A", Some("1"));
        v.set("B", Some("2"));
        v.set("_A", Some("3"));
        let list: Vec<(&str, &str)> = v.iter().map(|x| (x.full_name(), x.value())).collect();
        assert_eq!(list, [("_A", "3"), ("B", "2")]);
        v.set("B", Some("2"));
        let list: Vec<&str> = v.iter().map(Var::full_name).collect();
        assert_eq!(list, ["B", "_A"]);
    }

    #[test]
    fn deleting_reports_non_empty() {
        let mut v = Vars::new();
        v.set("A", Some(""));
        assert_eq!(v.set("A", None), SetOutcome::Nothing);
        v.set("A", Some("x"));
        assert_eq!(v.set("A", None), SetOutcome::DeletedNonEmpty);
        assert!(v.is_empty());
    }
}
