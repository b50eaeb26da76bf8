//! `dialsim check` on the dialplan language: a corpus of realistic dialplans gives no false errors and
//! none of the language warnings; a dialplan with mistakes gets each one explained.

use crate::common;

use common::dialsim;

const LANGUAGE_CODES: &[&str] = &[
    "lint/unknown-application",
    "lint/unknown-function",
    "lint/return-outside-subroutine",
    "lint/goto-target-missing",
];

#[test]
fn the_corpus_has_no_false_reports() {
    for dir in ["ivr", "office-pbx", "time-routing", "parking"] {
        let folder = format!("tests/corpus/{dir}");
        let out = dialsim(&["check", "--format", "short", "--config", &folder]);
        assert!(!out.stdout.contains("error["), "{dir}: {}", out.stdout);
        for code in LANGUAGE_CODES {
            assert!(!out.stdout.contains(code), "{dir}: {}", out.stdout);
        }
    }
}

#[test]
fn the_generated_workload_has_no_language_reports() {
    let out = dialsim(&[
        "check",
        "--format",
        "short",
        "--config",
        "tests/data/gen-dialplan",
    ]);
    for code in &LANGUAGE_CODES[..3] {
        assert!(!out.stdout.contains(code), "{}", out.stdout);
    }
}

#[test]
fn language_mistakes_are_explained() {
    let out = dialsim(&[
        "check",
        "--format",
        "short",
        "--config",
        "tests/data/lint-lang",
    ]);
    insta::assert_snapshot!(out.stdout);
    let rich = dialsim(&["check", "--config", "tests/data/lint-lang"]);
    insta::assert_snapshot!("language_mistakes_rich", rich.stdout);
}
