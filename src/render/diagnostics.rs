//! Rendering diagnostics for people (miette, with the source line and a caret) and for tools
//! (`--format short`: one `file:line:col: severity[code]: message` line each).

use super::snippet::Snippet;
use super::wrap;
use dialplan::diag::{Diagnostic, Severity};
use dialplan::source::{FileId, SourceFile, SourceMap, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    NamedSource, SourceCode, SourceSpan, SpanContents, ThemeCharacters,
};
use std::collections::HashMap;
use std::fmt;

/// Whether rendered output may use colour and Unicode drawing (only on a terminal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Terminal,
}

/// Renders one diagnostic with its source line, caret, help and Asterisk's own log lines.
pub fn render_rich(diag: &Diagnostic, sources: &SourceMap, style: Style) -> String {
    Renderer::new(style).render(diag, sources)
}

/// Renders a list of diagnostics in the chosen format, one block (or line) each.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap, format: Format) -> String {
    // Room for the usual size up front: growing a large text by doubling copies it into fresh memory.
    let per_diagnostic = match format {
        Format::Rich(_) => 1024,
        Format::Short => 128,
    };
    let mut out = String::with_capacity(diags.len() * per_diagnostic);
    let mut rich = match format {
        Format::Rich(style) => Some(Renderer::new(style)),
        Format::Short => None,
    };
    for d in diags {
        match &mut rich {
            None => out.push_str(&d.short(sources)),
            Some(r) => out.push_str(&r.render(d, sources)),
        }
        out.push('\n');
    }
    out
}

/// Rich rendering of many diagnostics: one miette handler, windows into the files, each distinct help
/// text wrapped once (many diagnostics share their help), and messages wrapped by [`wrap::wrap_plain`]
/// (wrapping was most of miette's work).
struct Renderer {
    /// Wraps at spaces: help footers, and the messages `wrap_plain` leaves to textwrap.
    wrapping: GraphicalReportHandler,
    /// The same handler without wrapping, for messages already wrapped: it indents each line as the
    /// wrapping one would.
    prewrapped: GraphicalReportHandler,
    /// Display widths of the message's first-line indent (`  ⚠ `) per severity, and of the others' (`  │ `).
    indents: Indents,
    /// The theme's characters when snippets are written without miette (`None`: in colour, by miette).
    plain_chars: Option<ThemeCharacters>,
    windows: Windows,
    /// Help text → the footer miette writes for it (`None`: it could not be told apart, render whole).
    footers: HashMap<String, Option<String>>,
}

/// The columns miette's message indents take (the same with or without colour).
struct Indents {
    error: usize,
    warning: usize,
    advice: usize,
    rest: usize,
}

/// The width miette is given; it wraps messages two columns narrower.
const WIDTH: usize = 110;

impl Renderer {
    fn new(style: Style) -> Self {
        let theme = match style {
            Style::Plain => GraphicalTheme::unicode_nocolor(),
            Style::Terminal => GraphicalTheme::unicode(),
        };
        // miette's indents are two spaces, the icon and a space.
        let indent = |icon: &str| 3 + textwrap::core::display_width(icon);
        let plain_chars = (style == Style::Plain).then(|| theme.characters.clone());
        let chars = &theme.characters;
        let indents = Indents {
            error: indent(&chars.error),
            warning: indent(&chars.warning),
            advice: indent(&chars.advice),
            rest: indent(chars.vbar.encode_utf8(&mut [0; 4])),
        };
        // Words end at spaces only: a path or `Goto(a,b,c)` is never cut at a `/` or `,`, and the fast
        // wrapper gives exactly these lines.
        let wrapping = GraphicalReportHandler::new_themed(theme)
            .with_width(WIDTH)
            .with_word_separator(textwrap::WordSeparator::AsciiSpace);
        Renderer {
            prewrapped: wrapping.clone().with_wrap_lines(false),
            wrapping,
            indents,
            plain_chars,
            windows: Windows::default(),
            footers: HashMap::new(),
        }
    }

    fn render(&mut self, diag: &Diagnostic, sources: &SourceMap) -> String {
        // miette writes the help last (after the snippet, with nothing after it for these reports), and it
        // depends on the help text alone: the report is rendered without it and the footer appended.
        let footer = diag.help.as_deref().map(|help| self.footer(help));
        // Whether miette must write the help itself (it could not be cut out), and so all before it.
        let help_in_place = matches!(footer, Some(None));
        // Plain output of a snippet whose line breaks miette counts as the source map does: written
        // without miette.
        let snippet = match (&self.plain_chars, diag.span, &diag.label) {
            (Some(_), Some(span), Some(label)) if !help_in_place => {
                let file = sources.file(span.file);
                (!self.windows.has_lone_cr(span.file, file))
                    .then(|| Snippet::simple(file, span, label))
                    .flatten()
            }
            _ => None,
        };
        let mut report = match &snippet {
            // miette renders the report without its snippet, which is added below.
            Some(_) => Report::without_source(diag),
            None => Report::new(diag, sources, &mut self.windows),
        };
        if !help_in_place {
            report.help = None;
        }
        let first = match diag.severity {
            Severity::Error => self.indents.error,
            Severity::Warning => self.indents.warning,
            Severity::Note => self.indents.advice,
        };
        let prewrapped = match help_in_place {
            // A help left in the report is wrapped by miette, with the message.
            true => None,
            false => wrap::wrap_plain(&report.message, WIDTH - 2, first, self.indents.rest),
        };
        let handler = match prewrapped {
            Some(lines) => {
                report.message = lines.join("\n");
                &self.prewrapped
            }
            None => &self.wrapping,
        };
        let mut out = String::new();
        if handler.render_report(&mut out, &report).is_err() {
            out = diag.short(sources);
        } else {
            if let (Some(snippet), Some(chars)) = (&snippet, &self.plain_chars) {
                snippet.write(chars, &mut out);
            }
            if let Some(Some(f)) = footer {
                out.push_str(&f);
            }
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

    /// What miette writes for `help`: a report with it minus the same report without it.
    fn footer(&mut self, help: &str) -> Option<String> {
        if let Some(f) = self.footers.get(help) {
            return f.clone();
        }
        let mut probe = Report {
            code: String::from("probe"),
            severity: Severity::Note,
            message: String::from("probe"),
            help: Some(help.to_string()),
            source: None,
            label: None,
        };
        let mut with = String::new();
        let mut without = String::new();
        let rendered = self.wrapping.render_report(&mut with, &probe).is_ok() && {
            probe.help = None;
            self.wrapping.render_report(&mut without, &probe).is_ok()
        };
        let footer = rendered
            .then(|| with.strip_prefix(&without).map(str::to_string))
            .flatten();
        self.footers.insert(help.to_string(), footer.clone());
        footer
    }
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
    source: Option<NamedSource<Window>>,
    label: Option<LabeledSpan>,
}

impl Report {
    fn new(diag: &Diagnostic, sources: &SourceMap, windows: &mut Windows) -> Self {
        let mut report = Report::without_source(diag);
        if let Some(span) = diag.span {
            let file = sources.file(span.file);
            let window = windows.around(span.file, file, span);
            let start = span.start as usize - window.base_offset;
            let at = SourceSpan::new(start.into(), span.len());
            report.source = Some(NamedSource::new(file.path.display().to_string(), window));
            report.label = Some(LabeledSpan::new_with_span(diag.label.clone(), at));
        }
        report
    }

    /// The report without its snippet.
    fn without_source(diag: &Diagnostic) -> Self {
        Report {
            code: diag.code.to_string(),
            severity: diag.severity,
            message: diag.message.clone(),
            help: diag.help.clone(),
            source: None,
            label: None,
        }
    }
}

/// The lines of a file around a diagnostic, which is all miette reads (it shows one line of context each
/// side). Handing miette the whole file instead made it copy and scan the file from its start for every
/// diagnostic: minutes for a thousand diagnostics in a 10 MB dialplan.
struct Window {
    text: String,
    /// Where `text` starts in the file, and how many lines come before it.
    base_offset: usize,
    base_line: usize,
}

/// Lines kept on each side of a diagnostic's lines: more than miette's one line of context.
const WINDOW_MARGIN: u32 = 3;

/// Builds [`Window`]s, remembering per file whether windows can be used.
#[derive(Default)]
struct Windows {
    /// Per file: whether it holds a `\r` outside `\r\n`, which miette counts as a line break of its own (the
    /// line numbers of a window would then differ): such a file is given whole, as before.
    has_cr: Vec<Option<bool>>,
}

impl Windows {
    /// Whether `file` holds a `\r` outside `\r\n` (looked at once per file).
    fn has_lone_cr(&mut self, id: FileId, file: &SourceFile) -> bool {
        let idx = id.0 as usize;
        if self.has_cr.len() <= idx {
            self.has_cr.resize(idx + 1, None);
        }
        *self.has_cr[idx].get_or_insert_with(|| has_lone_cr(file.text.as_bytes()))
    }

    fn around(&mut self, id: FileId, file: &SourceFile, span: Span) -> Window {
        let whole = || Window {
            text: file.text.to_string(),
            base_offset: 0,
            base_line: 0,
        };
        if self.has_lone_cr(id, file)
            || span.end as usize > file.text.len()
            || span.start > span.end
        {
            return whole();
        }
        let first = file.line_col(span.start).line;
        let last = file.line_col(span.end).line;
        let from = first.saturating_sub(WINDOW_MARGIN).max(1);
        let (Some(start), end) = (
            file.line_start(from),
            file.line_start(last.saturating_add(WINDOW_MARGIN + 1))
                .unwrap_or(file.text.len()),
        ) else {
            return whole();
        };
        match file.text.get(start..end) {
            Some(text) => Window {
                text: text.to_string(),
                base_offset: start,
                base_line: from as usize - 1,
            },
            None => whole(),
        }
    }
}

/// Whether `text` holds a `\r` that is not the start of a `\r\n`.
fn has_lone_cr(text: &[u8]) -> bool {
    // Most files have no `\r` at all: one fast (vectorised) search answers for them.
    memchr::memchr(b'\r', text).is_some()
        && text
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\r' && text.get(i + 1) != Some(&b'\n'))
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            inner.line() + self.base_line,
            inner.column(),
            inner.line_count() + self.base_line,
        )))
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

#[cfg(test)]
mod tests {
    use super::*;
    use dialplan::diag::Code;
    use std::sync::Arc;

    /// A window around the diagnostic renders exactly as the whole file does.
    #[test]
    fn windows_render_as_the_whole_file() {
        for eol in ["\n", "\r\n"] {
            windows_render_as_the_whole_file_with(eol);
        }
        assert!(!has_lone_cr(b"a\r\nb\r\n"));
        assert!(has_lone_cr(b"a\rb\n"));
        assert!(has_lone_cr(b"a\r"));
    }

    proptest::proptest! {
        /// A snippet written without miette is the one miette writes.
        #[test]
        fn snippets_written_directly_are_miettes(
            lines in proptest::collection::vec("[ -~]{0,30}|[ a-z\t\u{e9}]{0,10}", 1..8),
            line in 0usize..8,
            from in 0usize..40,
            len in 0usize..40,
            label in "[ -~]{0,12}",
            message in "[ -~]{1,150}",
        ) {
            let text = lines.join("\n") + "\n";
            let line = line.min(lines.len() - 1);
            let start = lines[..line].iter().map(|l| l.len() + 1).sum::<usize>();
            let at = (start + from.min(lines[line].len())).min(text.len());
            let end = (at + len).min(text.len());
            let mut sources = SourceMap::new();
            let id = sources.add("dir/extensions.conf".into(), Arc::new(text.clone()), None);
            let d = Diagnostic::warning(Code("test/snippet"), message)
                .with_span(Span::new(id, at, end))
                .with_label(label)
                .with_help("a help");
            let mut miette_only = Renderer::new(Style::Plain);
            miette_only.plain_chars = None;
            proptest::prop_assert_eq!(
                render_rich(&d, &sources, Style::Plain),
                miette_only.render(&d, &sources)
            );
        }
    }

    fn windows_render_as_the_whole_file_with(eol: &str) {
        let mut text = format!("[ctx]{eol}");
        for i in 0..40 {
            text.push_str(&format!("exten => {i},1,NoOp(line {i}){eol}"));
        }
        text.push_str("exten => last,1,Hangup()");
        let mut sources = SourceMap::new();
        let id = sources.add("extensions.conf".into(), Arc::new(text.clone()), None);
        let line = |n: u32| sources.file(id).line_start(n).unwrap_or(text.len());
        let spans = [
            (0, 5),
            (line(2), line(2) + 5),
            (line(20) + 3, line(22) + 4),
            (line(42), text.len()),
            (text.len(), text.len()),
        ];
        for (a, b) in spans {
            let d = Diagnostic::warning(Code("test/window"), "a message")
                .with_span(Span::new(id, a, b))
                .with_label("here")
                .with_help("a help");
            let windowed = render_rich(&d, &sources, Style::Plain);
            let mut whole = Renderer::new(Style::Plain);
            whole.windows.has_cr = vec![Some(true)];
            let expected = whole.render(&d, &sources);
            assert_eq!(windowed, expected, "span {a}..{b}");
            // The footer of a help text is cut out once and reused; with the help rendered in place the
            // report is the same.
            let mut plain = Renderer::new(Style::Plain);
            plain.footers.insert(String::from("a help"), None);
            assert_eq!(plain.render(&d, &sources), expected, "span {a}..{b}");
        }
    }
}
