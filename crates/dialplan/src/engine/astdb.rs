//! The Asterisk database (AstDB, main/db.c) kept in memory for one engine: keys are `/family/key`, kept
//! sorted as SQLite's `ORDER BY key` returns them. It starts empty and lives as long as the engine.

use std::collections::BTreeMap;

/// An in-memory AstDB.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AstDb {
    entries: BTreeMap<String, String>,
}

impl AstDb {
    pub fn new() -> Self {
        Self::default()
    }

    fn full(family: &str, key: &str) -> String {
        format!("/{family}/{key}")
    }

    /// `ast_db_get`.
    pub fn get(&self, family: &str, key: &str) -> Option<&str> {
        self.entries
            .get(&Self::full(family, key))
            .map(String::as_str)
    }

    /// `ast_db_put`.
    pub fn put(&mut self, family: &str, key: &str, value: &str) {
        self.entries
            .insert(Self::full(family, key), value.to_string());
    }

    /// `ast_db_del`: whether the key was there.
    pub fn del(&mut self, family: &str, key: &str) -> bool {
        self.entries.remove(&Self::full(family, key)).is_some()
    }

    /// `ast_db_gettree(prefix)`: every full key under `/prefix/` (all keys for an empty prefix), sorted.
    pub fn tree(&self, prefix: &str) -> Vec<(&str, &str)> {
        let start = if prefix.is_empty() {
            String::from("/")
        } else {
            format!("/{prefix}/")
        };
        self.entries
            .range(start.clone()..)
            .take_while(|(k, _)| k.starts_with(&start))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// `ast_db_deltree(family, subtree)`: how many keys went.
    pub fn deltree(&mut self, prefix: &str) -> usize {
        let keys: Vec<String> = self
            .tree(prefix)
            .iter()
            .map(|(k, _)| k.to_string())
            .collect();
        for k in &keys {
            self.entries.remove(k);
        }
        keys.len()
    }

    /// All entries, sorted (for `database show`).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_and_trees() {
        let mut db = AstDb::new();
        db.put("cf", "1001", "5551234");
        db.put("cf", "1002/x", "y");
        db.put("cfx", "1", "z");
        assert_eq!(db.get("cf", "1001"), Some("5551234"));
        assert_eq!(db.tree("cf").len(), 2);
        assert!(db.del("cf", "1001"));
        assert!(!db.del("cf", "1001"));
        assert_eq!(db.deltree("cf"), 1);
        assert_eq!(db.iter().count(), 1);
    }
}
