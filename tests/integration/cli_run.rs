//! `dialsim run`: golden traces (verbose and json) of every example folder, byte-identical repeats, the
//! embedded first example from any folder, exit codes, and bad input that must end with a clear message.

use crate::common;

use common::{dialsim, example_folders, root, snapshot_name};
use std::process::Command;

/// The example folders a run can use: every one has a scenario.
fn run_folders() -> Vec<String> {
    example_folders()
}

#[test]
fn every_example_has_a_scenario() {
    let folders = run_folders();
    assert!(folders.len() >= 7, "{folders:?}");
    for f in &folders {
        assert!(
            root().join(f).join("scenario.toml").exists(),
            "{f} has no scenario.toml"
        );
    }
}

#[test]
fn examples_verbose() {
    for folder in run_folders() {
        let out = dialsim(&["run", &folder]);
        assert_eq!(out.code, 0, "{folder}: {}", out.stderr);
        insta::assert_snapshot!(
            format!("run_verbose__{}", snapshot_name(&folder)),
            out.stdout
        );
        insta::assert_snapshot!(
            format!("run_summary__{}", snapshot_name(&folder)),
            out.stderr
        );
    }
}

#[test]
fn examples_json() {
    for folder in run_folders() {
        let out = dialsim(&["run", &folder, "--format", "json"]);
        assert_eq!(out.code, 0, "{folder}: {}", out.stderr);
        insta::assert_snapshot!(format!("run_json__{}", snapshot_name(&folder)), out.stdout);
    }
}

#[test]
fn runs_are_byte_identical_when_repeated() {
    for folder in run_folders() {
        for format in ["verbose", "json", "ami"] {
            let a = dialsim(&["run", &folder, "--format", format]);
            let b = dialsim(&["run", &folder, "--format", format]);
            assert_eq!(a.stdout, b.stdout, "{folder} --format {format}");
            assert_eq!(a.stderr, b.stderr, "{folder} --format {format}");
        }
    }
}

#[test]
fn json_lines_have_time_then_event() {
    let out = dialsim(&[
        "run",
        "dialplan-examples/01-basic-retrieval",
        "--format",
        "json",
    ]);
    for line in out.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        let obj = v.as_object().unwrap();
        let keys: Vec<&String> = obj.keys().collect();
        assert!(line.starts_with("{\"time\":"), "{line}");
        assert!(keys.contains(&&"Event".to_string()));
        assert!(!keys.contains(&&"Privilege".to_string()));
        let t = &line[8..line.find(',').unwrap()];
        assert_eq!(t.split('.').nth(1).map(str::len), Some(3), "{line}");
    }
}

#[test]
fn ami_blocks() {
    let out = dialsim(&[
        "run",
        "dialplan-examples/01-basic-retrieval",
        "--format",
        "ami",
    ]);
    assert_eq!(out.code, 0);
    assert!(!out.stdout.contains('\r'));
    let first: Vec<&str> = out
        .stdout
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .take(3)
        .collect();
    assert_eq!(
        first,
        [
            "Event: Newchannel",
            "Privilege: call,all",
            "Timestamp: 1700000000.000000"
        ]
    );
    assert!(out.stdout.ends_with("\n\n"));
}

#[test]
fn format_none_prints_only_the_summary() {
    let out = dialsim(&[
        "run",
        "dialplan-examples/01-basic-retrieval",
        "--format",
        "none",
    ]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("channels still up: none"),
        "{}",
        out.stderr
    );
}

#[test]
fn verbosity_changes_the_lines() {
    let v2 = dialsim(&["run", "dialplan-examples/01-basic-retrieval", "-v", "2"]);
    assert!(v2.stdout.contains("  == Spawn extension"));
    assert!(!v2.stdout.contains("    -- Executing"));
}

#[test]
fn no_path_runs_the_embedded_first_example_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dialsim"))
        .arg("run")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let embedded = String::from_utf8(out.stdout).unwrap();
    let folder = dialsim(&["run", "dialplan-examples/01-basic-retrieval"]);
    assert_eq!(embedded, folder.stdout);
    assert!(embedded.contains("Parking 'PJSIP/outside-00000000' in 'default' at space 701"));
}

#[test]
fn output_file_and_its_path_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.txt");
    let p = path.to_str().unwrap();
    let out = dialsim(&["run", "dialplan-examples/01-basic-retrieval", "-o", p]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains(&format!("output: {p}")));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("Executing [5555001@from-outside:1]"));
}

#[test]
fn quick_run_from_the_command_line() {
    let out = dialsim(&[
        "run",
        "--config",
        "dialplan-examples/01-basic-retrieval",
        "--call",
        "5555001@from-outside",
        "--callerid",
        "\"Outside Caller\" <5550100>",
        "--device",
        "PJSIP/alice=emulate:alice@parking-example",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let folder = dialsim(&["run", "dialplan-examples/01-basic-retrieval"]);
    // The same call as the folder's scenario, without its CLI action.
    let without_cli: String = folder
        .stdout
        .split_inclusive('\n')
        .filter(|l| !l.contains("[dialsim] CLI>"))
        .collect();
    assert!(out.stdout.lines().count() > 20);
    for line in out.stdout.lines() {
        assert!(without_cli.contains(line), "{line}");
    }
}

#[test]
fn quick_run_with_a_phone_that_answers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("extensions.conf"),
        "[in]\nexten => 100,1,Dial(PJSIP/bob,10)\n same => n,Hangup()\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let out = dialsim(&[
        "run",
        "--config",
        d,
        "--call",
        "100@in",
        "--device",
        "PJSIP/bob=answer:3s",
        "--device",
        "PJSIP/bob=hangup:5s",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("[00:00:03.000]     -- PJSIP/bob-00000001 answered PJSIP/outside-00000000"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("[00:00:08.000]"), "{}", out.stdout);
}

#[test]
fn until_stops_the_run_and_reports_what_is_up() {
    let out = dialsim(&[
        "run",
        "dialplan-examples/02-timeout-comeback",
        "--until",
        "60s",
        "--format",
        "none",
    ]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr
            .contains("ended at 00:01:00.000 (stopped at 'until')"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("PJSIP/outside-00000000 in 'default' at space 701"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("run/until-reached"), "{}", out.stderr);
}

// ----- unusable input: exit 2 -----

#[test]
fn missing_path_is_exit_2() {
    let out = dialsim(&["run", "no/such/folder"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr, "dialsim: 'no/such/folder' does not exist\n");
}

#[test]
fn folder_without_scenario_is_exit_2() {
    let out = dialsim(&["run", "tests/data"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("holds no scenario.toml"),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_config_folder_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scenario.toml"), "config = \"nowhere\"\n").unwrap();
    let out = dialsim(&["run", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("configuration folder") && out.stderr.contains("does not exist"),
        "{}",
        out.stderr
    );
}

#[test]
fn scenario_errors_point_at_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(
        &file,
        "[[calls]]\nfrom = \"PJSIP/outside\"\nto = \"5555001@from-outside\"\nat = \"soon\"\n",
    )
    .unwrap();
    let out = dialsim(&["run", file.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    let expected = format!("{}:4:6: 'soon' is not a duration", file.display());
    assert!(out.stderr.starts_with(&expected), "{}", out.stderr);
    assert!(
        out.stderr.contains("4 | at = \"soon\"\n  |      ^"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_command_line_values_are_exit_2() {
    for args in [
        vec!["run", "--until", "forever"],
        vec!["run", "--call", "5555001"],
        vec!["run", "--device", "alice=busy"],
        vec!["run", "--device", "PJSIP/alice=ring"],
    ] {
        let out = dialsim(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("dialsim: "), "{}", out.stderr);
    }
}

// ----- bad input that runs: clear messages, no panic, no hang -----

/// Runs a scenario written into a fresh folder with the given extensions.conf.
fn run_in(extensions: &str, scenario: &str, extra: &[&str]) -> common::Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("extensions.conf"), extensions).unwrap();
    std::fs::write(dir.path().join("scenario.toml"), scenario).unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    let mut args = vec!["run", d.as_str()];
    args.extend_from_slice(extra);
    let out = dialsim(&args);
    drop(dir);
    out
}

const ONE_CALL: &str = "[[calls]]\nfrom = \"PJSIP/outside\"\nto = \"s@start\"\n";

#[test]
fn a_call_to_a_missing_context() {
    let out = run_in(
        "[start]\nexten => s,1,NoOp()\n",
        "[[calls]]\nfrom = \"PJSIP/outside\"\nto = \"s@nowhere\"\n",
        &[],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .contains("goes to context 'nowhere', which the dialplan does not have"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("scenario.toml:1:1"), "{}", out.stdout);
    assert!(
        out.stderr.contains("run/call-missing-context"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_call_to_a_missing_extension() {
    let out = run_in(
        "[start]\nexten => s,1,NoOp()\n",
        "[[calls]]\nfrom = \"PJSIP/outside\"\nto = \"999@start\"\n",
        &[],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .contains("goes to '999@start', which has no priority 1"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_malformed_dial_string() {
    let out = run_in(
        "[start]\nexten => s,1,Dial(alice,,k)\n same => n,Hangup()\n",
        ONE_CALL,
        &[],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .contains("WARNING: app_dial.c: Dial argument takes format (technology/resource)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Spawn extension (start, s, 1) exited non-zero on 'PJSIP/outside-00000000'"),
        "{}",
        out.stdout
    );
}

#[test]
fn dialling_an_undeclared_device() {
    let out = run_in(
        "[start]\nexten => s,1,Dial(PJSIP/nobody)\n same => n,NoOp(${DIALSTATUS})\n",
        ONE_CALL,
        &[],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains(
            "ERROR: chan_pjsip.c: Unable to create PJSIP channel - endpoint 'nobody' was not found"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("'PJSIP/nobody' is not declared in the scenario"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("NoOp(\"PJSIP/outside-00000000\", \"CHANUNAVAIL\")"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_goto_loop_ends_at_max_steps() {
    let out = run_in(
        "[start]\nexten => s,1,NoOp(loop)\n same => n,Goto(1)\n",
        &format!("max_steps = 1000\n{ONE_CALL}"),
        &["--format", "none"],
    );
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("run/max-steps"), "{}", out.stderr);
    assert!(
        out.stderr.contains("1000 priorities executed")
            || out.stderr.contains("priorities executed"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_hundred_thousand_calls() {
    let mut scenario = String::new();
    for i in 0..100_000 {
        scenario.push_str(&format!(
            "[[calls]]\nat = \"{}ms\"\nfrom = \"PJSIP/c{i}\"\nto = \"s@start\"\n",
            i * 10
        ));
    }
    let out = run_in(
        "[start]\nexten => s,1,Wait(1)\n same => n,Hangup()\n",
        &scenario,
        &["--format", "none"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("(every channel hung up), 200000 priorities executed"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_sounds_folder_gives_the_prompt_lengths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sounds")).unwrap();
    // One second of 8 kHz signed linear.
    std::fs::write(dir.path().join("sounds/hello.sln"), vec![0u8; 16_000]).unwrap();
    std::fs::write(
        dir.path().join("extensions.conf"),
        "[start]\nexten => s,1,Answer()\n same => n,Playback(hello)\n same => n,Playback(nothere)\n same => n,NoOp(${PLAYBACKSTATUS})\n same => n,Hangup()\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("sounds = \"sounds\"\n{ONE_CALL}"),
    )
    .unwrap();
    let out = dialsim(&["run", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Playing 'hello.slin'"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("WARNING: file.c: File nothere does not exist in any format"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("NoOp(\"PJSIP/outside-00000000\", \"FAILED\")"),
        "{}",
        out.stdout
    );
    let hello = out
        .stdout
        .lines()
        .find(|l| l.contains("Playback(\"PJSIP/outside-00000000\", \"hello\")"))
        .unwrap();
    let next = out
        .stdout
        .lines()
        .find(|l| l.contains("Playback(\"PJSIP/outside-00000000\", \"nothere\")"))
        .unwrap();
    let ms = |l: &str| -> u64 {
        let t = &l[1..13];
        let p: Vec<f64> = t.split(':').map(|x| x.parse().unwrap()).collect();
        ((p[0] * 3600.0 + p[1] * 60.0 + p[2]) * 1000.0).round() as u64
    };
    assert_eq!(ms(next) - ms(hello), 1000);

    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("sounds = \"nowhere\"\n{ONE_CALL}"),
    )
    .unwrap();
    let out = dialsim(&["run", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("sounds folder"), "{}", out.stderr);
}

#[test]
fn the_comeback_to_an_emulated_device_is_explained() {
    let out = dialsim(&["run", "dialplan-examples/02-timeout-comeback"]);
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("[run/emulated-comeback]"))
        .expect("explained");
    assert!(line.starts_with("[00:05:02."), "{line}");
    assert!(
        line.contains("'Local/alice@parking-example': that is the extension emulating PJSIP/alice"),
        "{line}"
    );
}

#[test]
fn cli_commands_that_are_not_simulated_say_so() {
    let out = run_in(
        "[start]\nexten => s,1,Wait(2)\n",
        &format!("{ONE_CALL}[[actions]]\nat = \"1s\"\ncli = \"core show uptime\"\n[[actions]]\nat = \"1s\"\ncli = \"dialplan show start\"\n"),
        &[],
    );
    assert!(
        out.stdout.contains(
            "[00:00:01.000] [dialsim] the CLI command 'core show uptime' is not simulated"
        ),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("[00:00:01.000] [dialsim] CLI> dialplan show start\n[ Context 'start' created by 'pbx_config' ]"), "{}", out.stdout);
}

#[test]
fn phones_busy_unavailable_and_timed_actions() {
    let ext = "[start]\nexten => s,1,Dial(PJSIP/bob&PJSIP/carol,5)\n same => n,NoOp(${DIALSTATUS})\n same => n,Dial(PJSIP/dave,5)\n same => n,NoOp(${DIALSTATUS})\n\
               [desk]\nexten => 300,1,Answer()\n same => n,Wait(1)\n";
    let scenario = "[devices.\"PJSIP/bob\"]\nbusy = true\n[devices.\"PJSIP/carol\"]\nunavailable = true\n\
                    [devices.\"PJSIP/dave\"]\nanswer_after = \"1s\"\nhangup_after = \"2s\"\n\
                    [devices.\"PJSIP/erin\"]\n[[devices.\"PJSIP/erin\".actions]]\nat = \"20s\"\ndial = \"300@desk\"\n\
                    [[devices.\"PJSIP/erin\".actions]]\nat = \"30s\"\ndtmf = \"1\"\n\
                    [[calls]]\nfrom = \"PJSIP/outside\"\nto = \"s@start\"\n";
    let out = run_in(ext, scenario, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = &out.stdout;
    assert!(s.contains("PJSIP/bob-00000001 is busy"), "{s}");
    assert!(s.contains("ERROR: res_pjsip.c: Endpoint 'carol': Could not create dialog to invalid URI 'carol'.  Is endpoint registered and reachable?"), "{s}");
    assert!(
        s.contains("NoOp(\"PJSIP/outside-00000000\", \"BUSY\")"),
        "{s}"
    );
    assert!(
        s.contains("[00:00:01.000]     -- PJSIP/dave-00000002 answered PJSIP/outside-00000000"),
        "{s}"
    );
    assert!(s.contains("[00:00:20.000]     -- Executing [300@desk:1] Answer(\"PJSIP/erin-00000003\", \"\") in new stack"), "{s}");
    assert!(s.contains("[00:00:30.000] [dialsim] PJSIP/erin has no channel up, so its keys '1' go nowhere [run/device-not-up]"), "{s}");
}
