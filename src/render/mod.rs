//! Everything dialsim prints, as views of the engine's event stream or of diagnostics.
//!
//! - [`diagnostics`]: configuration diagnostics for people and tools;
//! - [`verbose`]: Asterisk's console lines with the virtual time, dialsim's explanations set apart;
//! - [`json`]: one JSON object per event;
//! - [`ami`]: AMI event blocks as Asterisk's manager interface writes them.
//!
//! The run renderers are [`dialplan::engine::Subscriber`]s writing to a shared [`Sink`], so the command that
//! owns the sink can flush it once the run is over.

pub mod ami;
pub mod diagnostics;
pub mod json;
mod snippet;
pub mod verbose;
mod wrap;

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

/// Where a renderer writes: shared with whoever flushes it at the end.
pub type Sink = Rc<RefCell<Box<dyn Write>>>;

/// A sink writing to `w`.
pub fn sink(w: impl Write + 'static) -> Sink {
    Rc::new(RefCell::new(Box::new(w)))
}

/// A sink that collects everything in memory, and the buffer it fills (for tests and library use).
pub fn memory_sink() -> (Sink, Rc<RefCell<Vec<u8>>>) {
    let buf = Rc::new(RefCell::new(Vec::new()));
    (sink(SharedBuf(buf.clone())), buf)
}

struct SharedBuf(Rc<RefCell<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes to a sink. A reader that went away (`dialsim run | head`) is not worth a panic: its error is
/// dropped and the run finishes.
pub(crate) fn write_all(sink: &Sink, text: &str) {
    if let Ok(mut w) = sink.try_borrow_mut() {
        let _ = w.write_all(text.as_bytes());
    }
}
