//! Every diagnostic the `.conf` layer emits: its code, dialsim's words, and Asterisk's own log lines.
//!
//! Asterisk's texts are the format strings of `main/config.c` (Asterisk 22), filled in the way Asterisk fills
//! them: `line %d of %s` names Asterisk's line counter and the file's full path under `/etc/asterisk`.

use crate::diag::{Code, CodeInfo, Diagnostic, LogLevel, LogLine, Severity};
use crate::source::Span;

macro_rules! codes {
    ($($name:ident = $code:literal : $summary:literal;)*) => {
        $(pub const $name: Code = Code($code);)*
        /// Every code the `.conf` layer emits, with a one-line summary.
        pub const CODES: &[CodeInfo] = &[$(CodeInfo { code: $name, summary: $summary }),*];
    };
}

codes! {
    NO_CLOSING_BRACKET = "conf/no-closing-bracket": "a section header has no closing ']' (Asterisk rejects the file)";
    NO_CLOSING_PAREN = "conf/no-closing-paren": "section options '(...' have no closing ')' (Asterisk rejects the file)";
    UNKNOWN_TEMPLATE = "conf/unknown-template": "a section inherits from a template or section not defined above it (Asterisk rejects the file)";
    APPEND_MISSING = "conf/append-missing": "'[name](+)' adds to a section that is not defined above it (Asterisk rejects the file)";
    NO_CATEGORY = "conf/no-category": "a line comes before any section header (Asterisk rejects the file)";
    INVALID_ESCAPE = "conf/invalid-escape": "a line starts with '\\' followed by a blank or nothing (Asterisk rejects the file)";
    NO_EQUALS = "conf/no-equals": "a line has no '=': Asterisk drops it and stays in the current section";
    NO_VARIABLE_NAME = "conf/no-variable-name": "a line has nothing before '=': Asterisk drops it";
    HEADER_TRAILING_TEXT = "conf/header-trailing-text": "text after a section header's ']' (or ')') is ignored";
    LONG_SECTION_NAME = "conf/long-section-name": "a section name longer than 79 bytes is cut to 79 bytes";
    UNSUPPORTED_FILTER = "conf/unsupported-filter": "a '(+filter)' with a regular expression, which dialsim does not evaluate";
    UNKNOWN_DIRECTIVE = "conf/unknown-directive": "a '#' line that is not #include, #tryinclude or #exec is ignored";
    DIRECTIVE_NEEDS_ARGUMENT = "conf/directive-needs-argument": "#include or #tryinclude without a file name is ignored";
    EXEC_DISABLED = "conf/exec-disabled": "#exec is not run (it needs execincludes=yes in asterisk.conf)";
    MISSING_INCLUDE = "conf/missing-include": "an #include names a file that does not exist (Asterisk rejects the including file)";
    TRYINCLUDE_MISSING = "conf/tryinclude-missing": "a #tryinclude finds no file; Asterisk goes on without it";
    INCLUDE_NOT_REGULAR = "conf/include-not-regular": "an #include names a directory or other non-regular file, which is ignored";
    INCLUDE_CYCLE = "conf/include-cycle": "a file includes itself, directly or through other files";
    INCLUDE_DEPTH = "conf/include-depth": "#include nested deeper than Asterisk's 10 levels";
    DUPLICATE_INCLUDE = "conf/duplicate-include": "the same file is #included more than once and read again each time";
    LINE_TOO_LONG = "conf/line-too-long": "a line of 8191 bytes or more is skipped";
    NUL_BYTE = "conf/nul-byte": "a NUL byte ends the line for Asterisk; the rest of the line is ignored";
    UNTERMINATED_COMMENT = "conf/unterminated-comment": "a ';--' block comment is never closed: the rest of the file is ignored";
    STRAY_COMMENT_CLOSE = "conf/stray-comment-close": "'--;' outside a block comment makes Asterisk ignore the lines after it";
    COMMENT_NEST_LIMIT = "conf/comment-nest-limit": "block comments nested more than 128 deep (Asterisk never finishes loading)";
    INVALID_UTF8 = "conf/invalid-utf8": "the file is not valid UTF-8; dialsim shows invalid bytes as '?'";
    UNREADABLE_FILE = "conf/unreadable-file": "a configuration file exists but cannot be read";
}

const SRC: &str = "config.c";

/// Where a problem is, for both voices: dialsim's span, Asterisk's line counter and file name.
#[derive(Clone, Debug)]
pub struct At<'a> {
    pub span: Option<Span>,
    /// Asterisk's line number (`lineno`).
    pub line: u32,
    /// The file as Asterisk names it in messages (`/etc/asterisk/extensions.conf`).
    pub file: &'a str,
    /// `Some(line)` when Asterisk already stopped reading the top-level file at `line` (a fatal error there):
    /// Asterisk never sees this problem, so its log lines are left out.
    pub stopped_at: Option<u32>,
}

impl At<'_> {
    /// Attaches Asterisk's log lines unless Asterisk never got this far.
    fn finish(&self, mut d: Diagnostic, logs: Vec<LogLine>) -> Diagnostic {
        d.span = self.span;
        match self.stopped_at {
            None => d.asterisk = logs,
            Some(line) => {
                let note = format!(
                    "Asterisk stopped reading this file at line {line} (see the error there), so it never reports this"
                );
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h}; {note}"),
                    None => note,
                });
            }
        }
        d
    }
}

fn warning(text: String) -> LogLine {
    LogLine::new(LogLevel::Warning, SRC, text)
}

fn error(text: String) -> LogLine {
    LogLine::new(LogLevel::Error, SRC, text)
}

/// How a fatal parse error ends things: the top-level file is rejected, an included file is cut short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fatal {
    Top,
    Included,
}

fn fatal_help(fatal: Fatal, fix: &str) -> String {
    match fatal {
        Fatal::Top => format!("Asterisk rejects the whole file; {fix}"),
        Fatal::Included => format!(
            "Asterisk stops reading this included file here and goes on in the file that included it, so \
             everything below this line is missing; {fix}"
        ),
    }
}

pub fn no_closing_bracket(at: &At, text: &str, fatal: Fatal) -> Diagnostic {
    let d = Diagnostic::error(
        NO_CLOSING_BRACKET,
        format!("section header '{text}' has no closing ']'"),
    )
    .with_label("no ']' on this line")
    .with_help(fatal_help(fatal, "add the ']'"));
    at.finish(
        d,
        vec![warning(format!(
            "parse error: no closing ']', line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn no_closing_paren(at: &At, text: &str, fatal: Fatal) -> Diagnostic {
    let d = Diagnostic::error(
        NO_CLOSING_PAREN,
        format!("section options in '{text}' have no closing ')'"),
    )
    .with_label("no ')' after '('")
    .with_help(fatal_help(fatal, "close the options with ')'"));
    at.finish(
        d,
        vec![warning(format!(
            "parse error: no closing ')', line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn unknown_template(at: &At, section: &str, base: &str, fatal: Fatal) -> Diagnostic {
    let trimmed = base.trim();
    let fix = if trimmed != base && !trimmed.is_empty() {
        format!(
            "options are not trimmed, so this names '{base}', not '{trimmed}'; remove the blanks around the \
             commas and parentheses"
        )
    } else {
        format!("define '[{base}]' above this section, or fix the name")
    };
    let d = Diagnostic::error(
        UNKNOWN_TEMPLATE,
        format!("section '{section}' inherits from '{base}', which is not defined above it"),
    )
    .with_label("unknown template")
    .with_help(fatal_help(fatal, &fix));
    at.finish(
        d,
        vec![warning(format!(
            "Inheritance requested, but category '{base}' does not exist, line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn append_missing(at: &At, section: &str, only_template: bool, fatal: Fatal) -> Diagnostic {
    let fix = if only_template {
        format!(
            "'[{section}]' is a template, and '(+)' adds only to a section that is not a template"
        )
    } else {
        format!("define '[{section}]' above this line, or drop the '+'")
    };
    let d = Diagnostic::error(
        APPEND_MISSING,
        format!(
            "'[{section}](+)' adds to section '{section}', but no such section is defined above it"
        ),
    )
    .with_label("nothing to add to")
    .with_help(fatal_help(fatal, &fix));
    at.finish(
        d,
        vec![warning(format!(
            "Category addition requested, but category '{section}' does not exist, line {} of {}",
            at.line, at.file
        ))],
    )
}

/// `text[name]`: a section header with stray text before it (the wiki's `truetext1[general]`).
fn stray_header(text: &str) -> Option<(&str, &str)> {
    let open = text.find('[')?;
    let rest = &text[open..];
    (open > 0 && rest.ends_with(']')).then(|| (&text[..open], &rest[1..rest.len() - 1]))
}

pub fn no_category(at: &At, text: &str, fatal: Fatal) -> Diagnostic {
    let fix = match stray_header(text) {
        Some((junk, name)) => format!(
            "'{junk}[{name}]' is not a section header because it does not start with '['; delete '{junk}' so \
             the line reads '[{name}]'"
        ),
        None => "put a section header such as '[general]' above it, or delete it".to_string(),
    };
    let d = Diagnostic::error(
        NO_CATEGORY,
        format!("'{text}' comes before any section header"),
    )
    .with_label("not inside a section")
    .with_help(fatal_help(fatal, &fix));
    at.finish(
        d,
        vec![warning(format!(
            "parse error: No category context for line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn invalid_escape(at: &At, text: &str, fatal: Fatal) -> Diagnostic {
    let d = Diagnostic::error(
        INVALID_ESCAPE,
        format!("'\\' at the start of '{text}' escapes a blank or nothing"),
    )
    .with_label("invalid escape")
    .with_help(fatal_help(
        fatal,
        "a leading '\\' must be followed by the character it escapes; remove it",
    ));
    at.finish(
        d,
        vec![error(format!(
            "Invalid escape in line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn no_equals(at: &At, text: &str, section: &str) -> Diagnostic {
    let help = match stray_header(text) {
        Some((junk, name)) => format!(
            "Asterisk drops the line and goes on in section '[{section}]': '[{name}]' is NOT opened, because a \
             header must start with '['; the lines below still belong to '[{section}]'; delete '{junk}' so the \
             line reads '[{name}]'"
        ),
        None => format!(
            "Asterisk drops the line and goes on in section '[{section}]'; write it as 'name = value' or delete it"
        ),
    };
    let d = Diagnostic::warning(NO_EQUALS, format!("line '{text}' has no '='"))
        .with_label("no '=' in this line")
        .with_help(help);
    at.finish(
        d,
        vec![warning(format!(
            "No '=' (equal sign) in line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn no_variable_name(at: &At, text: &str) -> Diagnostic {
    let d = Diagnostic::warning(
        NO_VARIABLE_NAME,
        format!("line '{text}' has no name before '='"),
    )
    .with_label("empty name")
    .with_help("Asterisk drops the line; put the option's name before '='");
    at.finish(
        d,
        vec![warning(format!(
            "No variable name in line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn header_trailing_text(at: &At, section: &str, trailing: &str) -> Diagnostic {
    let help = if trailing.trim_start().starts_with('(') {
        format!(
            "options must follow ']' immediately, as in '[{section}]{}'; Asterisk ignores them here, so \
             '[{section}]' is a plain section (not a template, no inheritance)",
            trailing.trim_start()
        )
    } else {
        "Asterisk ignores everything after the header; delete it or make it a comment with ';'"
            .to_string()
    };
    let d = Diagnostic::warning(
        HEADER_TRAILING_TEXT,
        format!("text '{trailing}' after the header of section '{section}' is ignored"),
    )
    .with_label("ignored")
    .with_help(help);
    at.finish(d, Vec::new())
}

pub fn long_section_name(at: &At, name: &str, kept: &str) -> Diagnostic {
    let d = Diagnostic::warning(
        LONG_SECTION_NAME,
        format!("section name '{name}' is longer than 79 bytes"),
    )
    .with_help(format!(
        "Asterisk keeps only the first 79 bytes, '{kept}', and no other section can inherit from or add to it \
         by its full name; shorten it"
    ));
    at.finish(d, Vec::new())
}

pub fn unsupported_filter(at: &At, filter: &str) -> Diagnostic {
    let d = Diagnostic::warning(
        UNSUPPORTED_FILTER,
        format!(
            "category filter '{filter}' uses a regular expression, which dialsim does not evaluate"
        ),
    )
    .with_help("dialsim treats the filter as matching no section");
    at.finish(d, Vec::new())
}

pub fn unknown_directive(at: &At, name: &str) -> Diagnostic {
    let d = Diagnostic::warning(UNKNOWN_DIRECTIVE, format!("unknown directive '#{name}'"))
        .with_label("not a directive Asterisk knows")
        .with_help(
            "Asterisk ignores the line; the directives are #include, #tryinclude and #exec, followed by a blank",
        );
    at.finish(
        d,
        vec![warning(format!(
            "Unknown directive '#{name}' at line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn directive_needs_argument(at: &At, name: &str) -> Diagnostic {
    let d = Diagnostic::warning(
        DIRECTIVE_NEEDS_ARGUMENT,
        format!("'#{name}' has no file name"),
    )
    .with_help("Asterisk ignores the line; name the file to include");
    at.finish(
        d,
        vec![warning(format!(
            "Directive '#{name}' needs an argument (filename) at line {} of {}",
            at.line, at.file
        ))],
    )
}

pub fn exec_disabled(at: &At, command: &str) -> Diagnostic {
    let d = Diagnostic::warning(EXEC_DISABLED, format!("'#exec {command}' is not run"))
        .with_help(
            "Asterisk runs #exec only with execincludes=yes in asterisk.conf and ignores the line otherwise; \
             dialsim never runs programs, so whatever the command would print is missing here",
        );
    at.finish(
        d,
        vec![warning(
            "Cannot perform #exec unless execincludes option is enabled in asterisk.conf (options section)!"
                .to_string(),
        )],
    )
}

fn does_not_exist(name: &str) -> LogLine {
    error(format!(
        "The file '{name}' was listed as a #include but it does not exist."
    ))
}

pub fn missing_include(at: &At, name: &str, fatal: Fatal) -> Diagnostic {
    let d = Diagnostic::error(
        MISSING_INCLUDE,
        format!("included file '{name}' does not exist"),
    )
    .with_label("no such file")
    .with_help(fatal_help(
        fatal,
        "create the file, fix the name, or use #tryinclude for a file that may be absent",
    ));
    at.finish(d, vec![does_not_exist(name)])
}

pub fn tryinclude_missing(at: &At, name: &str) -> Diagnostic {
    let d = Diagnostic::note(
        TRYINCLUDE_MISSING,
        format!("'#tryinclude {name}' finds no file"),
    )
    .with_help("Asterisk goes on without it");
    at.finish(d, Vec::new())
}

pub fn include_not_regular(at: &At, asterisk_path: &str) -> Diagnostic {
    let d = Diagnostic::warning(
        INCLUDE_NOT_REGULAR,
        format!("'{asterisk_path}' is not a regular file"),
    )
    .with_help("Asterisk ignores it; #include only files");
    at.finish(
        d,
        vec![warning(format!(
            "'{asterisk_path}' is not a regular file, ignoring"
        ))],
    )
}

pub fn include_cycle(at: &At, name: &str, chain: &str, tolerated: bool) -> Diagnostic {
    let d = Diagnostic::error(
        INCLUDE_CYCLE,
        format!("'{name}' includes itself: {chain}"),
    )
    .with_label("closes an include cycle")
    .with_help(
        "Asterisk reads the file again inside itself, nesting 10 levels deep (each level repeats its sections \
         and items, with a 'Same File included more than once!' warning), then gives up on the innermost level; \
         dialsim reads it only once. Remove the #include that closes the cycle",
    );
    let mut logs = vec![warning("Maximum Include level (10) exceeded".to_string())];
    if !tolerated {
        logs.push(does_not_exist(name));
    }
    at.finish(d, logs)
}

pub fn include_depth(at: &At, name: &str, tolerated: bool, fatal: Fatal) -> Diagnostic {
    let help = if tolerated {
        "Asterisk reads at most 10 levels of #include and skips this #tryinclude; flatten the includes".to_string()
    } else {
        fatal_help(
            fatal,
            "Asterisk reads at most 10 levels of #include and treats this file as missing; flatten the includes",
        )
    };
    let d = Diagnostic::error(
        INCLUDE_DEPTH,
        format!("'{name}' is included more than 10 levels deep"),
    )
    .with_help(help);
    let mut logs = vec![warning("Maximum Include level (10) exceeded".to_string())];
    if !tolerated {
        logs.push(does_not_exist(name));
    }
    at.finish(d, logs)
}

pub fn duplicate_include(at: &At, name: &str, from_file: &str, saved_as: &str) -> Diagnostic {
    let d = Diagnostic::warning(
        DUPLICATE_INCLUDE,
        format!("'{name}' is included more than once"),
    )
    .with_help("Asterisk reads it again each time, so its sections and items appear again; include it once");
    at.finish(
        d,
        vec![warning(format!(
            "'{from_file}', line {}:  Same File included more than once! This data will be saved in {saved_as} if saved back to disk.",
            at.line
        ))],
    )
}

pub fn line_too_long(at: &At, len: usize, begins: &str) -> Diagnostic {
    let d = Diagnostic::warning(
        LINE_TOO_LONG,
        format!("line is {len} bytes long; Asterisk skips lines of 8191 bytes or more"),
    )
    .with_help("Asterisk ignores the whole line; split it or shorten it");
    at.finish(
        d,
        vec![warning(format!(
            "Line {} too long, skipping. It begins with: {begins}...",
            at.line
        ))],
    )
}

pub fn nul_byte(at: &At) -> Diagnostic {
    let d = Diagnostic::warning(NUL_BYTE, "NUL byte in line")
        .with_label("the line ends here for Asterisk")
        .with_help("Asterisk reads a line only up to a NUL byte and ignores the rest of it; remove the NUL");
    at.finish(d, Vec::new())
}

pub fn unterminated_comment(at: &At, open_line: Option<u32>) -> Diagnostic {
    let d = Diagnostic::warning(UNTERMINATED_COMMENT, "block comment ';--' is never closed")
        .with_label("opened here")
        .with_help("everything after it is ignored; close it with '--;'");
    let logs = match open_line {
        Some(line) => vec![warning(format!(
            "Unterminated comment detected beginning on line {line}"
        ))],
        None => Vec::new(),
    };
    at.finish(d, logs)
}

pub fn stray_comment_close(at: &At) -> Diagnostic {
    let d = Diagnostic::error(
        STRAY_COMMENT_CLOSE,
        "'--;' closes a block comment that is not open",
    )
    .with_label("no ';--' before this")
    .with_help(
        "Asterisk's comment counter goes below zero: this line is read whole, '--;' included, and every line \
         after it is ignored up to and including the next line with ';--'; at the end of the file Asterisk \
         reports an unterminated comment with a meaningless line number. Remove the '--;' or write '--\\;'",
    );
    at.finish(d, Vec::new())
}

pub fn comment_nest_limit(at: &At) -> Diagnostic {
    let d = Diagnostic::error(
        COMMENT_NEST_LIMIT,
        "block comments nested more than 128 deep",
    )
    .with_help(
        "Asterisk logs this line over and over and never finishes loading; dialsim ignores this ';--'. \
         Close the open ';--' blocks with '--;'",
    );
    at.finish(
        d,
        vec![error("Maximum nest limit of 128 reached.".to_string())],
    )
}

pub fn invalid_utf8(at: &At) -> Diagnostic {
    let d = Diagnostic::note(INVALID_UTF8, "file is not valid UTF-8")
        .with_label("first invalid byte")
        .with_help(
            "Asterisk passes the bytes through unchanged; dialsim shows each invalid byte as '?'. Save the file \
             as UTF-8",
        );
    at.finish(d, Vec::new())
}

pub fn unreadable_file(path: &str, err: &str, span: Option<Span>) -> Diagnostic {
    let mut d = Diagnostic::new(
        UNREADABLE_FILE,
        Severity::Error,
        format!("cannot read '{path}': {err}"),
    )
    .with_help("Asterisk cannot read it either and treats it as missing");
    d.span = span;
    d
}
