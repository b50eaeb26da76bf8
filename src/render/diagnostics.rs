//! Rendering diagnostics for people (miette, with the source line and a caret) and for tools
//! (`--format short`: one `file:line:col: severity[code]: message` line each).

use dialplan::diag::{Diagnostic, Severity};
use dialplan::source::SourceMap;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

/// Whether rendered output may use colour and Unicode drawing (only on a terminal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Terminal,
}

/// Renders one diagnostic with its source line, caret, help and Asterisk's own log lines.
pub fn render_rich(diag: &Diagnostic, sources: &SourceMap, style: Style) -> String {
    let report = Report::new(diag, sources);
    let theme = match style {
        Style::Plain => GraphicalTheme::unicode_nocolor(),
        Style::Terminal => GraphicalTheme::unicode(),
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(110);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = diag.short(sources);
    }
    // Asterisk's own lines go after the report, never wrapped: they must stay verbatim.
    if !diag.asterisk.is_empty() {
        out.push_str("  Asterisk 22 logs:\n");
        for line in &diag.asterisk {
            out.push_str("    ");
            out.push_str(&line.console());
            out.push('\n');
        }
    }
    out
}

/// Renders a list of diagnostics in the chosen format, one block (or line) each.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap, format: Format) -> String {
    let mut out = String::new();
    for d in diags {
        match format {
            Format::Short => {
                out.push_str(&d.short(sources));
                out.push('\n');
            }
            Format::Rich(style) => {
                out.push_str(&render_rich(d, sources, style));
                out.push('\n');
            }
        }
    }
    out
}

/// How `check` and the other commands print diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Rich(Style),
    Short,
}

/// A one-line count such as `2 errors, 1 warning`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Note), "note")
    )
}

/// Adapter from our diagnostic to miette's trait, carrying the file text for the snippet.
struct Report {
    code: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    label: Option<LabeledSpan>,
}

impl Report {
    fn new(diag: &Diagnostic, sources: &SourceMap) -> Self {
        let help = diag.help.clone();
        let (source, label) = match diag.span {
            Some(span) => {
                let file = sources.file(span.file);
                let named =
                    NamedSource::new(file.path.display().to_string(), file.text.to_string());
                let at = SourceSpan::new((span.start as usize).into(), span.len());
                (
                    Some(named),
                    Some(LabeledSpan::new_with_span(diag.label.clone(), at)),
                )
            }
            None => (None, None),
        };
        Report {
            code: diag.code.to_string(),
            severity: diag.severity,
            message: diag.message.clone(),
            help,
            source,
            label,
        }
    }
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}
