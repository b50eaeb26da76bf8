//! `core set verbose [atleast] <level> [silent]` / `core set verbose off` (main/cli.c `handle_verbose`):
//! changes the console's verbosity, which only a console has; the answer is Asterisk's status line.

/// The command's usage, printed for wrong arguments.
pub const USAGE: &str = "Usage: core set verbose [atleast] <level> [silent]
       core set verbose off

       Sets level of verbose messages to be displayed.
       0 or off means no verbose messages should be displayed.
       The silent option means the command does not report what
       happened to the verbose level.
       Equivalent to -v[v[...]] on startup
";

/// The new level and the text to print, from the current level and the words after `core set verbose`.
pub fn set(current: u8, args: &[&str]) -> (u8, String) {
    let level = |w: &str| -> Option<u8> {
        // sscanf("%30d"): leading digits (and sign); a level above what a u8 holds is as good as "all".
        let digits: String = w
            .chars()
            .enumerate()
            .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+')))
            .map(|(_, c)| c)
            .collect();
        let n: i64 = digits.parse().ok()?;
        Some(n.clamp(0, i64::from(u8::MAX)) as u8)
    };
    let (atleast, rest) = match args.first() {
        Some(w) if w.eq_ignore_ascii_case("atleast") => (true, &args[1..]),
        _ => (false, args),
    };
    let (new, silent) = match rest {
        [w] if !atleast && w.eq_ignore_ascii_case("off") => (0, false),
        [n] => match level(n) {
            Some(n) => (n, false),
            None => return (current, USAGE.to_string()),
        },
        [n, s] if s.eq_ignore_ascii_case("silent") => match level(n) {
            Some(n) => (n, true),
            None => return (current, USAGE.to_string()),
        },
        _ => return (current, USAGE.to_string()),
    };
    let new = if atleast && new <= current {
        current
    } else {
        new
    };
    if silent {
        return (new, String::new());
    }
    let show = |v: u8| {
        if v == 0 {
            "OFF".to_string()
        } else {
            v.to_string()
        }
    };
    let text = if new == current {
        format!("Console verbose is still {}.\n", show(current))
    } else {
        format!(
            "Console verbose was {} and is now {}.\n",
            show(current),
            show(new)
        )
    };
    (new, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asterisk_status_lines() {
        assert_eq!(
            set(3, &["5"]),
            (5, "Console verbose was 3 and is now 5.\n".into())
        );
        assert_eq!(
            set(3, &["off"]),
            (0, "Console verbose was 3 and is now OFF.\n".into())
        );
        assert_eq!(
            set(0, &["3"]),
            (3, "Console verbose was OFF and is now 3.\n".into())
        );
        assert_eq!(set(3, &["3"]), (3, "Console verbose is still 3.\n".into()));
        assert_eq!(
            set(5, &["atleast", "3"]),
            (5, "Console verbose is still 5.\n".into())
        );
        assert_eq!(set(3, &["4", "silent"]), (4, String::new()));
        assert_eq!(set(3, &[]).1, USAGE);
        assert_eq!(set(3, &["x"]).1, USAGE);
    }
}
