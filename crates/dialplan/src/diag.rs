//! Diagnostics: what dialsim found, where, what Asterisk does about it, and the fix.
//!
//! Libraries produce [`Diagnostic`] values; rendering (miette, `--format short`) happens at the edge, in the
//! CLI. A diagnostic carries two voices, kept apart on purpose:
//! - dialsim's own words (`message`, `help`): lower case, no trailing period, quoting the offending text;
//! - Asterisk's own log lines (`asterisk`), reproduced exactly as Asterisk 22 prints them, so a reader can
//!   match them against a real PBX's console.
//!
//! Severity follows the consequence, not Asterisk's log level: what makes Asterisk refuse a file or a module is
//! an [`Severity::Error`] even where Asterisk logs it as a WARNING.

use crate::source::{SourceMap, Span};
use std::fmt;

/// A stable diagnostic code such as `conf/no-equals`. Codes are listed in `docs/diagnostics.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(pub &'static str);

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A code with its one-line description, for the generated documentation and its drift test.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    pub code: Code,
    pub summary: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Asterisk refuses the file or module, or the construct cannot work.
    Error,
    /// Asterisk goes on, but not as the author probably intended.
    Warning,
    /// Information: something worth knowing, nothing wrong.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Asterisk's log levels, as its console names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    Error,
    Warning,
    Notice,
    /// `ast_verb(n, …)`: shown at verbosity ≥ n with the console prefix for n.
    Verbose(u8),
}

impl LogLevel {
    pub fn name(self) -> &'static str {
        match self {
            LogLevel::Error => "ERROR",
            LogLevel::Warning => "WARNING",
            LogLevel::Notice => "NOTICE",
            LogLevel::Verbose(_) => "VERBOSE",
        }
    }
}

/// One line Asterisk itself would log: level, the C file that logs it, and the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub level: LogLevel,
    /// The C source file, e.g. `config.c`, `res_parking.c`, `loader.c`.
    pub source: &'static str,
    pub text: String,
    /// Where the console says the line comes from when it is not a C file: the Log application's
    /// `Ext. <exten>:<priority> @ <context>`.
    pub location: Option<String>,
}

impl LogLine {
    pub fn new(level: LogLevel, source: &'static str, text: impl Into<String>) -> Self {
        LogLine {
            level,
            source,
            text: text.into(),
            location: None,
        }
    }

    /// A line logged from a dialplan location (the Log application): the console shows `location` where
    /// other lines show their C file.
    pub fn at(
        level: LogLevel,
        source: &'static str,
        location: String,
        text: impl Into<String>,
    ) -> Self {
        LogLine {
            location: Some(location),
            ..LogLine::new(level, source, text)
        }
    }

    /// The line as Asterisk's console shows it, without timestamp and thread id
    /// (`WARNING: config.c: No '=' (equal sign) in line 1 of …`; verbose lines get their prefix).
    pub fn console(&self) -> String {
        match self.level {
            LogLevel::Verbose(n) => format!("{}{}", verbose_prefix(n), self.text),
            level => format!(
                "{}: {}: {}",
                level.name(),
                self.location.as_deref().unwrap_or(self.source),
                self.text
            ),
        }
    }
}

/// The console prefix for verbose level `n` (`"    -- "` for 3).
pub fn verbose_prefix(n: u8) -> &'static str {
    match n {
        0 | 1 => " ",
        2 => "  == ",
        3 => "    -- ",
        _ => "       > ",
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// dialsim's description of the problem.
    pub message: String,
    /// Where it is; `None` for problems that belong to no line (a missing file, a module as a whole).
    pub span: Option<Span>,
    /// A short label for the span, shown beside the caret.
    pub label: Option<String>,
    /// What Asterisk does about it and how to fix it.
    pub help: Option<String>,
    /// Asterisk's own log lines for this problem, verbatim.
    pub asterisk: Vec<LogLine>,
}

impl Diagnostic {
    pub fn new(code: Code, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span: None,
            label: None,
            help: None,
            asterisk: Vec::new(),
        }
    }

    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Note, message)
    }

    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_log(mut self, line: LogLine) -> Self {
        self.asterisk.push(line);
        self
    }

    /// `file:line:col: severity[code]: message`, the `--format short` line.
    pub fn short(&self, sources: &SourceMap) -> String {
        let place = match self.span {
            Some(span) => sources.location(span),
            None => String::from("<config>"),
        };
        format!(
            "{place}: {}[{}]: {}",
            self.severity, self.code, self.message
        )
    }
}

/// The worst severity in a list, if any.
pub fn worst(diags: &[Diagnostic]) -> Option<Severity> {
    diags.iter().map(|d| d.severity).min()
}
