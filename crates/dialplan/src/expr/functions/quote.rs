//! `QUOTE(string)` and `CSV_QUOTE(string)` (funcs/func_strings.c): the text in double quotes, with `\` and
//! `"` backslash-escaped (QUOTE) or `"` doubled (CSV_QUOTE). QUOTE of nothing warns and gives `""`.

use super::util::log;
use super::Function;
use crate::diag::LogLevel;
use crate::expr::{Effects, FuncError, VarContext};

pub struct Quote;
pub struct CsvQuote;

/// QUOTE's escaping.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// CSV_QUOTE's escaping.
pub fn csv_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

impl Function for Quote {
    fn name(&self) -> &'static str {
        "QUOTE"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        if args.is_empty() {
            log(
                fx,
                LogLevel::Warning,
                "func_strings.c",
                "No argument specified!",
            );
        }
        Ok(quote(args))
    }
}

impl Function for CsvQuote {
    fn name(&self) -> &'static str {
        "CSV_QUOTE"
    }

    fn read(
        &self,
        args: &str,
        _: &mut dyn VarContext,
        _: &mut Effects,
    ) -> Result<String, FuncError> {
        Ok(csv_quote(args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(csv_quote(r#"a"b"#), r#""a""b""#);
        assert_eq!(quote(""), "\"\"");
    }
}
