//! Channel and global variables as Asterisk stores them (`main/pbx_variables.c`, `main/chanvars.c`).
//!
//! A variable keeps its *full* name, inheritance prefix included (`_X`, `__X`); look-ups and replacement
//! compare the name without the prefix, so `Set(_X=1)` is read back as `${X}` while `${_X}` finds nothing.
//! Asterisk inserts a new variable at the head of its list; here the newest is last and searches run from
//! the end, which is the same order.

/// One variable: full name (with any `_`/`__`) and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    pub full_name: Box<str>,
    pub value: Box<str>,
}

impl Var {
    /// The name without its inheritance prefix (`ast_var_name`).
    pub fn name(&self) -> &str {
        strip_inherit(&self.full_name)
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
        self.list
            .iter()
            .rev()
            .find(|v| v.name() == name)
            .map(|v| &*v.value)
    }

    /// `pbx_builtin_setvar_helper`: removes the variable of the same (prefix-stripped) name, then stores
    /// the new one unless `value` is `None`.
    pub fn set(&mut self, name: &str, value: Option<&str>) -> SetOutcome {
        let tail = strip_inherit(name);
        let mut old_non_empty = false;
        if let Some(i) = self.list.iter().rposition(|v| v.name() == tail) {
            old_non_empty = !self.list[i].value.is_empty();
            self.list.remove(i);
        }
        match value {
            Some(v) => {
                self.list.push(Var {
                    full_name: name.into(),
                    value: v.into(),
                });
                SetOutcome::Stored
            }
            None if old_non_empty => SetOutcome::DeletedNonEmpty,
            None => SetOutcome::Nothing,
        }
    }

    /// `pbx_builtin_pushvar_helper`: stores a new variable in front, keeping any of the same name behind it.
    pub fn push(&mut self, name: &str, value: &str) {
        self.list.push(Var {
            full_name: name.into(),
            value: value.into(),
        });
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
                if let Some(rest) = v.full_name.strip_prefix("__") {
                    let _ = rest;
                    Some(v.clone())
                } else {
                    v.full_name.strip_prefix('_').map(|rest| Var {
                        full_name: rest.into(),
                        value: v.value.clone(),
                    })
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
        let names: Vec<&str> = inh.iter().map(|v| &*v.full_name).collect();
        assert_eq!(names, ["__ALL", "ONE"]);
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
