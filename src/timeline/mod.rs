//! The timeline picture of a run (`dialsim run PATH --timeline FILE.svg|FILE.html`): a view of the event
//! stream like the other renderers.
//!
//! - [`model`]: what happened to each channel, bridge and parking space, built from the events;
//! - [`layout`]: the time scale (time flows down; long waits compressed with a visible break) and sizes;
//! - [`svg`]: the picture as plain SVG;
//! - [`html`]: one page with the picture, the verbose trace linked to the configuration lines, the
//!   diagnostics and the configuration itself.

pub mod html;
pub mod layout;
pub mod model;
pub mod svg;

pub use model::Timeline;

use crate::config::LoadedConfig;
use dialplan::engine::{Event, Interest, Recorder};
use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

/// The kind of file `--timeline` writes, from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PictureKind {
    Svg,
    Html,
}

impl PictureKind {
    /// `.svg` or `.html`/`.htm` (case-insensitive); anything else is refused with a message.
    pub fn of(path: &Path) -> Result<PictureKind, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(PictureKind::Svg),
            Some("html" | "htm") => Ok(PictureKind::Html),
            _ => Err(format!(
                "dialsim: --timeline '{}' must end in .svg or .html",
                path.display()
            )),
        }
    }
}

/// A subscriber that keeps every event a picture needs (verbose lines up to `verbosity` for the page's
/// trace), and the list it fills.
pub fn recorder(verbosity: u8) -> (Recorder, Rc<RefCell<Vec<Event>>>) {
    Recorder::new(Interest {
        ami: true,
        log_verbosity: Some(verbosity),
        dialsim: true,
    })
}

/// The picture (SVG text) of a run's events.
pub fn svg_of(events: &[Event], title: &str) -> String {
    svg::render(&Timeline::from_events(events), title)
}

/// The file's text: the SVG, or the HTML page around it.
pub fn document(kind: PictureKind, events: &[Event], title: &str, config: &LoadedConfig) -> String {
    let svg = svg_of(events, title);
    match kind {
        PictureKind::Svg => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            out.push_str(&svg);
            out
        }
        PictureKind::Html => html::render(title, &svg, events, config),
    }
}
