//! Golden tests of `dialsim check` on every example folder, in both formats, with its exit status.

mod common;

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
