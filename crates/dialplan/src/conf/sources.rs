//! [`ConfSource`] for a folder on disk ([`DirSource`]) and for files held in memory ([`MemorySource`]).
//!
//! Names are relative to the configuration folder, as Asterisk resolves them against `/etc/asterisk`. An
//! absolute name under [`ASTERISK_CONFIG_DIR`] means the same file as its relative name (a config that says
//! `#include /etc/asterisk/extra.conf` finds `extra.conf` in the folder being checked).

use super::glob::{component_matches, expand_braces, has_magic};
use super::{ConfSource, DirSource, MemorySource, ASTERISK_CONFIG_DIR};
use std::io;
use std::path::{Component, Path, PathBuf};

/// `name` relative to the configuration folder when it is relative or lies under `/etc/asterisk`; otherwise
/// the absolute name unchanged. `.` components are dropped.
pub fn relative_name(name: &Path) -> PathBuf {
    let stripped = name.strip_prefix(ASTERISK_CONFIG_DIR).unwrap_or(name);
    stripped
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Splits a pattern into its brace alternatives and answers each: literal names as they are, wildcard ones
/// through `matching` (sorted). This is the shape of `glob(3)` with `GLOB_NOMAGIC | GLOB_BRACE`.
fn glob_with(pattern: &Path, matching: impl Fn(&Path) -> Vec<PathBuf>) -> Vec<PathBuf> {
    let text = pattern.to_string_lossy();
    let mut out = Vec::new();
    for alt in expand_braces(&text) {
        let alt = PathBuf::from(alt);
        if has_magic(&alt.to_string_lossy()) {
            let mut found = matching(&alt);
            found.sort_by(|a, b| {
                a.as_os_str()
                    .as_encoded_bytes()
                    .cmp(b.as_os_str().as_encoded_bytes())
            });
            out.extend(found);
        } else {
            out.push(alt);
        }
    }
    out
}

impl DirSource {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSource { dir: dir.into() }
    }

    fn full(&self, name: &Path) -> PathBuf {
        let rel = relative_name(name);
        if rel.is_absolute() {
            rel
        } else {
            self.dir.join(rel)
        }
    }
}

impl ConfSource for DirSource {
    fn read(&self, name: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.full(name))
    }

    fn folder(&self) -> Option<&Path> {
        Some(&self.dir)
    }

    fn display_path(&self, name: &Path) -> PathBuf {
        self.full(name)
    }

    fn glob(&self, pattern: &Path) -> Vec<PathBuf> {
        glob_with(pattern, |alt| {
            let rel = relative_name(alt);
            let absolute = rel.is_absolute();
            // Candidates are kept relative to the folder (or absolute), and grown one component at a time.
            let mut candidates = vec![PathBuf::new()];
            for comp in rel.components() {
                let part = comp.as_os_str().to_string_lossy();
                let mut next = Vec::new();
                for cand in &candidates {
                    if matches!(comp, Component::RootDir) {
                        next.push(PathBuf::from("/"));
                    } else if has_magic(&part) {
                        let dir = if absolute {
                            cand.clone()
                        } else {
                            self.dir.join(cand)
                        };
                        let Ok(entries) = std::fs::read_dir(&dir) else {
                            continue;
                        };
                        for entry in entries.flatten() {
                            let name = entry.file_name();
                            if component_matches(&part, &name.to_string_lossy()) {
                                next.push(cand.join(name));
                            }
                        }
                    } else {
                        next.push(cand.join(comp));
                    }
                }
                candidates = next;
            }
            candidates
                .into_iter()
                .filter(|c| self.full(c).exists())
                .collect()
        })
    }

    fn is_dir(&self, name: &Path) -> bool {
        self.full(name).is_dir()
    }
}

impl MemorySource {
    fn key(name: &Path) -> PathBuf {
        relative_name(name)
    }
}

impl ConfSource for MemorySource {
    fn read(&self, name: &Path) -> io::Result<Vec<u8>> {
        self.files.get(&Self::key(name)).cloned().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("no file '{}' in memory", name.display()),
            )
        })
    }

    fn display_path(&self, name: &Path) -> PathBuf {
        Self::key(name)
    }

    fn glob(&self, pattern: &Path) -> Vec<PathBuf> {
        glob_with(pattern, |alt| {
            let pat: Vec<String> = Self::key(alt)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            self.files
                .keys()
                .filter(|k| {
                    let comps: Vec<_> = k.components().collect();
                    comps.len() == pat.len()
                        && comps
                            .iter()
                            .zip(&pat)
                            .all(|(c, p)| component_matches(p, &c.as_os_str().to_string_lossy()))
                })
                .cloned()
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_source_resolves_and_globs() {
        let src = MemorySource::new()
            .with("b.conf", "")
            .with("a.conf", "")
            .with("sub/x.conf", "")
            .with(".hidden.conf", "");
        assert!(src.read(Path::new("a.conf")).is_ok());
        assert!(src.read(Path::new("/etc/asterisk/a.conf")).is_ok());
        assert!(src.read(Path::new("./sub/x.conf")).is_ok());
        assert_eq!(
            src.read(Path::new("nope.conf")).map_err(|e| e.kind()).err(),
            Some(io::ErrorKind::NotFound)
        );
        assert_eq!(
            src.glob(Path::new("*.conf")),
            vec![PathBuf::from("a.conf"), PathBuf::from("b.conf")]
        );
        assert_eq!(
            src.glob(Path::new("sub/?.conf")),
            vec![PathBuf::from("sub/x.conf")]
        );
        assert_eq!(
            src.glob(Path::new("missing.conf")),
            vec![PathBuf::from("missing.conf")]
        );
        assert!(src.glob(Path::new("zz*.conf")).is_empty());
        assert_eq!(
            src.glob(Path::new("{b,a}.conf")),
            vec![PathBuf::from("b.conf"), PathBuf::from("a.conf")]
        );
    }

    #[test]
    fn dir_source_resolves_and_globs() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("x1.conf"), "a").expect("write");
        std::fs::write(dir.path().join("x2.conf"), "b").expect("write");
        std::fs::create_dir(dir.path().join("d")).expect("mkdir");
        let src = DirSource::new(dir.path());
        assert_eq!(src.read(Path::new("x1.conf")).expect("read"), b"a");
        assert_eq!(
            src.read(Path::new("/etc/asterisk/x2.conf")).expect("read"),
            b"b"
        );
        assert_eq!(
            src.glob(Path::new("x*.conf")),
            vec![PathBuf::from("x1.conf"), PathBuf::from("x2.conf")]
        );
        assert!(src.is_dir(Path::new("d")));
        assert_eq!(
            src.display_path(Path::new("x1.conf")),
            dir.path().join("x1.conf")
        );
    }
}
