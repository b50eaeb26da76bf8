//! Bad input for the `.conf` layer: every case asserts the outcome, dialsim's diagnostic and Asterisk's own
//! log line, and that nothing panics.

use dialplan::conf::{load, ConfFile, ConfLoad, FileStatus, MemorySource};
use dialplan::diag::{Diagnostic, Severity};
use dialplan::source::SourceMap;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn mem(files: &[(&str, &[u8])]) -> MemorySource {
    MemorySource {
        files: files
            .iter()
            .map(|(n, t)| (PathBuf::from(n), t.to_vec()))
            .collect(),
    }
}

fn run(files: &[(&str, &[u8])], top: &str) -> (ConfLoad, SourceMap) {
    let mut map = SourceMap::new();
    let l = load(&mut map, &mem(files), Path::new(top));
    (l, map)
}

fn one(text: &str) -> (ConfLoad, SourceMap) {
    run(&[("t.conf", text.as_bytes())], "t.conf")
}

fn file(l: &ConfLoad) -> &ConfFile {
    l.file.as_ref().expect("a parsed file")
}

fn diag<'a>(l: &'a ConfLoad, code: &str) -> &'a Diagnostic {
    l.diagnostics
        .iter()
        .find(|d| d.code.0 == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", l.diagnostics))
}

fn console(d: &Diagnostic) -> Vec<String> {
    d.asterisk.iter().map(|a| a.console()).collect()
}

fn names(f: &ConfFile) -> Vec<&str> {
    f.sections.iter().map(|s| s.name.as_str()).collect()
}

fn pairs(f: &ConfFile, section: usize) -> Vec<(&str, &str)> {
    f.sections[section]
        .items
        .iter()
        .map(|i| (i.key.as_str(), i.value.as_str()))
        .collect()
}

#[test]
fn unterminated_section_header() {
    let (l, map) = one("[general\nstatic=yes\n");
    assert_eq!(l.status, FileStatus::Invalid);
    let d = diag(&l, "conf/no-closing-bracket");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.message, "section header '[general' has no closing ']'");
    assert_eq!(
        console(d),
        ["WARNING: config.c: parse error: no closing ']', line 1 of /etc/asterisk/t.conf"]
    );
    assert_eq!(map.snippet(d.span.expect("span")), "[general");
    // dialsim reads on: the next line has no section, which Asterisk never gets to see.
    let later = diag(&l, "conf/no-category");
    assert!(later.asterisk.is_empty());
    assert!(later
        .help
        .as_deref()
        .unwrap_or_default()
        .contains("Asterisk stopped reading this file at line 1"));
}

#[test]
fn unclosed_options() {
    let (l, _) = one("[a](!\nx=1\n");
    assert_eq!(l.status, FileStatus::Invalid);
    assert_eq!(
        console(diag(&l, "conf/no-closing-paren")),
        ["WARNING: config.c: parse error: no closing ')', line 1 of /etc/asterisk/t.conf"]
    );
}

#[test]
fn unknown_template() {
    let (l, _) = one("[general]\n[a](tpl)\nx=1\n");
    assert_eq!(l.status, FileStatus::Invalid);
    let d = diag(&l, "conf/unknown-template");
    assert_eq!(
        d.message,
        "section 'a' inherits from 'tpl', which is not defined above it"
    );
    assert_eq!(
        console(d),
        ["WARNING: config.c: Inheritance requested, but category 'tpl' does not exist, line 2 of /etc/asterisk/t.conf"]
    );
    // Options are not trimmed: ' tpl' is another name.
    let (l, _) = one("[tpl](!)\nx=1\n[a](!, tpl)\n");
    assert_eq!(l.status, FileStatus::Invalid);
    let d = diag(&l, "conf/unknown-template");
    assert_eq!(
        console(d),
        ["WARNING: config.c: Inheritance requested, but category ' tpl' does not exist, line 3 of /etc/asterisk/t.conf"]
    );
    assert!(d
        .help
        .as_deref()
        .unwrap_or_default()
        .contains("not trimmed"));
    // Names match case-insensitively, and a template defined later is too late.
    let (l, _) = one("[TPL](!)\nx=1\n[a](tpl)\n");
    assert_eq!(l.status, FileStatus::Loaded);
    assert_eq!(pairs(file(&l), 1), [("x", "1")]);
}

#[test]
fn append_to_missing_section() {
    let (l, _) = one("[a](+)\nx=1\n");
    assert_eq!(l.status, FileStatus::Invalid);
    assert_eq!(
        console(diag(&l, "conf/append-missing")),
        ["WARNING: config.c: Category addition requested, but category 'a' does not exist, line 1 of /etc/asterisk/t.conf"]
    );
}

#[test]
fn include_cycle_is_reported_not_followed() {
    let (l, _) = run(
        &[
            ("a.conf", b"[a]\nx=1\n#include b.conf\ny=2\n"),
            ("b.conf", b"z=3\n#include a.conf\n"),
        ],
        "a.conf",
    );
    assert_eq!(l.status, FileStatus::Loaded);
    let d = diag(&l, "conf/include-cycle");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(
        d.message,
        "'a.conf' includes itself: a.conf -> b.conf -> a.conf"
    );
    assert_eq!(
        console(d),
        [
            "WARNING: config.c: Maximum Include level (10) exceeded",
            "ERROR: config.c: The file 'a.conf' was listed as a #include but it does not exist."
        ]
    );
    let f = file(&l);
    assert_eq!(names(f), ["a"]);
    assert_eq!(pairs(f, 0), [("x", "1"), ("z", "3"), ("y", "2")]);
    // A file that includes itself directly.
    let (l, _) = run(&[("s.conf", b"[s]\n#include s.conf\n")], "s.conf");
    assert_eq!(l.status, FileStatus::Loaded);
    assert_eq!(
        diag(&l, "conf/include-cycle").message,
        "'s.conf' includes itself: s.conf -> s.conf"
    );
}

#[test]
fn missing_include() {
    let (l, _) = one("[a]\n#include \"nope.conf\"\nx=1\n");
    assert_eq!(l.status, FileStatus::Invalid);
    let d = diag(&l, "conf/missing-include");
    assert_eq!(d.message, "included file 'nope.conf' does not exist");
    assert_eq!(
        console(d),
        ["ERROR: config.c: The file 'nope.conf' was listed as a #include but it does not exist."]
    );
    // In an included file, Asterisk cuts that file short and the including file goes on.
    let (l, _) = run(
        &[
            ("top.conf", b"[a]\n#include mid.conf\nafter=1\n"),
            ("mid.conf", b"m1=1\n#include nope.conf\nm2=2\n"),
        ],
        "top.conf",
    );
    assert_eq!(l.status, FileStatus::Loaded);
    assert_eq!(pairs(file(&l), 0), [("m1", "1"), ("after", "1")]);
    let d = diag(&l, "conf/missing-include");
    assert!(d
        .help
        .as_deref()
        .unwrap_or_default()
        .contains("goes on in the file that included it"));
    // Asterisk never lowers its include level after that, so later top-level items carry the full path.
    let f = file(&l);
    assert_eq!(
        f.sections[0].items[1].asterisk_origin(f),
        (3, "/etc/asterisk/top.conf")
    );
    // #tryinclude tolerates it.
    let (l, _) = one("[a]\n#tryinclude nope.conf\nx=1\n");
    assert_eq!(l.status, FileStatus::Loaded);
    assert!(diag(&l, "conf/tryinclude-missing").asterisk.is_empty());
}

#[test]
fn binary_garbage() {
    let mut bytes = b"[a]\nx=1\0junk\n\xff\xfe=\x80\n".to_vec();
    bytes.extend((0u8..=255).cycle().take(5000));
    let (l, map) = run(&[("t.conf", &bytes)], "t.conf");
    let text = &map.file(dialplan::source::FileId(0)).text;
    assert_eq!(text.len(), bytes.len());
    let d = diag(&l, "conf/nul-byte");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(diag(&l, "conf/invalid-utf8").severity, Severity::Note);
    let f = file(&l);
    assert_eq!(pairs(f, 0)[0], ("x", "1"));
    assert_eq!(pairs(f, 0)[1], ("??", "?"));
}

#[test]
fn one_megabyte_line() {
    let mut text = "[a]\n".to_string();
    text.push_str(&"x".repeat(1 << 20));
    text.push_str("\nafter=1\n");
    let (l, _) = one(&text);
    assert_eq!(l.status, FileStatus::Loaded);
    let d = diag(&l, "conf/line-too-long");
    assert_eq!(
        d.message,
        "line is 1048576 bytes long; Asterisk skips lines of 8191 bytes or more"
    );
    assert_eq!(
        console(d),
        [format!(
            "WARNING: config.c: Line 2 too long, skipping. It begins with: {}...",
            "x".repeat(32)
        )]
    );
    assert_eq!(pairs(file(&l), 0), [("after", "1")]);
    assert_eq!(file(&l).sections[0].items[0].origin.line, 3);
}

#[test]
fn crlf_bom_and_tabs() {
    let (l, map) = one("\u{feff}[general]\r\n\tstatic\t=\tyes\t\r\nx = a b ; c\r\n");
    assert_eq!(l.status, FileStatus::Loaded);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    let f = file(&l);
    assert_eq!(names(f), ["general"]);
    assert_eq!(pairs(f, 0), [("static", "yes"), ("x", "a b")]);
    assert_eq!(map.snippet(f.sections[0].span), "[general]");
    assert_eq!(map.line_col(f.sections[0].items[0].key_span).col, 2);
}

#[test]
fn truetext_as_first_line() {
    let (l, _) = one("truetext1[general]\nparkext => 700\n");
    assert_eq!(l.status, FileStatus::Invalid);
    let d = diag(&l, "conf/no-category");
    assert_eq!(
        d.message,
        "'truetext1[general]' comes before any section header"
    );
    assert_eq!(
        console(d),
        ["WARNING: config.c: parse error: No category context for line 1 of /etc/asterisk/t.conf"]
    );
    assert!(d
        .help
        .as_deref()
        .unwrap_or_default()
        .contains("delete 'truetext1'"));
}

#[test]
fn truetext_in_the_middle() {
    let (l, _) = one("[default]\nparkext => 700\ntruetext1[general]\nparkpos => 701-709\n");
    assert_eq!(l.status, FileStatus::Loaded);
    let d = diag(&l, "conf/no-equals");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.message, "line 'truetext1[general]' has no '='");
    assert_eq!(
        console(d),
        ["WARNING: config.c: No '=' (equal sign) in line 3 of /etc/asterisk/t.conf"]
    );
    let help = d.help.as_deref().unwrap_or_default();
    assert!(help.contains("'[general]' is NOT opened"), "{help}");
    assert!(help.contains("delete 'truetext1'"), "{help}");
    let f = file(&l);
    assert_eq!(names(f), ["default"]);
    assert_eq!(pairs(f, 0), [("parkext", "700"), ("parkpos", "701-709")]);
}

#[test]
fn block_comments() {
    let (l, _) = one("[a]\nx=1 ;-- one ;-- two --; still --; y=2\n;-- a\nb --; z=3\n");
    assert_eq!(l.status, FileStatus::Loaded);
    assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
    assert_eq!(pairs(file(&l), 0), [("x", "1  y=2"), ("z", "3")]);
    let (l, map) = one("[a]\nx=1\n;-- open\ny=2\n");
    let d = diag(&l, "conf/unterminated-comment");
    assert_eq!(
        console(d),
        ["WARNING: config.c: Unterminated comment detected beginning on line 3"]
    );
    assert_eq!(map.snippet(d.span.expect("span")), ";--");
    assert_eq!(pairs(file(&l), 0), [("x", "1")]);
    // `;---` is a plain comment.
    let (l, _) = one("[a]\nx=1 ;--- c\ny=2\n");
    assert_eq!(pairs(file(&l), 0), [("x", "1"), ("y", "2")]);
}

#[test]
fn stray_comment_close() {
    let (l, _) = one("[a]\nx=1 --; 2\ny=2\n;-- z\nw=4\n");
    let d = diag(&l, "conf/stray-comment-close");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(pairs(file(&l), 0), [("x", "1 --; 2"), ("w", "4")]);
}

#[test]
fn escaped_semicolon() {
    let (l, _) = one("[a]\nexten => 1,1,Set(A=b\\;c) ; real comment\n");
    assert_eq!(pairs(file(&l), 0), [("exten", "1,1,Set(A=b;c)")]);
}

#[test]
fn leading_backslash() {
    let (l, _) = one("[a]\n\\[x] = 1\n\\=k=v\n");
    assert_eq!(pairs(file(&l), 0), [("[x]", "1"), ("=k", "v")]);
    let (l, _) = one("[a]\n\\ x=1\n");
    assert_eq!(l.status, FileStatus::Invalid);
    assert_eq!(
        console(diag(&l, "conf/invalid-escape")),
        ["ERROR: config.c: Invalid escape in line 2 of /etc/asterisk/t.conf"]
    );
}

#[test]
fn directives() {
    let (l, _) = one("[a]\n#exec /bin/date\n#foo bar\n#include\n");
    assert_eq!(l.status, FileStatus::Loaded);
    assert_eq!(
        console(diag(&l, "conf/exec-disabled")),
        ["WARNING: config.c: Cannot perform #exec unless execincludes option is enabled in asterisk.conf (options section)!"]
    );
    assert_eq!(
        console(diag(&l, "conf/unknown-directive")),
        ["WARNING: config.c: Unknown directive '#foo' at line 3 of /etc/asterisk/t.conf"]
    );
    assert_eq!(
        console(diag(&l, "conf/directive-needs-argument")),
        ["WARNING: config.c: Directive '#include' needs an argument (filename) at line 4 of /etc/asterisk/t.conf"]
    );
}

#[test]
fn header_trailing_text_and_no_name() {
    let (l, _) = one("[general] (!)\n= 5\nx=1\n");
    let f = file(&l);
    assert!(!f.sections[0].is_template);
    let d = diag(&l, "conf/header-trailing-text");
    assert!(d
        .help
        .as_deref()
        .unwrap_or_default()
        .contains("'[general](!)'"));
    assert_eq!(
        console(diag(&l, "conf/no-variable-name")),
        ["WARNING: config.c: No variable name in line 2 of /etc/asterisk/t.conf"]
    );
    assert_eq!(pairs(f, 0), [("x", "1")]);
}

#[test]
fn glob_includes_share_one_line_counter() {
    let (l, _) = run(
        &[
            ("top.conf", b"[a]\n#include conf.d/*.conf\n"),
            ("conf.d/2.conf", b"two=2\n"),
            ("conf.d/1.conf", b"one=1\n\n"),
        ],
        "top.conf",
    );
    assert_eq!(l.status, FileStatus::Loaded);
    let f = file(&l);
    assert_eq!(pairs(f, 0), [("one", "1"), ("two", "2")]);
    // 1.conf has 2 lines and Asterisk's counter makes one more read at its end: 2.conf starts at line 4.
    let two = &f.sections[0].items[1];
    assert_eq!(two.asterisk_origin(f), (4, "/etc/asterisk/conf.d/2.conf"));
}

#[test]
fn duplicate_include_and_depth() {
    let (l, _) = run(
        &[
            ("top.conf", b"[a]\n#include x.conf\n#include x.conf\n"),
            ("x.conf", b"v=1\n"),
        ],
        "top.conf",
    );
    assert_eq!(pairs(file(&l), 0), [("v", "1"), ("v", "1")]);
    assert_eq!(
        console(diag(&l, "conf/duplicate-include")),
        ["WARNING: config.c: '', line 3:  Same File included more than once! This data will be saved in x.conf~~1 if saved back to disk."]
    );
    let f = file(&l);
    assert_eq!(f.sections[0].items[1].asterisk_origin(f), (1, "x.conf~~1"));

    // top includes f1 includes f2 ... f11: the 11th level is refused.
    let mut files: Vec<(String, Vec<u8>)> =
        vec![("top.conf".into(), b"[a]\n#include f1.conf\n".to_vec())];
    for i in 1..=11 {
        files.push((
            format!("f{i}.conf"),
            format!("v{i}=1\n#include f{}.conf\n", i + 1).into_bytes(),
        ));
    }
    files.push(("f12.conf".into(), b"last=1\n".to_vec()));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_slice()))
        .collect();
    let (l, _) = run(&refs, "top.conf");
    assert_eq!(l.status, FileStatus::Loaded);
    let d = diag(&l, "conf/include-depth");
    assert_eq!(
        console(d),
        [
            "WARNING: config.c: Maximum Include level (10) exceeded",
            "ERROR: config.c: The file 'f11.conf' was listed as a #include but it does not exist."
        ]
    );
    assert_eq!(file(&l).sections[0].items.len(), 10);
}

#[test]
fn res_parking_origin_quirk() {
    let (l, map) = run(
        &[
            (
                "res_parking.conf",
                b"[general]\nparkext => 700\n#include lots.conf\n",
            ),
            ("lots.conf", b"[lot]\nparkpos => 701-709\n"),
        ],
        "res_parking.conf",
    );
    let f = file(&l);
    let parkext = &f.sections[0].items[0];
    assert_eq!(parkext.asterisk_origin(f), (2, ""));
    assert_eq!(f.asterisk_origin(&map, parkext.span), (2, String::new()));
    let parkpos = &f.sections[1].items[0];
    assert_eq!(parkpos.asterisk_origin(f), (2, "/etc/asterisk/lots.conf"));
    assert_eq!(f.sections[1].origin.line, 1);
}

#[test]
fn missing_top_level_file() {
    let (l, _) = run(&[], "nothing.conf");
    assert_eq!(l.status, FileStatus::Missing);
    assert!(l.file.is_none());
    assert!(l.diagnostics.is_empty());
}

#[test]
fn every_emitted_code_is_listed() {
    let (l, _) =
        one("x\n[a\n[b](q\n[c](+)\n[d](z)\n\\ \n#foo\n#include\n#exec x\n#include n.conf\n;-- x");
    for d in &l.diagnostics {
        assert!(
            dialplan::conf::CODES.iter().any(|c| c.code == d.code),
            "{} not in CODES",
            d.code
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic_and_spans_stay_inside(
        bytes in prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(b"[]()!+,=>#\\;-\"< \t\r\nabc".to_vec()),
                1 => any::<u8>(),
            ],
            0..400,
        )
    ) {
        let mut inc = b"[i]\n".to_vec();
        inc.extend_from_slice(&bytes);
        let (l, map) = run(&[("t.conf", &bytes), ("i.conf", &inc)], "t.conf");
        let within = |s: dialplan::source::Span| {
            let text = &map.file(s.file).text;
            s.start <= s.end && (s.end as usize) <= text.len()
        };
        for d in &l.diagnostics {
            if let Some(s) = d.span {
                prop_assert!(within(s), "{:?} {:?}", d.code, s);
            }
        }
        if let Some(f) = &l.file {
            for s in &f.sections {
                prop_assert!(within(s.span));
                for i in &s.items {
                    prop_assert!(within(i.span) && within(i.key_span) && within(i.value_span));
                }
            }
        }
    }
}

/// Every diagnostic of a file full of mistakes, as a reader sees them: the short line, the help, and
/// Asterisk's own console lines.
#[test]
fn rendered_diagnostics_snapshot() {
    let text = "\
; the wiki's mistake, and more
[default]
parkext => 700
truetext1[general]
[general] (!)
[lot](!, tpl)
\\ bad
= novalue
#tryinclude missing.conf
#exec /usr/bin/date
#inclde typo.conf
x = 1 ;-- open block
";
    let (l, map) = one(text);
    let mut out = format!("status: {:?}\n", l.status);
    for d in &l.diagnostics {
        out.push_str(&d.short(&map));
        out.push('\n');
        if let Some(h) = &d.help {
            out.push_str(&format!("  help: {h}\n"));
        }
        for a in &d.asterisk {
            out.push_str(&format!("  asterisk: {}\n", a.console()));
        }
    }
    insta::assert_snapshot!(out);
}
