//! `dialsim check`'s dialplan checks end to end: every diagnostic of a dialplan full of mistakes, rendered
//! in both formats (golden); the corpus of realistic dialplans (`tests/corpus/`), each of whose reports
//! must be exactly the ones its `expected-diagnostics.txt` justifies; the generated 1 MB workload; include
//! loops.

use crate::common;

use common::{dialsim, root};

/// The short-format lines of a check, with the folder prefix removed.
fn reports(folder: &str) -> Vec<String> {
    let out = dialsim(&["check", "--format", "short", "--config", folder]);
    out.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.replacen(&format!("{folder}/"), "", 1))
        .collect()
}

#[test]
fn every_check_is_explained() {
    let out = dialsim(&[
        "check",
        "--format",
        "short",
        "--config",
        "tests/data/lint-check",
    ]);
    insta::assert_snapshot!("lint_check_short", out.stdout);
    let rich = dialsim(&["check", "--config", "tests/data/lint-check"]);
    insta::assert_snapshot!("lint_check_rich", rich.stdout);
}

/// Each corpus dialplan is valid for Asterisk 22: nothing is reported beyond what its
/// `expected-diagnostics.txt` lists (true findings, each explained by a comment in that file).
#[test]
fn the_corpus_reports_only_what_is_expected() {
    let dir = root().join("tests/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("extensions.conf").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        let folder = format!("tests/corpus/{name}");
        let expected: Vec<String> =
            std::fs::read_to_string(dir.join(&name).join("expected-diagnostics.txt"))
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect();
        let got = reports(&folder);
        assert_eq!(
            got, expected,
            "{name}: the reports differ from expected-diagnostics.txt"
        );
        assert!(
            !got.iter().any(|l| l.contains(": error[")),
            "{name}: {got:?}"
        );
    }
}

/// `gen_dialplan.py --size 1M` (committed): no errors, and the only reports are the true ones: each
/// context's `_X.` extension keeps a `Hangup` after its unconditional `Goto` (priority 3), and the parkcall
/// code is never granted.
#[test]
fn the_generated_1mb_workload_has_only_true_reports() {
    let mut got = reports("tests/data/gen-dialplan-1m");
    // The features.conf beside it maps #72 while no generated Dial grants k/K: true as well.
    let parkcall = "features.conf:2:1: warning[lint/parkcall-never-granted]";
    assert_eq!(
        got.iter().filter(|l| l.starts_with(parkcall)).count(),
        1,
        "{got:#?}"
    );
    got.retain(|l| !l.starts_with(parkcall));
    assert!(!got.is_empty());
    let contexts =
        std::fs::read_to_string(root().join("tests/data/gen-dialplan-1m/extensions.conf"))
            .expect("the workload is committed")
            .lines()
            .filter(|l| l.starts_with("[ctx-"))
            .count();
    assert_eq!(got.len(), contexts, "{got:#?}");
    for line in &got {
        assert!(
            line.contains("warning[lint/unreachable-priority]: priority 3 of '_X.' in 'ctx-")
                && line.contains("priority 2 is Goto(ctx-"),
            "{line}"
        );
    }
}

/// Contexts that include one another are legal (Asterisk's lookup visits each context once per search).
#[test]
fn include_loops_are_not_reported() {
    assert_eq!(reports("tests/data/include-loop"), Vec::<String>::new());
}

/// With `extenpatternmatchnew=yes` the shadowing check follows the pattern trie: a literal extension met
/// after a pattern written later is reported; the legacy matcher's shadowing (a pattern that falls
/// through for a missing priority) is not.
#[test]
fn shadowing_follows_the_new_matcher() {
    let got = reports("tests/data/lint-shadow-new");
    let shadow: Vec<&String> = got
        .iter()
        .filter(|l| l.contains("lint/shadowed-extension"))
        .collect();
    assert_eq!(
        shadow,
        ["extensions.conf:9:1: warning[lint/shadowed-extension]: extension '100' in 'later-pattern' never runs: with extenpatternmatchnew the pattern '_1XX' is found first for every number it matches"],
        "{got:#?}"
    );
}
