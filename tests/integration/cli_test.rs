//! `dialsim test`: the examples' expectations hold, every expectation kind passes and fails (the failure
//! text snapshot-checked), `--update` rewrites golden traces, JUnit output has the structure Ant's JUnit
//! schema requires, TAP, `--filter`, `--shard`, and the exit codes.

use crate::common;

use common::{copy_dir, dialsim, dialsim_in, root};
use std::path::Path;

const FIXTURES: &str = "tests/data/expect";

#[test]
fn the_examples_pass() {
    let out = dialsim(&["test", "dialplan-examples"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("test result: ok."), "{}", out.stdout);
    for line in out.stdout.lines().filter(|l| l.contains("scenario.toml")) {
        assert!(line.starts_with("ok "), "{line}");
    }
}

#[test]
fn the_page_examples_carry_expectations() {
    for folder in [
        "01-basic-retrieval",
        "02-timeout-comeback",
        "03-timeout-custom",
        "doc/01-basic-retrieval",
        "doc/02-timeout-comeback",
        "doc/03-timeout-custom",
    ] {
        let out = dialsim(&["test", &format!("dialplan-examples/{folder}")]);
        assert_eq!(out.code, 0, "{folder}: {}", out.stdout);
        assert!(
            out.stdout.contains(" expectations)"),
            "{folder} has no expectations: {}",
            out.stdout
        );
    }
}

#[test]
fn every_kind_passes() {
    let files = [
        "all-kinds.scenario.toml",
        "labels.scenario.toml",
        "golden.scenario.toml",
        "no-expectations.scenario.toml",
    ]
    .map(|f| format!("{FIXTURES}/{f}"));
    let mut args = vec!["test"];
    args.extend(files.iter().map(String::as_str));
    let out = dialsim(&args);
    assert_eq!(out.code, 0, "{}", out.stdout);
    insta::assert_snapshot!("test_passing", out.stdout);
}

#[test]
fn every_kind_fails_with_a_readable_report() {
    for kind in [
        "event",
        "order",
        "reached",
        "heard",
        "variable",
        "lot-ended",
        "diagnostic",
        "trace",
    ] {
        let out = dialsim(&["test", &format!("{FIXTURES}/fail/{kind}.scenario.toml")]);
        assert_eq!(out.code, 1, "{kind}: {}", out.stdout);
        insta::assert_snapshot!(format!("test_failing__{kind}"), out.stdout);
    }
}

#[test]
fn golden_traces_are_what_dialsim_run_prints() {
    let scenario = format!("{FIXTURES}/golden.scenario.toml");
    for (file, args) in [
        ("verbose.txt", vec![]),
        ("verbose5.txt", vec!["-v", "5"]),
        ("json.txt", vec!["--format", "json"]),
        ("ami.txt", vec!["--format", "ami"]),
    ] {
        let mut run = vec!["run", scenario.as_str()];
        run.extend(args);
        let out = dialsim(&run);
        let golden = std::fs::read_to_string(root().join(FIXTURES).join("golden").join(file))
            .expect("golden file");
        assert_eq!(out.stdout, golden, "{file}");
    }
}

#[test]
fn update_writes_golden_traces() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&root().join(FIXTURES).join("labels"), &d.join("labels"));
    std::fs::write(
        d.join("scenario.toml"),
        "config = \"labels\"\n[[calls]]\nfrom = \"PJSIP/outside\"\nto = \"100@test\"\n\
         [[expect]]\ntrace = \"expected.txt\"\n",
    )
    .unwrap();

    // No file yet: the expectation fails and says how to create it.
    let out = dialsim_in(d, &["test"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("`dialsim test --update` writes it"),
        "{}",
        out.stdout
    );

    let out = dialsim_in(d, &["test", "--update"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("  updated expected.txt"),
        "{}",
        out.stdout
    );
    let run = dialsim_in(d, &["run", "scenario.toml"]);
    assert_eq!(
        std::fs::read_to_string(d.join("expected.txt")).unwrap(),
        run.stdout
    );

    // Unchanged: nothing rewritten.
    let out = dialsim_in(d, &["test", "--update"]);
    assert!(!out.stdout.contains("updated"), "{}", out.stdout);
    assert_eq!(dialsim_in(d, &["test"]).code, 0);

    // A changed dialplan: the comparison fails with the differing line, --update accepts the change.
    let conf = d.join("labels/extensions.conf");
    let text = std::fs::read_to_string(&conf)
        .unwrap()
        .replace("STEP=two", "STEP=2");
    std::fs::write(&conf, text).unwrap();
    let out = dialsim_in(d, &["test"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("STEP=2"), "{}", out.stdout);
    assert_eq!(dialsim_in(d, &["test", "--update"]).code, 0);
    assert_eq!(dialsim_in(d, &["test"]).code, 0);
}

/// A suite with a passing, an expectation-less, a failing and an unloadable scenario.
fn mixed_suite(d: &Path) {
    copy_dir(&root().join(FIXTURES).join("labels"), &d.join("labels"));
    let call = "config = \"labels\"\n[[calls]]\nfrom = \"PJSIP/outside\"\nto = \"100@test\"\n";
    std::fs::write(
        d.join("a-pass.scenario.toml"),
        format!("{call}[[expect]]\nended_by = \"2s\"\n"),
    )
    .unwrap();
    std::fs::write(d.join("b-none.scenario.toml"), call).unwrap();
    std::fs::write(
        d.join("c-fail.scenario.toml"),
        format!("{call}[[expect]]\nheard = \"vm-goodbye\"\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("d-bad.scenario.toml"),
        format!("{call}[[expect]]\nevent = \"Hangup\"\ncolour = \"red\"\n"),
    )
    .unwrap();
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mixed_suite(d);
    assert_eq!(dialsim_in(d, &["test", "a-pass.scenario.toml"]).code, 0);
    assert_eq!(dialsim_in(d, &["test", "b-none.scenario.toml"]).code, 0);
    assert_eq!(dialsim_in(d, &["test", "c-fail.scenario.toml"]).code, 1);
    let bad = dialsim_in(d, &["test", "d-bad.scenario.toml"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stdout
            .contains("d-bad.scenario.toml:7:1: unknown field `colour`"),
        "{}",
        bad.stdout
    );
    let all = dialsim_in(d, &["test"]);
    assert_eq!(all.code, 2, "{}", all.stdout);
    insta::assert_snapshot!("test_mixed", all.stdout);
    assert_eq!(
        dialsim_in(d, &["test", "a-pass.scenario.toml", "c-fail.scenario.toml"]).code,
        1
    );
    let missing = dialsim_in(d, &["test", "nope"]);
    assert_eq!(missing.code, 2);
    assert_eq!(missing.stderr, "dialsim: 'nope' does not exist\n");
    let empty = dialsim_in(d, &["test", "labels"]);
    assert_eq!(empty.code, 2);
    assert!(
        empty.stderr.contains("no scenario files"),
        "{}",
        empty.stderr
    );
    assert_eq!(dialsim_in(d, &["test", "--shard", "3/2"]).code, 2);
}

#[test]
fn filter_and_shards() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mixed_suite(d);
    let out = dialsim_in(d, &["test", "--filter", "pass"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.lines().filter(|l| l.contains(".toml")).count(),
        1
    );

    let names = |out: &common::Output| -> Vec<String> {
        out.stdout
            .lines()
            .filter(|l| l.contains(".scenario.toml (") || l.contains(".scenario.toml ("))
            .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
            .collect()
    };
    let mut seen = Vec::new();
    for k in 1..=3 {
        let out = dialsim_in(d, &["test", "--shard", &format!("{k}/3")]);
        let again = dialsim_in(d, &["test", "--shard", &format!("{k}/3")]);
        assert_eq!(names(&out), names(&again), "a shard is stable");
        seen.extend(names(&out));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "a-pass.scenario.toml",
            "b-none.scenario.toml",
            "c-fail.scenario.toml",
            "d-bad.scenario.toml"
        ]
    );
}

#[test]
fn tap_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mixed_suite(d);
    let out = dialsim_in(d, &["test", "--format", "tap"]);
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "TAP version 14");
    assert_eq!(lines[1], "1..4");
    let points: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("ok ") || l.starts_with("not ok "))
        .collect();
    assert_eq!(
        points,
        [
            "ok 1 - a-pass.scenario.toml",
            "ok 2 - b-none.scenario.toml (no expectations)",
            "not ok 3 - c-fail.scenario.toml",
            "not ok 4 - d-bad.scenario.toml (cannot be loaded)"
        ]
    );
    for l in &lines[2..] {
        assert!(
            l.starts_with("ok ") || l.starts_with("not ok ") || l.starts_with('#'),
            "not a TAP line: {l}"
        );
    }
}

#[test]
fn junit_has_the_schema_structure() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mixed_suite(d);
    let out = dialsim_in(d, &["test", "--junit", "report.xml"]);
    assert_eq!(out.code, 2);
    let xml = std::fs::read_to_string(d.join("report.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let suite_elems: Vec<_> = suites.children().filter(|n| n.is_element()).collect();
    assert_eq!(suite_elems.len(), 1);
    let suite = suite_elems[0];
    assert_eq!(suite.tag_name().name(), "testsuite");
    // Ant's JUnit.xsd: every one of these attributes is required on a testsuite inside testsuites.
    for attr in [
        "name",
        "timestamp",
        "hostname",
        "tests",
        "failures",
        "errors",
        "time",
        "id",
        "package",
    ] {
        let v = suite
            .attribute(attr)
            .unwrap_or_else(|| panic!("testsuite has no {attr}"));
        assert!(!v.is_empty(), "{attr} is empty");
    }
    let ts = suite.attribute("timestamp").unwrap();
    assert!(
        ts.len() == 19
            && ts.chars().enumerate().all(|(i, c)| match i {
                4 | 7 => c == '-',
                10 => c == 'T',
                13 | 16 => c == ':',
                _ => c.is_ascii_digit(),
            }),
        "timestamp {ts} is not ISO 8601 without a zone"
    );
    assert_eq!(suite.attribute("tests"), Some("4"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("errors"), Some("1"));
    for a in ["tests", "failures", "errors"] {
        assert!(suite.attribute(a).unwrap().parse::<u32>().is_ok());
    }
    assert!(suite.attribute("time").unwrap().parse::<f64>().is_ok());
    // The children in the schema's order: properties, testcase*, system-out, system-err.
    let kids: Vec<&str> = suite
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(
        kids,
        [
            "properties",
            "testcase",
            "testcase",
            "testcase",
            "testcase",
            "system-out",
            "system-err"
        ]
    );
    for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
        for attr in ["name", "classname", "time"] {
            assert!(case.attribute(attr).is_some(), "testcase has no {attr}");
        }
        assert!(case.attribute("time").unwrap().parse::<f64>().is_ok());
        for child in case.children().filter(|n| n.is_element()) {
            assert!(["failure", "error"].contains(&child.tag_name().name()));
            assert!(child.attribute("message").is_some());
            assert!(child.attribute("type").is_some());
        }
    }
    let failure = suite
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure");
    let text = failure.text().unwrap_or_default();
    assert!(
        text.contains("c-fail.scenario.toml:6: heard = \"vm-goodbye\""),
        "{text}"
    );
    assert!(
        text.contains("expected: the prompt 'vm-goodbye' played"),
        "{text}"
    );
    let error = suite
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an error");
    assert!(error
        .text()
        .unwrap_or_default()
        .contains("unknown field `colour`"));
}
