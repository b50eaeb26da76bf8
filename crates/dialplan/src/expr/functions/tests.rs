//! The built-in functions, called as the dialplan calls them.

use super::set_variable;
use crate::expr::testing::TestCtx;
use crate::expr::{substitute, Effects, Origin};

fn run(ctx: &mut TestCtx, input: &str) -> (String, Vec<String>) {
    let r = substitute(input, ctx);
    (
        r.text,
        r.warnings.iter().map(|w| w.line.console()).collect(),
    )
}

fn text(input: &str) -> String {
    run(&mut TestCtx::new().var("X", "hello").var("E", ""), input).0
}

#[test]
fn isnull_exists_len() {
    assert_eq!(text("${ISNULL()}"), "1");
    assert_eq!(text("${ISNULL(${E})}"), "1");
    assert_eq!(text("${ISNULL(${X})}"), "0");
    assert_eq!(text("${ISNULL( )}"), "0");
    assert_eq!(text("${EXISTS(${X})}"), "1");
    assert_eq!(text("${EXISTS()}"), "0");
    assert_eq!(text("${LEN(${X})}"), "5");
    assert_eq!(text("${LEN(héllo)}"), "6");
}

#[test]
fn if_function() {
    let cases = [
        ("${IF(1?a:b)}", "a"),
        ("${IF(0?a:b)}", "b"),
        ("${IF(abc?a:b)}", "a"),
        ("${IF(0.5?a:b)}", "b"),
        ("${IF(0x1?a:b)}", "b"),
        ("${IF(1.5?a:b)}", "a"),
        ("${IF(0?a:b:c)}", "b:c"),
        ("${IF(1? a : b )}", "a"),
        ("${IF(1?a)}", "a"),
        ("${IF(0?a)}", ""),
        ("${IF(1?:b)}", ""),
        ("${IF(0?:b)}", "b"),
        ("${IF(1?)}", ""),
        ("${IF(1)}", ""),
        ("${IF(?a:b)}", ""),
        ("${IF( ?a:b)}", "b"),
        ("${IF(\"1\"?a:b)}", "a"),
        ("${IF(1?\"a,b\":c)}", "a,b"),
        ("${IF($[${X} = hello]?yes:no)}", "yes"),
    ];
    for (input, want) in cases {
        assert_eq!(text(input), want, "{input}");
    }
}

#[test]
fn set_and_global() {
    let mut c = TestCtx::new();
    let (t, logs) = run(&mut c, "${SET(A=1)}");
    assert_eq!((t.as_str(), logs.len()), ("1", 0));
    assert_eq!(c.vars.get("A").map(String::as_str), Some("1"));
    let (t, _) = run(&mut c, "${SET( B = two words )}");
    assert_eq!(t, "two words");
    assert_eq!(c.vars.get("B").map(String::as_str), Some("two words"));
    let (t, logs) = run(&mut c, "${SET(A)}");
    assert_eq!(t, "");
    assert_eq!(
        logs,
        ["WARNING: func_logic.c: Syntax SET(<varname>=[<value>])"]
    );
    let (t, logs) = run(&mut c, "${SET(GLOBAL(G)=x)}");
    assert_eq!(t, "x");
    assert_eq!(logs, ["  == Setting global variable 'G' to 'x'"]);
    assert_eq!(run(&mut c, "${GLOBAL(G)}").0, "x");
    assert_eq!(run(&mut c, "${GLOBAL(NOPE)}").0, "");

    let mut fx = Effects::new();
    set_variable(&mut c, "GLOBAL(H)", Some("y"), &mut fx);
    assert_eq!(c.globals.get("H").map(String::as_str), Some("y"));
    set_variable(&mut c, "LEN(x)", Some("y"), &mut fx);
    set_variable(&mut c, "NOPE(x)", Some("y"), &mut fx);
    let console: Vec<String> = fx.log.iter().map(|w| w.line.console()).collect();
    assert_eq!(
        console,
        [
            "  == Setting global variable 'H' to 'y'",
            "ERROR: pbx_functions.c: Function LEN cannot be written to",
            "ERROR: pbx_functions.c: Function NOPE not registered",
        ]
    );
}

#[test]
fn eval() {
    let mut c = TestCtx::new().var("X", "hello").var("T", "${X} world");
    assert_eq!(run(&mut c, "${EVAL(${T})}").0, "hello world");
    assert_eq!(run(&mut c, "${EVAL(${T}):0:5}").0, "hello");
    let (t, logs) = run(&mut c, "${EVAL()}");
    assert_eq!(t, "");
    assert_eq!(
        logs,
        ["WARNING: func_strings.c: EVAL requires an argument: EVAL(<string>)"]
    );
}

#[test]
fn callerid() {
    let mut c = TestCtx::new();
    assert_eq!(run(&mut c, "${CALLERID(name)}").0, "Alice");
    assert_eq!(run(&mut c, "${CALLERID(num)}").0, "1001");
    assert_eq!(run(&mut c, "${CALLERID(number)}").0, "1001");
    assert_eq!(run(&mut c, "${CALLERID(NUM)}").0, "1001");
    assert_eq!(run(&mut c, "${CALLERID(all)}").0, "\"Alice\" <1001>");
    assert_eq!(run(&mut c, "${CALLERID(name-valid)}").0, "1");
    assert_eq!(
        run(&mut c, "${CALLERID(all,\"Bob\" <2002>)}").0,
        "\"Bob\" <2002>"
    );
    assert_eq!(run(&mut c, "${CALLERID(name,Carol <3003>)}").0, "Carol");
    assert_eq!(run(&mut c, "${CALLERID(num,Carol <3003>)}").0, "3003");
    let (t, logs) = run(&mut c, "${CALLERID(bogus)}");
    assert_eq!(t, "");
    assert_eq!(
        logs,
        ["ERROR: func_callerid.c: Unknown callerid data type 'bogus'."]
    );

    let mut fx = Effects::new();
    set_variable(
        &mut c,
        "CALLERID(all)",
        Some("\"Dave D\" <(555) 010-9999>"),
        &mut fx,
    );
    assert_eq!(run(&mut c, "${CALLERID(all)}").0, "\"Dave D\" <5550109999>");
    set_variable(&mut c, "CALLERID(name)", Some("  Eve  "), &mut fx);
    assert_eq!(run(&mut c, "${CALLERID(name)}").0, "Eve");
    set_variable(&mut c, "CALLERID(num-valid)", Some("0"), &mut fx);
    assert_eq!(run(&mut c, "${CALLERID(all)}").0, "\"Eve\" <>");
    assert!(fx.log.is_empty());

    let r = substitute("${CALLERID(ani)}", &mut c);
    assert_eq!(r.text, "");
    assert_eq!(r.warnings[0].origin, Origin::Dialsim);
}

#[test]
fn channel() {
    let mut c = TestCtx::new();
    assert_eq!(run(&mut c, "${CHANNEL(name)}").0, "PJSIP/alice-00000001");
    assert_eq!(run(&mut c, "${CHANNEL(NAME)}").0, "PJSIP/alice-00000001");
    assert_eq!(run(&mut c, "${CHANNEL(language)}").0, "en");
    let (t, logs) = run(&mut c, "${CHANNEL(bogus)}");
    assert_eq!(t, "");
    assert_eq!(
        logs,
        ["WARNING: func_channel.c: Unknown or unavailable item requested: 'bogus'"]
    );
    let r = substitute("${CHANNEL(audionativeformat)}", &mut c);
    assert_eq!(r.warnings[0].origin, Origin::Dialsim);

    let mut fx = Effects::new();
    set_variable(&mut c, "CHANNEL(musicclass)", Some("jazz"), &mut fx);
    assert_eq!(run(&mut c, "${CHANNEL(musicclass)}").0, "jazz");
    set_variable(&mut c, "CHANNEL(name)", Some("x"), &mut fx);
    let console: Vec<String> = fx.log.iter().map(|w| w.line.console()).collect();
    assert_eq!(
        console,
        ["WARNING: func_channel.c: Unknown or unavailable item requested: 'name'"]
    );
}

#[test]
fn functions_inside_expressions() {
    let mut c = TestCtx::new().var("X", "hello");
    let (t, logs) = run(&mut c, "$[LEN(abc) + 1]");
    assert_eq!(t, "4");
    assert_eq!(
        logs,
        [
            "NOTICE: ast_expr2.y: argbuf allocated 4 bytes;",
            "NOTICE: ast_expr2.y: argbuf uses 3 bytes;",
        ]
    );
    let (t, logs) = run(&mut c, "$[NOPE(1)]");
    assert_eq!(t, "0");
    assert_eq!(
        logs,
        [
            "WARNING: ast_expr2.y: Hey! could not find func NOPE.",
            "ERROR: ast_expr2.y: Error! 'NOPE' doesn't appear to be an available function!",
        ]
    );
    let (t, logs) = run(&mut c, "$[LEN(1 + 1, x)]");
    assert_eq!(t, "3");
    assert_eq!(logs[0], "NOTICE: ast_expr2.y: argbuf allocated 28 bytes;");
}
