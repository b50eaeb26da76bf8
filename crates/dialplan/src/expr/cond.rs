//! The dialplan truth rule: Asterisk's `pbx_checkcondition` (main/pbx.c), used by `GotoIf`, `ExecIf`,
//! `IF()`, `While`.
//!
//! Empty is false; text that `sscanf("%d")` reads as a number is that number's truth (`0.5`, `0x1`, `-0`,
//! `00` are false, `1abc`, ` 2` true); any other text is true (`abc`, `-`, a lone blank).

use super::cnum::scan_int;

/// Whether `condition` counts as true.
pub fn check_condition(condition: &str) -> bool {
    if condition.is_empty() {
        return false;
    }
    match scan_int(condition) {
        Some((n, _)) => n != 0,
        None => true,
    }
}

/// `ast_true`: `yes`, `true`, `y`, `t`, `1`, `on` (any case) are true; anything else is false.
pub fn ast_true(s: &str) -> bool {
    ["yes", "true", "y", "t", "1", "on"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truth() {
        for (c, want) in [
            ("", false),
            ("0", false),
            ("1", true),
            ("abc", true),
            ("0.5", false),
            ("1.5", true),
            ("0x1", false),
            ("-0", false),
            ("00", false),
            ("-1", true),
            ("1abc", true),
            (" 2", true),
            (" ", true),
            ("-", true),
            ("4294967296", false),
        ] {
            assert_eq!(check_condition(c), want, "{c:?}");
        }
    }
}
