//! `Dial`'s arguments, split once per `Dial` for every check that reads them: the option check (letters
//! Dial does not define), the jump check (`U()`, `b()`, `B()`, `F()`, `G()`) and the feature check (targets
//! without a technology, `k`/`K`).

use dialplan::expr::{separate_args, ArgMode};
use std::borrow::Cow;

/// The bytes that decide where Dial's arguments end: brackets, quotes, backslashes and commas.
const SPLITS: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let special = b"()[]\"\\,";
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// Dial's arguments as Dial splits them (targets, timeout, options, URL).
pub(super) struct DialArgs<'a> {
    data: &'a str,
    /// Where each of the first three arguments starts and ends when the data holds no quote or backslash
    /// (then they are plain slices of the data); `None` when [`separate_args`] has to unquote.
    plain: Option<[Option<(u32, u32)>; 3]>,
}

impl<'a> DialArgs<'a> {
    pub(super) fn new(data: &'a str) -> Self {
        let b = data.as_bytes();
        let quoted = DialArgs { data, plain: None };
        // The splitting rule of `separate_args` without quotes or escapes: a `,` outside `(...)` and
        // `[...]` ends an argument (a stray `)` or `]` is ignored). What follows the third argument does
        // not change the first three, but a quote there still makes the plain split unusable for the
        // checks that want the arguments as written (see [`DialArgs::plain`]).
        let mut found = [None; 3];
        if !b.is_empty() {
            let (mut paren, mut bracket) = (0u32, 0u32);
            let mut start = 0;
            let mut n = 0;
            for (i, &c) in b.iter().enumerate() {
                // Most bytes are none of these: one table look-up passes them.
                if !SPLITS[usize::from(c)] {
                    continue;
                }
                match c {
                    b'(' => paren += 1,
                    b')' => paren = paren.saturating_sub(1),
                    b'[' => bracket += 1,
                    b']' => bracket = bracket.saturating_sub(1),
                    b'"' | b'\\' => return quoted,
                    b',' if paren == 0 && bracket == 0 => {
                        found[n] = Some((start as u32, i as u32));
                        n += 1;
                        start = i + 1;
                        if n == found.len() {
                            if memchr::memchr2(b'"', b'\\', &b[start..]).is_some() {
                                return quoted;
                            }
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if n < found.len() {
                // The last argument runs to the end (empty after a trailing `,`).
                found[n] = Some((start as u32, data.len() as u32));
            }
        }
        DialArgs {
            data,
            plain: Some(found),
        }
    }

    /// Argument `i` (0 to 2) as written, as [`super::args::nth_arg`] reads it: `None` when there are
    /// fewer arguments, or when quotes or backslashes make the split depend on unquoting.
    pub(super) fn plain(&self, i: usize) -> Option<&'a str> {
        let (a, b) = self.plain.as_ref()?.get(i).copied().flatten()?;
        self.data.get(a as usize..b as usize)
    }

    /// Argument `i` (0 to 2) as Dial reads it, unquoted.
    pub(super) fn arg(&self, i: usize) -> Option<Cow<'a, str>> {
        match &self.plain {
            Some(_) => self.plain(i).map(Cow::Borrowed),
            None => separate_args(self.data, ',', ArgMode::Standard, 4)
                .into_iter()
                .nth(i)
                .map(Cow::Owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::args::nth_arg;

    const DATA: &[&str] = &[
        "",
        "a",
        "a,",
        ",",
        "a,b",
        "a,b,c",
        "a,b,c,d,e",
        "a,b,c,\"d\"",
        "PJSIP/a&PJSIP/b,30,tT(x,y)",
        "f(a,b),c,[d,e],f",
        "a),b,c",
        "\"a,b\",c,k",
        "a\\,b,c,d",
        "Local/2000@ctx/n,,k",
    ];

    #[test]
    fn dial_args_split_as_separate_args_does() {
        for data in DATA {
            let want = separate_args(data, ',', ArgMode::Standard, 4);
            let args = DialArgs::new(data);
            for i in 0..3 {
                assert_eq!(
                    args.arg(i).map(|a| a.into_owned()),
                    want.get(i).cloned(),
                    "{data:?} argument {i}"
                );
            }
        }
    }

    #[test]
    fn plain_args_are_the_standard_split() {
        for data in DATA {
            let args = DialArgs::new(data);
            for i in 0..3 {
                assert_eq!(args.plain(i), nth_arg(data, i), "{data:?} argument {i}");
            }
        }
    }
}
