//! Bad input through the whole pipeline: every case gets its diagnostic and Asterisk's outcome, the rest of
//! the configuration still loads, and nothing panics.

use crate::common;

use common::Output;
use std::path::Path;
use std::process::Command;

/// Writes the files into a fresh folder and runs `dialsim check --format short` on it.
fn check(files: &[(&str, &[u8])]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    run_check(dir.path())
}

fn run_check(dir: &Path) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_dialsim"))
        .args(["check", "--format", "short", "--config"])
        .arg(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Output {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        code: out.status.code().unwrap_or(-1),
    }
}

const FEATURES: &[u8] = b"[featuremap]\nparkcall => #72\n";
const EXTENSIONS: &[u8] = b"[from-outside]\nexten => 5555001,1,Dial(PJSIP/alice,,k)\n";

fn parking_case(res_parking: &str) -> Output {
    check(&[
        ("res_parking.conf", res_parking.as_bytes()),
        ("features.conf", FEATURES),
        ("extensions.conf", EXTENSIONS),
    ])
}

fn assert_has(out: &Output, needle: &str) {
    assert!(
        out.stdout.contains(needle),
        "missing {needle:?} in:\n{}",
        out.stdout
    );
}

#[test]
fn reversed_parkpos_refuses_res_parking() {
    let out = parking_case("[default]\nparkext => 700\nparkpos => 709-701\n");
    assert_has(&out, "res_parking.conf:3:12: error[parking/bad-parkpos]");
    assert_has(&out, "error[parking/declined]");
    assert_eq!(out.code, 2);
}

#[test]
fn upper_case_findslot_refuses_res_parking() {
    let out = parking_case("[default]\nparkext => 700\nfindslot => NEXT\n");
    assert_has(&out, "error[parking/bad-findslot]");
    assert_eq!(out.code, 2);
}

#[test]
fn negative_parkingtime_refuses_res_parking() {
    let out = parking_case("[default]\nparkext => 700\nparkingtime => -1\n");
    assert_has(&out, "res_parking.conf:3:16: error[parking/bad-number]");
    assert_eq!(out.code, 2);
}

#[test]
fn duplicate_lots_merge() {
    let out = parking_case("[default]\nparkext => 700\n[default]\nparkpos => 801-810\n");
    assert!(!out.stdout.contains("error["), "{}", out.stdout);
}

#[test]
fn conflicting_parkext_between_lots_fails_registration() {
    let out = parking_case(
        "[default]\nparkext => 700\nparkext_exclusive => yes\n[sales]\nparkext => 700\nparkpos => 801-810\nparkext_exclusive => yes\n",
    );
    assert_has(&out, "error[parking/parkext-conflict]");
    assert_eq!(out.code, 2);
}

#[test]
fn lot_options_under_general_refuse_res_parking_and_the_hook() {
    let out = parking_case("[general]\nparkext => 700\n");
    assert_has(
        &out,
        "res_parking.conf:2:1: error[parking/lot-option-in-general]",
    );
    assert_has(&out, "error[lint/parkcall-hook-unavailable]");
}

#[test]
fn unterminated_section_header_rejects_the_file() {
    let out = check(&[("extensions.conf", b"[from-outside\nexten => 1,1,NoOp()\n")]);
    assert_has(&out, "extensions.conf:1:1: error[");
    assert_has(&out, "pbx_config declines to load");
    assert_eq!(out.code, 2);
}

#[test]
fn unknown_template_rejects_the_file() {
    let out = check(&[("extensions.conf", b"[a](nosuch)\nexten => 1,1,NoOp()\n")]);
    assert_has(&out, "error[conf/");
    assert_has(&out, "pbx_config declines to load");
}

#[test]
fn include_cycle_is_reported_once_and_loading_goes_on() {
    let out = check(&[
        (
            "extensions.conf",
            b"[a]\nexten => 1,1,NoOp()\n#include \"more.conf\"\n",
        ),
        (
            "more.conf",
            b"#include \"extensions.conf\"\nexten => 2,1,NoOp()\n",
        ),
    ]);
    assert_has(&out, "[conf/include-cycle]");
}

#[test]
fn missing_include_rejects_the_file() {
    let out = check(&[(
        "extensions.conf",
        b"[a]\n#include \"nowhere.conf\"\nexten => 1,1,NoOp()\n",
    )]);
    assert_has(&out, "[conf/missing-include]");
    assert_eq!(out.code, 2);
}

#[test]
fn binary_garbage_does_not_panic() {
    let mut garbage: Vec<u8> = (0u8..=255).cycle().take(64 * 1024).collect();
    garbage.extend_from_slice(b"\n[a]\nexten => 1,1,NoOp()\n\xff\xfe\0\n");
    let out = check(&[
        ("extensions.conf", &garbage),
        ("res_parking.conf", &garbage),
    ]);
    assert!(out.code == 1 || out.code == 2);
}

#[test]
fn a_one_megabyte_line_is_skipped_and_the_rest_loads() {
    let mut text = b"[a]\nexten => 1,1,NoOp(".to_vec();
    text.extend(std::iter::repeat_n(b'x', 1 << 20));
    text.extend_from_slice(b")\nexten => 2,1,NoOp(after)\n");
    let out = check(&[("extensions.conf", &text)]);
    assert_has(&out, "extensions.conf:2:1: warning[conf/line-too-long]");
    let show = Command::new(env!("CARGO_BIN_EXE_dialsim"))
        .args(["show", "dialplan", "a", "--config"])
        .arg(tempdir_with(&[("extensions.conf", &text)]).path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&show.stdout).contains("NoOp(after)"));
}

fn tempdir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn crlf_bom_and_tabs_read_like_plain_files() {
    let out = check(&[
        (
            "extensions.conf",
            b"\xef\xbb\xbf[a]\r\nexten\t=>\t1,1,NoOp(x)\r\n same => n,Hangup()\r\n",
        ),
        ("res_parking.conf", b"[default]\r\nparkext => 700\r\n"),
        ("features.conf", b"\xef\xbb\xbf[featuremap]\r\n"),
    ]);
    assert!(!out.stdout.contains("error["), "{}", out.stdout);
    assert!(!out.stdout.contains("warning["), "{}", out.stdout);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn a_missing_folder_is_unusable() {
    let out = run_check(Path::new("/no/such/folder"));
    assert_eq!(out.code, 2);
}
