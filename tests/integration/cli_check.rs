//! Golden tests of `dialsim check` on every example folder, in both formats, with its exit status.

use crate::common;

use common::{dialsim, example_folders, snapshot_name};

#[test]
fn examples_check_short() {
    for folder in example_folders() {
        let out = dialsim(&["check", "--format", "short", "--config", &folder]);
        let text = format!("exit {}\n{}", out.code, out.stdout);
        insta::assert_snapshot!(format!("check_short__{}", snapshot_name(&folder)), text);
    }
}

#[test]
fn examples_check_rich() {
    for folder in example_folders() {
        let out = dialsim(&["check", "--config", &folder]);
        let text = format!("exit {}\n{}", out.code, out.stdout);
        insta::assert_snapshot!(format!("check_rich__{}", snapshot_name(&folder)), text);
    }
}

/// The synthetic workload real Asterisk's load speed was measured on (`../shared/bench/gen_dialplan.py
/// --contexts 40`, committed) is a valid dialplan: no errors. (Its `_X.` extensions do keep a `Hangup` after
/// an unconditional `Goto`, which the unreachable-priority check rightly reports.)
#[test]
fn the_generated_workload_has_no_errors() {
    let out = dialsim(&[
        "check",
        "--format",
        "short",
        "--config",
        "tests/data/gen-dialplan",
    ]);
    assert!(!out.stdout.contains("error["), "{}", out.stdout);
    assert_eq!(out.code, 1, "{}", out.stdout);
}
