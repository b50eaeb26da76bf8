//! `docs/testing-dialplans.md` is run, not just read: in a scratch folder holding a copy of
//! `dialplan-examples/`, every ```toml block whose first line is `# PATH` (or `# PATH (append)`) writes
//! (or appends to) that file, and every ```console block's `$ ` lines run in `sh` with `dialsim` on the
//! PATH; what they print must be exactly the lines under them. The `run:` line of the CI job's
//! ```yaml block runs the same way. With `DIALSIM_DOCS_UPDATE=1` the page's outputs are rewritten
//! from the real runs instead.

use crate::common;

use common::{copy_dir, root};
use std::path::Path;
use std::process::Command;

const PAGE: &str = "docs/testing-dialplans.md";

/// Runs one shell line in `dir` and returns what it printed (standard output and error, in order).
fn sh(dir: &Path, line: &str) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_dialsim"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{line} 2>&1"))
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .expect("sh runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_command_of_the_tutorial_runs_as_shown() {
    let text = std::fs::read_to_string(root().join(PAGE)).expect("the page exists");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(
        &root().join("dialplan-examples"),
        &d.join("dialplan-examples"),
    );

    let mut out = String::new();
    let mut lines = text.split_inclusive('\n').peekable();
    let mut commands = 0;
    let mut mismatches = Vec::new();
    while let Some(line) = lines.next() {
        out.push_str(line);
        let fence = line.trim_end();
        if !fence.starts_with("```") || fence.len() == 3 {
            continue;
        }
        let lang = &fence[3..];
        let mut block = Vec::new();
        for l in lines.by_ref() {
            if l.trim_end() == "```" {
                break;
            }
            block.push(l);
        }
        match lang {
            "toml" => {
                let first = block.first().map(|l| l.trim_end()).unwrap_or_default();
                if let Some(name) = first.strip_prefix("# ") {
                    let (name, append) = match name.strip_suffix(" (append)") {
                        Some(n) => (n, true),
                        None => (name, false),
                    };
                    let body: String = block[1..].concat();
                    let path = d.join(name);
                    let mut content = if append {
                        std::fs::read_to_string(&path).expect("the file to append to exists")
                    } else {
                        String::new()
                    };
                    content.push_str(&body);
                    std::fs::write(&path, content).unwrap();
                }
                out.push_str(&block.concat());
            }
            "console" => {
                let mut i = 0;
                while i < block.len() {
                    let cmd = block[i].trim_end().strip_prefix("$ ").unwrap_or_else(|| {
                        panic!("a console block line should start with '$ ': {}", block[i])
                    });
                    let mut j = i + 1;
                    while j < block.len() && !block[j].starts_with("$ ") {
                        j += 1;
                    }
                    let shown: String = block[i + 1..j].concat();
                    let actual = sh(d, cmd);
                    commands += 1;
                    if actual != shown {
                        mismatches.push(format!(
                            "$ {cmd}\n--- the page shows:\n{shown}--- it prints:\n{actual}"
                        ));
                    }
                    out.push_str(block[i]);
                    out.push_str(&actual);
                    i = j;
                }
            }
            "yaml" => {
                for l in &block {
                    if let Some(cmd) = l.trim().strip_prefix("run: ") {
                        if cmd.starts_with("dialsim ") {
                            let printed = sh(d, cmd);
                            commands += 1;
                            assert!(
                                printed.contains("test result: ok."),
                                "the CI job's command fails: {cmd}\n{printed}"
                            );
                        }
                    }
                }
                out.push_str(&block.concat());
            }
            _ => out.push_str(&block.concat()),
        }
        out.push_str("```\n");
    }
    assert!(commands >= 5, "only {commands} commands found");
    if std::env::var_os("DIALSIM_DOCS_UPDATE").is_some() {
        std::fs::write(root().join(PAGE), out).unwrap();
        return;
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}
