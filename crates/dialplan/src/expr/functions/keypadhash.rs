//! `KEYPADHASH(string)` (funcs/func_strings.c): letters become their telephone keypad digits; digits stay;
//! anything else is dropped.

use super::Function;
use crate::expr::{Effects, FuncError, VarContext};

pub struct KeypadHash;

/// The keypad digit of one character, if it has one.
pub fn keypad(c: char) -> Option<char> {
    let c = c.to_ascii_lowercase();
    Some(match c {
        '0' | '1' => c,
        'a'..='c' | '2' => '2',
        'd'..='f' | '3' => '3',
        'g'..='i' | '4' => '4',
        'j'..='l' | '5' => '5',
        'm'..='o' | '6' => '6',
        'p'..='s' | '7' => '7',
        't'..='v' | '8' => '8',
        'w'..='z' | '9' => '9',
        _ => return None,
    })
}

impl Function for KeypadHash {
    fn name(&self) -> &'static str {
        "KEYPADHASH"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(args.chars().filter_map(keypad).collect())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits() {
        assert_eq!(
            "Hello-World 1#0"
                .chars()
                .filter_map(super::keypad)
                .collect::<String>(),
            "435569675310"
        );
    }
}
