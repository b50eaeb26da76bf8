//! AMI read/write classes as `main/manager.c` reads and prints them: the class table, `read =`/`write =`
//! values (`get_perm`), `Events:` masks (`strings_to_mask`) and `Privilege:` texts (`authority_to_str`).

/// A set of classes as a bit mask (Asterisk's `EVENT_FLAG_*`).
pub type Mask = u32;

/// `all`: every class (Asterisk's `INT_MAX`).
pub const ALL: Mask = i32::MAX as u32;

/// The classes in Asterisk's table order (the order `Privilege:` lists them in).
pub const CLASSES: &[(Mask, &str)] = &[
    (1 << 0, "system"),
    (1 << 1, "call"),
    (1 << 2, "log"),
    (1 << 3, "verbose"),
    (1 << 4, "command"),
    (1 << 5, "agent"),
    (1 << 6, "user"),
    (1 << 7, "config"),
    (1 << 8, "dtmf"),
    (1 << 9, "reporting"),
    (1 << 10, "cdr"),
    (1 << 11, "dialplan"),
    (1 << 12, "originate"),
    (1 << 13, "agi"),
    (1 << 14, "cc"),
    (1 << 15, "aoc"),
    (1 << 16, "test"),
    (1 << 17, "security"),
    (1 << 19, "message"),
];

/// The flag of one class name (exact, lower case, as event producers name them); 0 when unknown.
pub fn class_flag(class: &str) -> Mask {
    CLASSES
        .iter()
        .find(|(_, label)| *label == class)
        .map_or(0, |(flag, _)| *flag)
}

/// `get_perm`: the classes a comma-separated list names. Asterisk's matcher (`ast_instring`) compares every
/// item but the last as a prefix of the class name (so `read = c,dtmf` grants every class starting with
/// `c`, and an empty item grants everything), and the last item exactly.
pub fn get_perm(text: &str) -> Mask {
    let labels = CLASSES.iter().copied().chain([(ALL, "all"), (0, "none")]);
    let mut mask = 0;
    for (flag, label) in labels {
        if in_list(text, label) {
            mask |= flag;
        }
    }
    mask
}

fn in_list(list: &str, label: &str) -> bool {
    let items: Vec<&str> = list.split(',').collect();
    let last = items.len() - 1;
    items.iter().enumerate().any(|(i, item)| {
        if i == last {
            *item == label
        } else {
            label.len() >= item.len() && label.as_bytes()[..item.len()] == *item.as_bytes()
        }
    })
}

/// `strings_to_mask`: an `Events:`/`EventMask:` value. `None` for an empty value (Asterisk's -1);
/// digits are a number, a false word is 0, a true word every class, anything else a class list.
pub fn strings_to_mask(text: &str) -> Option<Mask> {
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        // atoi: leading digits, overflow wraps like C's conversion on Linux would not; saturate instead.
        return Some(text.parse::<u64>().map_or(u32::MAX, |n| n as u32));
    }
    if is_false(text) {
        return Some(0);
    }
    if is_true(text) {
        return Some(CLASSES.iter().fold(ALL, |m, (f, _)| m | f));
    }
    Some(get_perm(text))
}

/// `authority_to_str`: the class names of `mask` in table order, comma-separated, then `all` (whose flag
/// overlaps every class, so any non-empty mask ends with it); `<none>` when empty.
pub fn authority_to_str(mask: Mask) -> String {
    let names: Vec<&str> = CLASSES
        .iter()
        .chain(&[(ALL, "all")])
        .filter(|(flag, _)| mask & flag != 0)
        .map(|(_, label)| *label)
        .collect();
    if names.is_empty() {
        "<none>".to_string()
    } else {
        names.join(",")
    }
}

/// `ast_true`.
pub fn is_true(text: &str) -> bool {
    ["yes", "true", "y", "t", "1", "on"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(text))
}

/// `ast_false`.
pub fn is_false(text: &str) -> bool {
    ["no", "false", "n", "f", "0", "off"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_lists_are_read_as_asterisk_reads_them() {
        assert_eq!(
            get_perm("system,call"),
            class_flag("system") | class_flag("call")
        );
        assert_eq!(get_perm("all"), ALL);
        assert_eq!(get_perm("none"), 0);
        // Every item but the last is a prefix match.
        let c = get_perm("c,dtmf");
        assert!(c & class_flag("call") != 0 && c & class_flag("cdr") != 0);
        assert_eq!(get_perm("dtmf,c"), class_flag("dtmf"));
        assert_eq!(get_perm(",call"), ALL | get_perm("call"));
    }

    #[test]
    fn event_masks() {
        assert_eq!(strings_to_mask(""), None);
        assert_eq!(strings_to_mask("off"), Some(0));
        assert_eq!(strings_to_mask("0"), Some(0));
        assert_eq!(
            strings_to_mask("on").map(|m| m & class_flag("call")),
            Some(2)
        );
        assert_eq!(strings_to_mask("call"), Some(2));
    }

    #[test]
    fn privilege_text_lists_classes_in_table_order() {
        assert_eq!(authority_to_str(get_perm("call,system")), "system,call,all");
        assert_eq!(authority_to_str(0), "<none>");
        assert!(authority_to_str(ALL).starts_with("system,call,log,verbose,command"));
    }
}
