//! The SVG writer: the [`Timeline`] drawn on the [`Scale`] of [`super::layout`], as plain SVG 1.1 text
//! (no script, no external font or stylesheet), with a `<title>` on every shape so a browser shows the
//! full text on hover.

use super::layout::{self, human, Scale, AXIS_W, CHANNEL_W, NOTES_W, ROW_H, SPACE_W};
use super::model::{MarkKind, SoundKind, Timeline};
use dialplan::engine::event::clock_text;
use std::fmt::Write;
use std::time::Duration;

/// The picture of `timeline`, titled `title`.
pub fn render(timeline: &Timeline, title: &str) -> String {
    Drawing::new(timeline).svg(title)
}

/// A column of the picture.
#[derive(Clone, Debug, PartialEq)]
enum Col {
    Channel(usize),
    /// (lot index, space).
    Space(usize, String),
}

/// One line of text at an instant in a column.
struct Item {
    time: Duration,
    col: usize,
    text: String,
    class: &'static str,
    title: String,
}

/// A diagnostic or warning drawn in the notes column.
struct Callout {
    time: Duration,
    /// The column its leader line starts from, if it concerns a channel.
    col: Option<usize>,
    head: String,
    text: String,
}

struct Drawing<'a> {
    t: &'a Timeline,
    cols: Vec<Col>,
    xs: Vec<f64>,
    items: Vec<Item>,
    callouts: Vec<Callout>,
    scale: Scale,
    /// Row of each item within its block and column.
    rows: Vec<usize>,
}

// The order of same-instant lines on a lane: a state change, a parking timeout, leaving a bridge, the
// comeback, the priority, the sound it starts, joining a bridge, other marks, the hangup.
const ORDER_STATE: u8 = 0;
const ORDER_TIMEOUT: u8 = 1;
const ORDER_LEAVE: u8 = 2;
const ORDER_COMEBACK: u8 = 3;
const ORDER_STEP: u8 = 4;
const ORDER_SOUND: u8 = 5;
const ORDER_ENTER: u8 = 6;
const ORDER_MARK: u8 = 7;
const ORDER_HANGUP: u8 = 8;

/// Characters that fit on one line of a channel column.
const CHANNEL_CHARS: usize = 37;
const SPACE_CHARS: usize = 23;
const NOTE_CHARS: usize = 52;
/// Colours of successive bridges.
const BRIDGE_COLOURS: [&str; 6] = [
    "#7b3fbf", "#c0392b", "#16a085", "#d35400", "#2c3e50", "#8e44ad",
];

impl<'a> Drawing<'a> {
    fn new(t: &'a Timeline) -> Drawing<'a> {
        let mut cols = Vec::new();
        for d in &t.devices {
            for &c in &d.channels {
                cols.push(Col::Channel(c));
            }
        }
        for (li, lot) in t.lots.iter().enumerate() {
            let mut spaces: Vec<&str> = lot.stays.iter().map(|s| s.space.as_str()).collect();
            spaces.sort_by_key(|s| (s.len(), s.to_string()));
            spaces.dedup();
            for s in spaces {
                cols.push(Col::Space(li, s.to_string()));
            }
        }
        let mut xs = Vec::with_capacity(cols.len());
        let mut x = AXIS_W;
        for c in &cols {
            xs.push(x);
            x += match c {
                Col::Channel(_) => CHANNEL_W,
                Col::Space(..) => SPACE_W,
            };
        }
        let mut d = Drawing {
            t,
            cols,
            xs,
            items: Vec::new(),
            callouts: Vec::new(),
            scale: Scale::default(),
            rows: Vec::new(),
        };
        d.collect();
        d.place();
        d
    }

    fn chan_col(&self, name: &str) -> Option<usize> {
        self.cols.iter().position(|c| match c {
            Col::Channel(i) => self.t.channels[*i].name == name,
            Col::Space(..) => false,
        })
    }

    fn space_col(&self, lot: &str, space: &str) -> Option<usize> {
        self.cols.iter().position(|c| match c {
            Col::Space(l, s) => self.t.lots[*l].name == lot && s == space,
            Col::Channel(_) => false,
        })
    }

    fn push(
        &mut self,
        time: Duration,
        col: usize,
        text: String,
        class: &'static str,
        title: String,
    ) {
        self.items.push(Item {
            time,
            col,
            text,
            class,
            title,
        });
    }

    /// Every line of text, in event order within each column.
    fn collect(&mut self) {
        let t = self.t;
        for (ci, lane) in t.channels.iter().enumerate() {
            let Some(col) = self.cols.iter().position(|c| *c == Col::Channel(ci)) else {
                continue;
            };
            let mut lines: Vec<(Duration, u8, String, &'static str, String)> = Vec::new();
            for (i, (time, state)) in lane.states.iter().enumerate() {
                let text = if i == 0 {
                    format!("created ({state})")
                } else {
                    format!("state {state}")
                };
                lines.push((*time, ORDER_STATE, text.clone(), "state", text));
            }
            for s in &lane.steps {
                let text = format!("{} {}({})", s.location(), s.app, s.data);
                lines.push((
                    s.time,
                    ORDER_STEP,
                    text.clone(),
                    "step",
                    format!("Executing [{text}]"),
                ));
            }
            for s in &lane.sounds {
                let (text, class, title) = match &s.kind {
                    SoundKind::Prompt { name, from } => (
                        format!("hears '{name}'"),
                        "prompt",
                        format!(
                            "{} hears prompt '{name}' played by {from} for {}",
                            lane.name,
                            human(s.end - s.start)
                        ),
                    ),
                    SoundKind::Moh { class } => (
                        format!("hears music on hold ({class})"),
                        "moh",
                        format!(
                            "{} hears music on hold, class '{class}', for {}",
                            lane.name,
                            human(s.end - s.start)
                        ),
                    ),
                    SoundKind::Dtmf { .. } => continue,
                };
                lines.push((s.start, ORDER_SOUND, text, class, title));
            }
            for b in &t.bridges {
                for m in b.members.iter().filter(|m| m.channel == lane.name) {
                    let short = short_id(&b.id);
                    lines.push((
                        m.enter,
                        ORDER_ENTER,
                        format!("joins {} bridge {short}", b.kind),
                        "bridge",
                        format!(
                            "{} joins {} bridge {} ({})",
                            lane.name, b.kind, b.id, b.technology
                        ),
                    ));
                    if let Some(leave) = m.leave {
                        lines.push((
                            leave,
                            ORDER_LEAVE,
                            format!("leaves {} bridge {short}", b.kind),
                            "bridge",
                            format!("{} leaves {} bridge {}", lane.name, b.kind, b.id),
                        ));
                    }
                }
            }
            for m in t
                .marks
                .iter()
                .filter(|m| m.channel.as_deref() == Some(&lane.name))
            {
                let (text, class, order) = match &m.kind {
                    MarkKind::Dtmf(d) => (format!("DTMF '{d}'"), "dtmf", ORDER_MARK),
                    MarkKind::Feature(f) => (format!("feature: {f}"), "feature", ORDER_MARK),
                    MarkKind::Timeout { lot, space } => (
                        format!("parking timeout ({lot} {space})"),
                        "timeout",
                        ORDER_TIMEOUT,
                    ),
                    MarkKind::Comeback(loc) => {
                        (format!("comes back at {loc}"), "timeout", ORDER_COMEBACK)
                    }
                    MarkKind::Diagnostic { code, .. } => {
                        (format!("note: {code}"), "diag", ORDER_MARK)
                    }
                    MarkKind::Warning(_) => continue,
                };
                lines.push((m.time, order, text.clone(), class, text));
            }
            if let Some(end) = lane.end {
                let cause = lane.cause.clone().unwrap_or_default();
                let text = format!("hangup ({cause})");
                lines.push((
                    end,
                    ORDER_HANGUP,
                    text.clone(),
                    "hangup",
                    format!("{} {text}", lane.name),
                ));
            }
            // Same-instant lines follow the order in which Asterisk does things (see `ORDER_*`).
            lines.sort_by_key(|l| (l.0, l.1));
            for (time, _, text, class, title) in lines {
                self.push(time, col, text, class, title);
            }
        }
        for lot in &t.lots {
            for s in &lot.stays {
                let Some(col) = self.space_col(&lot.name, &s.space) else {
                    continue;
                };
                self.push(
                    s.start,
                    col,
                    format!("parked {}", s.channel),
                    "park",
                    format!(
                        "{} parked in '{}' at space {}",
                        s.channel, lot.name, s.space
                    ),
                );
                if let Some(end) = s.end {
                    self.push(
                        end,
                        col,
                        s.outcome.text().to_string(),
                        "park",
                        format!(
                            "{}: {} after {}",
                            s.space,
                            s.outcome.text(),
                            human(end - s.start)
                        ),
                    );
                }
            }
        }
        for m in &t.marks {
            let col = m.channel.as_deref().and_then(|c| self.chan_col(c));
            match &m.kind {
                MarkKind::Diagnostic { code, message } => self.callouts.push(Callout {
                    time: m.time,
                    col,
                    head: format!("{} dialsim [{code}]", clock_text(m.time)),
                    text: message.clone(),
                }),
                MarkKind::Warning(line) => self.callouts.push(Callout {
                    time: m.time,
                    col,
                    head: format!("{} Asterisk", clock_text(m.time)),
                    text: line.clone(),
                }),
                _ => {}
            }
        }
    }

    /// The time scale and each item's row.
    fn place(&mut self) {
        let mut times: Vec<Duration> = self.items.iter().map(|i| i.time).collect();
        let t = self.t;
        times.push(Duration::ZERO);
        times.push(t.end);
        for lane in &t.channels {
            times.extend(lane.sounds.iter().map(|s| s.end));
        }
        times.extend(self.callouts.iter().map(|c| c.time));
        let items = &self.items;
        self.scale = Scale::new(&times, |time| {
            let mut counts = vec![0usize; self.cols.len()];
            for i in items.iter().filter(|i| i.time == time) {
                counts[i.col] += 1;
            }
            counts.into_iter().max().unwrap_or(0)
        });
        let mut next: Vec<(Duration, usize, usize)> = Vec::new();
        self.rows = Vec::with_capacity(items.len());
        for i in items {
            let row = match next
                .iter_mut()
                .find(|(t, c, _)| *t == i.time && *c == i.col)
            {
                Some(slot) => {
                    slot.2 += 1;
                    slot.2
                }
                None => {
                    next.push((i.time, i.col, 0));
                    0
                }
            };
            self.rows.push(row);
        }
    }

    fn lane_x(&self, col: usize) -> f64 {
        self.xs[col] + 14.0
    }

    fn svg(&self, title: &str) -> String {
        let notes_x = self.xs.last().map_or(AXIS_W, |_| {
            self.xs[self.cols.len() - 1]
                + match self.cols[self.cols.len() - 1] {
                    Col::Channel(_) => CHANNEL_W,
                    Col::Space(..) => SPACE_W,
                }
        }) + 16.0;
        let width = notes_x + NOTES_W + 10.0;
        let mut body = String::new();
        let mut callout_bottom = self.draw_callouts(&mut body, notes_x);
        callout_bottom = callout_bottom.max(self.scale.bottom());
        let legend_top = callout_bottom + 30.0;
        let legend = self.legend(legend_top);
        let height = legend_top + legend.1 + 20.0;

        let mut out = String::with_capacity(64 * 1024);
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"11\">"
        );
        let _ = writeln!(out, "<title>{}</title>", esc(title));
        out.push_str(STYLE);
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
        );
        let _ = writeln!(
            out,
            "<text x=\"8\" y=\"16\" class=\"h1\">{}</text>",
            esc(title)
        );
        self.draw_headers(&mut out, notes_x);
        self.draw_axis(&mut out, notes_x);
        self.draw_lanes(&mut out);
        self.draw_bridges(&mut out);
        self.draw_sounds(&mut out);
        self.draw_stays(&mut out);
        self.draw_items(&mut out);
        out.push_str(&body);
        out.push_str(&legend.0);
        out.push_str("</svg>\n");
        out
    }

    fn draw_headers(&self, out: &mut String, notes_x: f64) {
        let mut ci = 0;
        for d in &self.t.devices {
            let x = self.xs[ci];
            let w = d.channels.len() as f64 * CHANNEL_W - 6.0;
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"24\" width=\"{w:.1}\" height=\"40\" class=\"dev\"><title>device {}</title></rect>",
                esc(&d.name)
            );
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"37\" class=\"devname\">{}</text>",
                x + 4.0,
                esc(&truncate(&d.name, d.channels.len() * CHANNEL_CHARS))
            );
            for &c in &d.channels {
                let x = self.xs[ci];
                let name = &self.t.channels[c].name;
                let short = match name.rfind(';') {
                    Some(i) if name.starts_with("Local/") => format!("…{}", &name[i..]),
                    _ => name.clone(),
                };
                let _ = writeln!(
                    out,
                    "<text x=\"{:.1}\" y=\"56\" class=\"chan\">{}<title>{}</title></text>",
                    x + 4.0,
                    esc(&truncate(&short, CHANNEL_CHARS)),
                    esc(name)
                );
                ci += 1;
            }
        }
        for (li, lot) in self.t.lots.iter().enumerate() {
            let first = self
                .cols
                .iter()
                .position(|c| matches!(c, Col::Space(l, _) if *l == li));
            let Some(first) = first else { continue };
            let n = self
                .cols
                .iter()
                .filter(|c| matches!(c, Col::Space(l, _) if *l == li))
                .count();
            let x = self.xs[first];
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"24\" width=\"{:.1}\" height=\"40\" class=\"lot\"><title>parking lot {}</title></rect>",
                n as f64 * SPACE_W - 6.0,
                esc(&lot.name)
            );
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"37\" class=\"devname\">parking lot '{}'</text>",
                x + 4.0,
                esc(&truncate(&lot.name, n * SPACE_CHARS))
            );
            for (k, c) in self.cols.iter().enumerate() {
                if let Col::Space(l, s) = c {
                    if *l == li {
                        let _ = writeln!(
                            out,
                            "<text x=\"{:.1}\" y=\"56\" class=\"chan\">space {}</text>",
                            self.xs[k] + 4.0,
                            esc(s)
                        );
                    }
                }
            }
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"56\" class=\"devname\">notes</text>",
            notes_x
        );
    }

    fn draw_axis(&self, out: &mut String, notes_x: f64) {
        let mut last_label = f64::MIN;
        for b in &self.scale.blocks {
            // An instant that only ends something gets no label of its own, and labels never overlap.
            if b.rows == 0 || b.top < last_label + ROW_H {
                continue;
            }
            last_label = b.top;
            let _ = writeln!(
                out,
                "<line x1=\"0\" y1=\"{0:.1}\" x2=\"{1:.1}\" y2=\"{0:.1}\" class=\"grid\"/>",
                b.top,
                notes_x - 8.0
            );
            let _ = writeln!(
                out,
                "<text x=\"6\" y=\"{:.1}\" class=\"time\">{}</text>",
                b.top + 11.0,
                clock_text(b.time)
            );
        }
        for br in &self.scale.breaks {
            let y = br.y;
            let mut path = format!("M0 {:.1}", y + 6.0);
            let mut x = 0.0;
            let mut up = true;
            while x < notes_x {
                x += 12.0;
                let _ = write!(path, " L{x:.1} {:.1}", if up { y } else { y + 12.0 });
                up = !up;
            }
            let _ = writeln!(
                out,
                "<rect x=\"0\" y=\"{y:.1}\" width=\"{notes_x:.1}\" height=\"{:.1}\" class=\"breakbg\"/>",
                layout::BREAK_H
            );
            let _ = writeln!(out, "<path d=\"{path}\" class=\"break\"/>");
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"breaktext\">⋯ {} later (wait compressed) ⋯</text>",
                AXIS_W,
                y + 27.0,
                human(br.to - br.from)
            );
        }
    }

    fn draw_lanes(&self, out: &mut String) {
        for (col, c) in self.cols.iter().enumerate() {
            let Col::Channel(ci) = c else { continue };
            let lane = &self.t.channels[*ci];
            let x = self.lane_x(col);
            let start = self.scale.y(lane.start);
            let end = self.scale.y(lane.end.unwrap_or(self.t.end)) + ROW_H;
            let up = lane
                .states
                .iter()
                .find(|(_, s)| s == "Up")
                .map(|(t, _)| self.scale.y(*t));
            let solid_from = up.unwrap_or(end).min(end);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{start:.1}\" x2=\"{x:.1}\" y2=\"{solid_from:.1}\" class=\"lane-pre\"><title>{} before answer</title></line>",
                esc(&lane.name)
            );
            if solid_from < end {
                let _ = writeln!(
                    out,
                    "<line x1=\"{x:.1}\" y1=\"{solid_from:.1}\" x2=\"{x:.1}\" y2=\"{end:.1}\" class=\"lane-up\"><title>{} up</title></line>",
                    esc(&lane.name)
                );
            }
            if lane.end.is_some() {
                let _ = writeln!(
                    out,
                    "<path d=\"M{:.1} {:.1} l8 8 m0 -8 l-8 8\" class=\"hangup-x\"/>",
                    x - 4.0,
                    end - 4.0
                );
            }
        }
    }

    fn draw_bridges(&self, out: &mut String) {
        for (bi, b) in self.t.bridges.iter().enumerate() {
            let colour = BRIDGE_COLOURS[bi % BRIDGE_COLOURS.len()];
            for (mi, m) in b.members.iter().enumerate() {
                let Some(col) = self.chan_col(&m.channel) else {
                    continue;
                };
                let x = self.lane_x(col) - 6.0;
                let y1 = self.scale.y(m.enter);
                let y2 = self.scale.y(m.leave.unwrap_or(self.t.end));
                let _ = writeln!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{y1:.1}\" width=\"3\" height=\"{:.1}\" fill=\"{colour}\" opacity=\"0.7\"><title>{} in {} bridge {}</title></rect>",
                    (y2 - y1).max(1.0),
                    esc(&m.channel),
                    esc(&b.kind),
                    esc(&b.id)
                );
                // A connector from the channel that joins to everyone already there.
                for other in b.members[..mi]
                    .iter()
                    .filter(|o| o.enter <= m.enter && o.leave.is_none_or(|l| l > m.enter))
                {
                    let Some(oc) = self.chan_col(&other.channel) else {
                        continue;
                    };
                    let ox = self.lane_x(oc);
                    let y = y1 + 4.0;
                    let _ = writeln!(
                        out,
                        "<line x1=\"{ox:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" class=\"connector\"><title>{} bridge {}: {} and {}</title></line>",
                        self.lane_x(col),
                        esc(&b.kind),
                        esc(&b.id),
                        esc(&other.channel),
                        esc(&m.channel)
                    );
                }
            }
        }
    }

    fn draw_sounds(&self, out: &mut String) {
        for (col, c) in self.cols.iter().enumerate() {
            let Col::Channel(ci) = c else { continue };
            let lane = &self.t.channels[*ci];
            let x = self.lane_x(col) + 4.0;
            for s in &lane.sounds {
                let y1 = self.scale.y(s.start);
                let y2 = self.scale.y(s.end).max(y1 + 3.0);
                let (class, what) = match &s.kind {
                    SoundKind::Prompt { name, from } => {
                        ("snd-prompt", format!("prompt '{name}' from {from}"))
                    }
                    SoundKind::Moh { class } => ("snd-moh", format!("music on hold ({class})")),
                    SoundKind::Dtmf { digit } => ("snd-dtmf", format!("DTMF '{digit}'")),
                };
                let _ = writeln!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{y1:.1}\" width=\"6\" height=\"{:.1}\" class=\"{class}\"><title>{}: {} from {} to {}</title></rect>",
                    y2 - y1,
                    esc(&lane.name),
                    esc(&what),
                    clock_text(s.start),
                    clock_text(s.end)
                );
            }
        }
    }

    fn draw_stays(&self, out: &mut String) {
        for lot in &self.t.lots {
            for s in &lot.stays {
                let Some(col) = self.space_col(&lot.name, &s.space) else {
                    continue;
                };
                let x = self.xs[col] + 8.0;
                let y1 = self.scale.y(s.start);
                let y2 = self.scale.y(s.end.unwrap_or(self.t.end)).max(y1 + 3.0);
                let _ = writeln!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{y1:.1}\" width=\"8\" height=\"{:.1}\" class=\"stay\"><title>space {} of '{}': {} ({})</title></rect>",
                    y2 - y1,
                    esc(&s.space),
                    esc(&lot.name),
                    esc(&s.channel),
                    s.outcome.text()
                );
                if let Some(pc) = self.chan_col(&s.channel) {
                    let _ = writeln!(
                        out,
                        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" class=\"parkline\"><title>{} parked at {}</title></line>",
                        self.lane_x(pc),
                        y1 + 4.0,
                        y1 + 4.0,
                        esc(&s.channel),
                        esc(&s.space)
                    );
                }
            }
        }
    }

    fn draw_items(&self, out: &mut String) {
        for (i, item) in self.items.iter().enumerate() {
            let (x, chars) = match self.cols[item.col] {
                Col::Channel(_) => (self.lane_x(item.col) + 14.0, CHANNEL_CHARS),
                Col::Space(..) => (self.xs[item.col] + 20.0, SPACE_CHARS),
            };
            let y = self.scale.row_y(item.time, self.rows[i]) + 11.0;
            let _ = writeln!(
                out,
                "<text x=\"{x:.1}\" y=\"{y:.1}\" class=\"{}\">{}<title>{} {}</title></text>",
                item.class,
                esc(&truncate(&item.text, chars)),
                clock_text(item.time),
                esc(&item.title)
            );
        }
    }

    /// Draws the callouts; returns the bottom of the last one.
    fn draw_callouts(&self, out: &mut String, notes_x: f64) -> f64 {
        let mut next_free = layout::TOP;
        for c in &self.callouts {
            let anchor = self.scale.y(c.time);
            let top = anchor.max(next_free);
            let mut lines = vec![c.head.clone()];
            lines.extend(wrap(&c.text, NOTE_CHARS));
            let h = lines.len() as f64 * ROW_H + 8.0;
            let _ = writeln!(
                out,
                "<rect x=\"{notes_x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{h:.1}\" rx=\"4\" class=\"callout\"/>",
                NOTES_W
            );
            let from_x = c.col.map_or(AXIS_W - 4.0, |col| self.lane_x(col));
            let _ = writeln!(
                out,
                "<path d=\"M{from_x:.1} {:.1} L{notes_x:.1} {:.1}\" class=\"leader\"/>",
                anchor + 4.0,
                top + 10.0
            );
            let _ = writeln!(
                out,
                "<circle cx=\"{from_x:.1}\" cy=\"{:.1}\" r=\"3\" class=\"diagdot\"/>",
                anchor + 4.0
            );
            for (k, l) in lines.iter().enumerate() {
                let class = if k == 0 { "callhead" } else { "calltext" };
                let _ = writeln!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" class=\"{class}\">{}</text>",
                    notes_x + 6.0,
                    top + 15.0 + k as f64 * ROW_H,
                    esc(l)
                );
            }
            next_free = top + h + 6.0;
        }
        next_free
    }

    /// The legend (bridges and lots with their full ids) and its height.
    fn legend(&self, top: f64) -> (String, f64) {
        let mut out = String::new();
        let mut y = top;
        let _ = writeln!(
            out,
            "<text x=\"8\" y=\"{y:.1}\" class=\"devname\">bridges</text>"
        );
        y += ROW_H;
        if self.t.bridges.is_empty() {
            let _ = writeln!(out, "<text x=\"8\" y=\"{y:.1}\">none</text>");
            y += ROW_H;
        }
        for (bi, b) in self.t.bridges.iter().enumerate() {
            let colour = BRIDGE_COLOURS[bi % BRIDGE_COLOURS.len()];
            let members: Vec<&str> = b.members.iter().map(|m| m.channel.as_str()).collect();
            let _ = writeln!(
                out,
                "<rect x=\"8\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"24\" y=\"{y:.1}\">{} bridge {} ({}), from {}: {}</text>",
                y - 9.0,
                esc(&b.kind),
                esc(&b.id),
                esc(&b.technology),
                clock_text(b.created),
                esc(&members.join(", "))
            );
            y += ROW_H;
        }
        y += 6.0;
        let _ = writeln!(
            out,
            "<text x=\"8\" y=\"{y:.1}\" class=\"devname\">key</text>"
        );
        y += ROW_H;
        let _ = writeln!(
            out,
            "<rect x=\"8\" y=\"{:.1}\" width=\"10\" height=\"10\" class=\"snd-prompt\"/><text x=\"24\" y=\"{y:.1}\">prompt heard</text><rect x=\"160\" y=\"{:.1}\" width=\"10\" height=\"10\" class=\"snd-moh\"/><text x=\"176\" y=\"{y:.1}\">music on hold</text><rect x=\"320\" y=\"{:.1}\" width=\"10\" height=\"10\" class=\"snd-dtmf\"/><text x=\"336\" y=\"{y:.1}\">DTMF</text><rect x=\"420\" y=\"{:.1}\" width=\"10\" height=\"10\" class=\"stay\"/><text x=\"436\" y=\"{y:.1}\">parked in a space</text><text x=\"620\" y=\"{y:.1}\">dashed lane: not answered yet; solid: up; ✕ hangup</text>",
            y - 9.0,
            y - 9.0,
            y - 9.0,
            y - 9.0
        );
        y += ROW_H;
        (out, y - top)
    }
}

const STYLE: &str = "<style>
text{paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}
.h1{font-size:14px;font-weight:bold}
.dev{fill:#eef3fb;stroke:#9fb3d1}
.lot{fill:#fdf3e1;stroke:#d9b26f}
.devname{font-weight:bold}
.chan{fill:#334}
.grid{stroke:#eeeeee}
.time{fill:#666}
.breakbg{fill:#f7f7f7}
.break{fill:none;stroke:#999;stroke-width:1.5}
.breaktext{fill:#555;font-style:italic}
.lane-pre{stroke:#888;stroke-width:2;stroke-dasharray:4 3}
.lane-up{stroke:#222;stroke-width:2.5}
.hangup-x{stroke:#c0392b;stroke-width:2}
.connector{stroke-width:2;stroke-dasharray:6 2}
.parkline{stroke:#d9a03f;stroke-width:2;stroke-dasharray:2 2}
.snd-prompt{fill:#2e86de}
.snd-moh{fill:#27ae60}
.snd-dtmf{fill:#e67e22}
.stay{fill:#f0b54d}
.step{fill:#111}
.state{fill:#555}
.prompt{fill:#1b5fa8}
.moh{fill:#1e8449}
.bridge{fill:#6c3483}
.dtmf{fill:#b9770e}
.feature{fill:#b9770e;font-weight:bold}
.timeout{fill:#a04000;font-weight:bold}
.diag{fill:#c0392b}
.hangup{fill:#c0392b}
.park{fill:#8a5a00}
.callout{fill:#fff8e6;stroke:#e0b050}
.leader{fill:none;stroke:#e0b050;stroke-dasharray:3 3}
.diagdot{fill:#c0392b}
.callhead{font-weight:bold;fill:#8a4b00}
.calltext{fill:#333}
</style>
";

/// The first eight characters of a bridge id (enough to tell the bridges of one run apart).
fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// Escapes text for XML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to `n` characters with an ellipsis.
fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Words of `s` in lines of at most `n` characters (a longer word gets a line of its own).
fn wrap(s: &str, n: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > n {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_wrapping() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
    }

    #[test]
    fn an_empty_timeline_is_still_a_picture() {
        let svg = render(&Timeline::default(), "empty");
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>\n"));
    }
}
