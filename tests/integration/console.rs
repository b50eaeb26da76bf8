//! `dialsim console`: every command driven through standard input (no terminal), on the page's first
//! example as its prose intends.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs the console on `path` with `commands` on standard input.
fn console(path: &str, commands: &str) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dialsim"))
        .args(["console", path])
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dialsim runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(commands.as_bytes())
        .expect("commands written");
    let out = child.wait_with_output().expect("dialsim ends");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

const EXAMPLE: &str = "dialplan-examples/01-basic-retrieval";

/// The transcript between the prompt of `command` (its n-th occurrence) and the next prompt.
fn answer<'a>(out: &'a str, command: &str) -> &'a str {
    let marker = format!("dialsim> {command}\n");
    let start = out
        .find(&marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no '{command}' in:\n{out}"));
    let rest = &out[start..];
    let end = rest
        .find("] dialsim> ")
        .map_or(rest.len(), |i| rest[..i].rfind('[').unwrap_or(i));
    &rest[..end]
}

#[test]
fn paused_until_told_then_stepping() {
    let (out, err, code) = console(EXAMPLE, "time\nstep\nstep 2\ntime\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("dialsim console: dialplan-examples/01-basic-retrieval/scenario.toml\nPaused at 00:00:00.000"));
    assert_eq!(answer(&out, "time"), "00:00:00.000\n");
    assert_eq!(
        answer(&out, "step"),
        "[00:00:00.000]     -- Executing [5555001@from-outside:1] NoOp(\"PJSIP/outside-00000000\", \"Route to a local extension.\") in new stack\n"
    );
    let two = answer(&out, "step 2");
    assert!(
        two.contains("Dial(\"PJSIP/outside-00000000\", \"PJSIP/alice,,k\")"),
        "{two}"
    );
    assert!(two.contains("[run/dial-rewrite]"), "{two}");
}

#[test]
fn every_command() {
    let script = "\
help
break event ParkedCall
break parkedcalls,701,1
break
run
why
core show channels
core show channels verbose
core show channels concise
core show channels count
core show channel PJSIP/outside-00000000
core show channel nosuch
parking show default
dialplan show parkedcalls
features show
run
next PJSIP/outside-00000000
delete 1
delete 7
core set verbose 2
advance 500ms
core set verbose 3
dtmf PJSIP/outside 5
step 3
hangup PJSIP/outside
run
originate PJSIP/outside 5555001@from-outside
next PJSIP/outside-00000001
dialplan reload
advance 1s
bogus words
quit
step
";
    let (out, err, code) = console(EXAMPLE, script);
    assert_eq!(code, 0, "{err}");
    assert!(answer(&out, "help").contains("advance DURATION"));
    assert_eq!(
        answer(&out, "break event ParkedCall"),
        "[dialsim] breakpoint 1: event ParkedCall\n"
    );
    assert_eq!(
        answer(&out, "break"),
        "[dialsim] breakpoint 1: event ParkedCall\n[dialsim] breakpoint 2: parkedcalls,701,1\n"
    );
    let run = answer(&out, "run");
    assert!(
        run.ends_with("[00:00:02.324] [dialsim] stopped at breakpoint 1 (event ParkedCall)\n"),
        "{run}"
    );
    let why = answer(&out, "why");
    assert!(why.starts_with("last: [00:00:02.324] event ParkedCall ParkeeChannel=PJSIP/outside-00000000 Parkinglot=default ParkingSpace=701"), "{why}");
    let channels = answer(&out, "core show channels");
    assert!(channels.starts_with("Channel                                                          Location                         State   Application(Data)             \n"), "{channels}");
    assert!(channels.contains("\nPJSIP/outside-00000000                                           5555001@from-outside:2           Up      Dial(PJSIP/alice,,k)          \n"), "{channels}");
    assert!(
        channels.ends_with("3 active channels\n2 active calls\n2 calls processed\n"),
        "{channels}"
    );
    let verbose = answer(&out, "core show channels verbose");
    assert!(verbose.contains("Local/alice@parking-example-00000000;1                                           parking-example                                      1 Up      AppDial      (Outgoing Line)           5555001         00:00:02                         e99ff867-dbf6-42c9-b"), "{verbose}");
    let concise = answer(&out, "core show channels concise");
    assert!(
        concise.contains(
            "PJSIP/outside-00000000!from-outside!5555001!2!Up!Dial!PJSIP/alice,,k!5550100!!!3!2!"
        ),
        "{concise}"
    );
    assert_eq!(
        answer(&out, "core show channels count"),
        "3 active channels\n2 active calls\n2 calls processed\n"
    );
    let chan = answer(&out, "core show channel PJSIP/outside-00000000");
    assert!(
        chan.starts_with(
            " -- General --\n           Name: PJSIP/outside-00000000\n           Type: PJSIP\n"
        ),
        "{chan}"
    );
    assert!(
        chan.contains("      Caller ID: 5550100\n Caller ID Name: Outside Caller\n"),
        "{chan}"
    );
    assert!(chan.contains("          State: Up (6)\n"), "{chan}");
    assert!(chan.contains("   Elapsed Time: 0h0m2s\n"), "{chan}");
    assert!(chan.contains(" --   PBX   --\n        Context: from-outside\n      Extension: 5555001\n       Priority: 2\n"), "{chan}");
    assert!(chan.contains("      Variables:\n"), "{chan}");
    assert!(chan.contains("\nDIALSTATUS=ANSWER\n"), "{chan}");
    assert!(chan.contains(" -- Streams --\nName: audio-0\n"), "{chan}");
    assert_eq!(
        answer(&out, "core show channel nosuch"),
        "nosuch is not a known channel\n"
    );
    assert!(answer(&out, "parking show default").contains("Space               :  701"));
    assert!(answer(&out, "dialplan show parkedcalls").contains("ParkedCall(default,701)"));
    assert!(answer(&out, "features show").contains("Park Call                         #72"));
    // The second `run` stops at the retrieval priority.
    let second = &out[out.find("dialsim> features show").unwrap()..];
    let run2 = answer(second, "run");
    assert!(
        run2.ends_with("[00:00:03.074] [dialsim] stopped at breakpoint 2 (parkedcalls,701,1)\n"),
        "{run2}"
    );
    let next = answer(&out, "next PJSIP/outside-00000000");
    assert!(
        next.contains("Spawn extension (from-outside, 5555001, 2) exited non-zero"),
        "{next}"
    );
    assert_eq!(
        answer(&out, "delete 1"),
        "[dialsim] deleted breakpoint 1 (event ParkedCall)\n"
    );
    assert_eq!(
        answer(&out, "delete 7"),
        "[dialsim] there is no breakpoint '7'\n"
    );
    assert_eq!(
        answer(&out, "core set verbose 2"),
        "Console verbose was 3 and is now 2.\n"
    );
    assert_eq!(
        answer(&out, "core set verbose 3"),
        "Console verbose was 2 and is now 3.\n"
    );
    assert!(answer(&out, "dtmf PJSIP/outside 5").contains("has no channel up"));
    assert!(answer(&out, "hangup PJSIP/outside").contains("no channel 'PJSIP/outside' is up"));
    assert!(answer(&out, "originate PJSIP/outside 5555001@from-outside")
        .contains("PJSIP/outside calls 5555001@from-outside"));
    let next2 = answer(&out, "next PJSIP/outside-00000001");
    assert!(
        next2.contains("Executing [5555001@from-outside:1] NoOp(\"PJSIP/outside-00000001\""),
        "{next2}"
    );
    assert_eq!(answer(&out, "dialplan reload"), "Dialplan reloaded.\n");
    assert!(answer(&out, "bogus words").contains("is not a console command"));
    assert!(
        !out.contains("dialsim> step\n[") || out.matches("dialsim> step\n").count() == 0,
        "nothing runs after quit"
    );
}

#[test]
fn dtmf_and_hangup_reach_a_live_call() {
    let (out, err, code) = console(
        EXAMPLE,
        "break event ParkedCall\nrun\ndtmf PJSIP/outside 5\nadvance 300ms\nhangup PJSIP/outside-00000000\nrun\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(answer(&out, "dtmf PJSIP/outside 5").contains("presses '5' on PJSIP/outside-00000000"));
    assert!(answer(&out, "hangup PJSIP/outside-00000000")
        .contains("hangup requested on PJSIP/outside-00000000"));
    let run = &out[out.find("dialsim> hangup").unwrap()..];
    assert!(
        answer(run, "run").contains("every channel has hung up"),
        "{out}"
    );
}

#[test]
fn a_scenario_that_cannot_be_read_is_exit_2() {
    let (_, err, code) = console("no/such/folder", "");
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
}
