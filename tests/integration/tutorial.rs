//! `docs/tutorial.md`: every command in its `sh` blocks runs as written (through `sh`, with `dialsim` on
//! the PATH, from a folder that has the repository's `dialplan-examples`), exits as the tutorial says
//! (`# exit N`, else 0), and prints every line of the `text` block that follows it.

use crate::common;

use std::process::Command;

struct Step {
    command: String,
    exit: i32,
    expected: Vec<String>,
}

/// The commands of the tutorial and what each must print.
fn steps(md: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut block: Option<&str> = None;
    for line in md.lines() {
        match (block, line) {
            (None, "```sh") => block = Some("sh"),
            (None, "```text") => block = Some("text"),
            (Some(_), "```") => block = None,
            (Some("sh"), l) if !l.trim().is_empty() => {
                let (command, exit) = match l.split_once("# exit ") {
                    Some((c, n)) => (c.trim_end(), n.trim().parse().expect("exit status")),
                    None => (l, 0),
                };
                steps.push(Step {
                    command: command.to_string(),
                    exit,
                    expected: Vec::new(),
                });
            }
            (Some("text"), l) if !l.trim().is_empty() => steps
                .last_mut()
                .expect("a text block follows a command")
                .expected
                .push(l.to_string()),
            _ => {}
        }
    }
    steps
}

#[test]
fn every_tutorial_command_runs_as_written() {
    let md = std::fs::read_to_string(common::root().join("docs/tutorial.md")).unwrap();
    let steps = steps(&md);
    assert!(steps.len() >= 10, "the tutorial has its commands");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        common::root().join("dialplan-examples"),
        dir.path().join("dialplan-examples"),
    )
    .unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_dialsim"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for step in &steps {
        assert!(
            step.command.contains("dialsim "),
            "'{}' is a dialsim command",
            step.command
        );
        let out = Command::new("sh")
            .arg("-c")
            .arg(&step.command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.status.code(),
            Some(step.exit),
            "'{}' exits {}:\n{text}",
            step.command,
            step.exit
        );
        for line in &step.expected {
            assert!(
                text.contains(line.trim_end()),
                "'{}' does not print\n  {line}\nit printed:\n{text}",
                step.command
            );
        }
    }
    // The pictures the tutorial shows are in the repository.
    for line in md.lines().filter(|l| l.starts_with("![")) {
        let target = line.split("](").nth(1).unwrap().trim_end_matches(')');
        assert!(
            common::root().join("docs").join(target).is_file(),
            "{target} is committed"
        );
    }
}
