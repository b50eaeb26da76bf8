//! Finding scenario files: a file given by name is taken as it is; a folder is searched, in name order,
//! for `scenario.toml` and `*.scenario.toml` (hidden folders and `target` are skipped, symbolic links to
//! folders are not followed, so a link cycle cannot loop).

use std::path::{Path, PathBuf};

/// Whether a file name is a scenario file's.
pub fn is_scenario_name(name: &str) -> bool {
    name == "scenario.toml"
        || (name.ends_with(".scenario.toml") && name.len() > ".scenario.toml".len())
}

/// The scenario files under `paths`, each path's in sorted order; `Err` names a path that does not exist.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            out.push(p.clone());
        } else if p.is_dir() {
            walk(p, &mut out);
        } else {
            return Err(format!("dialsim: '{}' does not exist", p.display()));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    let mut dirs = Vec::new();
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(kind) = e.file_type() else { continue };
        let path = clean(dir.join(&name));
        if kind.is_dir() {
            if !name.starts_with('.') && name != "target" {
                dirs.push(path);
            }
        } else if is_scenario_name(&name) {
            out.push(path);
        }
    }
    for d in dirs {
        walk(&d, out);
    }
}

/// `./a/b` → `a/b`, so names (and shards) do not depend on how the folder was written.
fn clean(p: PathBuf) -> PathBuf {
    match p.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_names() {
        assert!(is_scenario_name("scenario.toml"));
        assert!(is_scenario_name("busy.scenario.toml"));
        assert!(!is_scenario_name(".scenario.toml"));
        assert!(!is_scenario_name("scenario.toml.bak"));
        assert!(!is_scenario_name("extensions.conf"));
    }

    #[test]
    fn walks_sorted_and_skips_hidden_and_target() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b/scenario.toml",
            "a/x.scenario.toml",
            "a/scenario.toml",
            ".git/scenario.toml",
            "target/scenario.toml",
            "a/notes.toml",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let found = discover(&[root.to_path_buf()]).unwrap();
        let rel: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(
            rel,
            ["a/scenario.toml", "a/x.scenario.toml", "b/scenario.toml"]
        );
        assert!(discover(&[root.join("nope")]).is_err());
    }
}
