//! Substitution tests: the edge cases of `pbx_substitute_variables_helper_full_location` and the reference's
//! §3.7/§8, through a test channel ([`TestCtx`]).

use super::testing::TestCtx;
use super::{substitute, Substituted};

fn ctx() -> TestCtx {
    TestCtx::new()
        .var("X", "hello")
        .var("N", "12345")
        .var("EMPTY", "")
        .var("A", "X")
        .var("B", "${X}")
        .var("REC", "${EVAL(${REC})}")
        .var("COLON", "a:b")
        .global("G", "global-value")
}

fn sub(input: &str) -> Substituted {
    substitute(input, &mut ctx())
}

fn text(input: &str) -> String {
    sub(input).text
}

fn logs(input: &str) -> Vec<String> {
    sub(input)
        .warnings
        .iter()
        .map(|w| w.line.console())
        .collect()
}

#[test]
fn variables_and_substrings() {
    let cases = [
        ("plain text", "plain text"),
        ("${X}", "hello"),
        ("a${X}b", "ahellob"),
        ("${G}", "global-value"),
        ("${UNSET}", ""),
        ("${x}", ""),
        ("${_X}", ""),
        ("${__X}", ""),
        ("${}", ""),
        ("${X:1}", "ello"),
        ("${X:1:2}", "el"),
        ("${X:-2}", "lo"),
        ("${X:-10}", "hello"),
        ("${X:-10:2}", "he"),
        ("${X:1:-1}", "ell"),
        ("${X:0:-1}", "hell"),
        ("${X:3:-3}", ""),
        ("${X:10}", ""),
        ("${X:0:0}", ""),
        ("${X::2}", "hello"),
        ("${X:abc}", "hello"),
        ("${X:abc:2}", "hello"),
        ("${X:1.5}", "ello"),
        ("${X:1.5:2}", "ello"),
        ("${X:1:2:3}", "el"),
        ("${X:1:x}", "ello"),
        ("${X: 1: 2}", "el"),
        ("${X:+1}", "ello"),
        ("${N:-3:2}", "34"),
        ("${EMPTY}x", "x"),
        ("${COLON}", "a:b"),
    ];
    for (input, want) in cases {
        assert_eq!(text(input), want, "{input}");
        assert!(sub(input).warnings.is_empty(), "{input}");
    }
}

#[test]
fn dollars_and_backslashes() {
    assert_eq!(text("$${X}"), "$hello");
    assert_eq!(text("$$X"), "$$X");
    assert_eq!(text("\\${X}"), "\\hello");
    assert_eq!(text("$X $ a$"), "$X $ a$");
    assert_eq!(text("cost: 5$"), "cost: 5$");
    assert_eq!(text("{${X}}"), "{hello}");
}

#[test]
fn nesting_is_inner_first() {
    assert_eq!(text("${${A}}"), "hello");
    assert_eq!(text("${${A}:1:3}"), "ell");
    assert_eq!(text("${X:${EMPTY}1}"), "ello");
    assert_eq!(text("${B}"), "${X}");
    assert_eq!(text("${EVAL(${B})}"), "hello");
    assert_eq!(text("$[${N} + 1]"), "12346");
    assert_eq!(text("$[$[1 + 1] * 3]"), "6");
    assert_eq!(text("${X}$[1+1]${X}"), "hello2hello");
    assert_eq!(text("${LEN(${X})}"), "5");
    assert_eq!(text("${X:$[1+1]}"), "llo");
}

#[test]
fn unterminated() {
    assert_eq!(text("${X"), "hello");
    assert_eq!(
        logs("${X"),
        ["WARNING: pbx_variables.c: Error in extension logic (missing '}')"]
    );
    assert_eq!(text("a${X:1"), "aello");
    assert_eq!(text("$[1 + 1"), "2");
    assert_eq!(
        logs("$[1 + 1"),
        ["WARNING: pbx_variables.c: Error in extension logic (missing ']')"]
    );
    // Inner braces count: the `}` closes the inner `{`.
    assert_eq!(text("${X{}"), "");
}

#[test]
fn functions() {
    assert_eq!(text("${LEN(hello world)}"), "11");
    assert_eq!(text("${LEN(hello world):0:1}"), "1");
    assert_eq!(text("${LEN(a:b)}"), "3");
    assert_eq!(text("${LEN()}"), "0");
    assert_eq!(text("${len(x)}"), "");
    assert_eq!(
        logs("${len(x)}"),
        ["ERROR: pbx_functions.c: Function len not registered"]
    );
    assert_eq!(text("${LEN(abc}"), "3");
    assert_eq!(
        logs("${LEN(abc}"),
        ["WARNING: pbx_functions.c: Can't find trailing parenthesis for function 'LEN(abc'?"]
    );
    assert_eq!(text("${IF($[1=1]?yes:no)}"), "yes");
    assert_eq!(text("${IF($[1=2]?yes:no)}"), "no");
}

#[test]
fn recursion_stops_at_fifteen() {
    let r = sub("${EVAL(${REC})}");
    assert_eq!(r.text, "");
    assert!(r
        .warnings
        .iter()
        .any(|w| w.line.console() == "ERROR: pbx_variables.c: Exceeded maximum variable substitution recursion depth (15) - possible infinite recursion in dialplan?"));
    // Fifteen levels of nesting are fine, sixteen are not.
    let nest = |n: usize| format!("{}X{}", "${".repeat(n), "}".repeat(n));
    let mut c = TestCtx::new().var("X", "X");
    assert_eq!(substitute(&nest(15), &mut c).text, "X");
    let r = substitute(&nest(16), &mut c);
    assert_eq!(r.text, "");
    assert_eq!(r.warnings.len(), 1);
}

#[test]
fn deep_nesting_is_bounded() {
    let mut c = TestCtx::new().var("X", "x");
    for open in ["${", "$["] {
        let input = format!("{}X{}", open.repeat(10_000), "}".repeat(10_000));
        let r = substitute(&input, &mut c);
        assert!(r
            .warnings
            .iter()
            .any(|w| w.code == super::codes::RECURSION_DEPTH));
    }
    let regex = format!("$[a : \"{}a{}\"]", "(".repeat(10_000), ")".repeat(10_000));
    let r = substitute(&regex, &mut c);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.line.text == "regcomp() error : Memory exhausted"));
}

#[test]
fn buffer_limits() {
    let long = "x".repeat(5000);
    let mut c = TestCtx::new().var("LONG", &long);
    assert_eq!(substitute("${LONG}", &mut c).text.len(), 4095);
    assert_eq!(substitute("${LONG}${LONG}${LONG}", &mut c).text.len(), 8191);
    assert_eq!(substitute(&"y".repeat(9000), &mut c).text.len(), 8191);
}

mod properties {
    use super::super::testing::TestCtx;
    use super::super::{separate_args, substitute, ArgMode};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn plain_text_is_unchanged(s in "[^$]{0,200}|([^$]|\\$[^{\\[])*") {
            prop_assume!(!s.contains("${") && !s.contains("$["));
            prop_assume!(s.len() <= 8191);
            let r = substitute(&s, &mut TestCtx::new());
            prop_assert_eq!(r.text, s);
            prop_assert!(r.warnings.is_empty());
        }

        #[test]
        fn never_panics(s in "[-${}\\[\\]():,?a-zA-Z0-9_ \"\\\\+=*/!|&.]{0,60}") {
            let mut c = TestCtx::new().var("X", "hello").var("a", "${a}");
            let _ = substitute(&s, &mut c);
            let _ = separate_args(&s, ',', ArgMode::Standard, usize::MAX);
            let _ = separate_args(&s, ',', ArgMode::Raw, 3);
        }

        #[test]
        fn never_panics_on_any_text(s in "\\PC{0,60}") {
            let _ = substitute(&s, &mut TestCtx::new().var("X", "x"));
        }
    }
}

#[test]
fn codes_are_listed_once() {
    let mut names: Vec<&str> = super::CODES.iter().map(|c| c.code.0).collect();
    let n = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n);
    assert!(names
        .iter()
        .all(|c| c.starts_with("subst/") || c.starts_with("expr/") || c.starts_with("func/")));
}
