//! Golden tests of `dialsim show` for every example folder, and the real Asterisk 22 output of the oracle run
//! (`tests/data/oracle-example-1/cli-snapshots.txt`) reproduced character for character.

use crate::common;

use common::{copy_dir, dialsim, example_folders, root, snapshot_name};

/// The text of the first `### CLI> <command>` block of the oracle's CLI snapshots. The capture separates
/// blocks with one blank line, so a block is the command's output plus a final newline.
fn oracle_block(command: &str) -> String {
    let text = include_str!("../data/oracle-example-1/cli-snapshots.txt");
    let marker = format!("### CLI> {command}\n");
    let start = text.find(&marker).expect("the command is in the snapshots") + marker.len();
    let rest = &text[start..];
    let end = rest.find("\n### CLI>").map_or(rest.len(), |i| i + 1);
    let end = rest[..end].find("######## ").unwrap_or(end);
    rest[..end].to_string()
}

const ORACLE: &str = "tests/data/oracle-example-1";

#[test]
fn oracle_dialplan_show_is_reproduced() {
    let out = dialsim(&["show", "dialplan", "--config", ORACLE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout + "\n", oracle_block("dialplan show"));
}

#[test]
fn oracle_dialplan_show_context_is_reproduced() {
    let out = dialsim(&["show", "dialplan", "parkedcalls", "--config", ORACLE]);
    assert_eq!(out.stdout + "\n", oracle_block("dialplan show parkedcalls"));
}

#[test]
fn oracle_missing_context_fails_like_asterisk() {
    let out = dialsim(&["show", "dialplan", "park-dial", "--config", ORACLE]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout + "\n", oracle_block("dialplan show park-dial"));
}

#[test]
fn oracle_parking_show_is_reproduced() {
    let out = dialsim(&["show", "parking", "--config", ORACLE]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout + "\n", oracle_block("parking show"));
    let out = dialsim(&["show", "parking", "default", "--config", ORACLE]);
    assert_eq!(out.stdout + "\n", oracle_block("parking show default"));
}

#[test]
fn oracle_features_show_is_reproduced() {
    let out = dialsim(&["show", "features", "--config", ORACLE]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout + "\n", oracle_block("features show"));
}

#[test]
fn examples_show_dialplan() {
    for folder in example_folders() {
        let out = dialsim(&["show", "dialplan", "--config", &folder]);
        let text = format!(
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            out.code, out.stdout, out.stderr
        );
        insta::assert_snapshot!(format!("show_dialplan__{}", snapshot_name(&folder)), text);
    }
}

#[test]
fn examples_show_parking() {
    for folder in example_folders() {
        let out = dialsim(&["show", "parking", "--config", &folder]);
        let text = format!(
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            out.code, out.stdout, out.stderr
        );
        insta::assert_snapshot!(format!("show_parking__{}", snapshot_name(&folder)), text);
    }
}

#[test]
fn examples_show_features() {
    for folder in example_folders() {
        let out = dialsim(&["show", "features", "--config", &folder]);
        let text = format!(
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            out.code, out.stdout, out.stderr
        );
        insta::assert_snapshot!(format!("show_features__{}", snapshot_name(&folder)), text);
    }
}

#[test]
fn a_missing_folder_is_unusable() {
    let out = dialsim(&["show", "dialplan", "--config", "no/such/folder"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
}

/// `dialsim show hints` is `core show hints` right after start-up on Asterisk 22.9+: sorted by
/// exten@context, Watchers 1 (the manager's callback), res_parking's `parkinghints` hints Unavailable (made
/// before its `park` provider: res/res_parking.c · load_module), the extensions.conf hint Idle.
/// [main/extension_state.c · handle_show_hints, extension_state_update_sources]
#[test]
fn show_hints_at_start_up() {
    let out = dialsim(&[
        "show",
        "hints",
        "--config",
        "dialplan-examples/parking/hints",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let state = |line: &str| -> String {
        let (at, rest) = line.split_once(": ").unwrap_or_default();
        let state = rest.split("State:").nth(1).unwrap_or_default();
        let state = state.split_whitespace().next().unwrap_or_default();
        format!("{} {state} {}", at.trim_end(), &line[line.len() - 2..])
    };
    let rows: Vec<String> = out.stdout.lines().skip(2).take(4).map(state).collect();
    assert_eq!(
        rows,
        [
            "701@parkedcalls Unavailable  1",
            "702@parkedcalls Unavailable  1",
            "703@parkedcalls Unavailable  1",
            "lobby@internal Idle  1",
        ]
    );
}

/// A CLI command answered with its usage (`CLI_SHOWUSAGE`: main/cli.c · ast_cli_command_full prints
/// `e->usage` as it is): `parking show` with two lots writes its empty line first and its usage has no final
/// newline [res/parking/parking_ui.c · handle_show_parking_lot_cmd]; `core show hint` needs an extension
/// [main/extension_state.c · handle_show_hint].
#[test]
fn cli_commands_with_the_wrong_words_print_their_usage() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("usage");
    copy_dir(&root().join("dialplan-examples/parking/hints"), &folder);
    let scenario = "until = \"2s\"\n\n[[actions]]\nat = \"1s\"\ncli = \"parking show default sales\"\n\n[[actions]]\nat = \"1s\"\ncli = \"core show hint\"\n";
    std::fs::write(folder.join("scenario.toml"), scenario).unwrap();
    let out = dialsim(&["run", folder.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "\nUsage: parking show [name]\n\tShows a list of parking lots or details of a specific parking lot."
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Usage: core show hint <exten>\n       List registered hint.\n"),
        "{}",
        out.stdout
    );
}
