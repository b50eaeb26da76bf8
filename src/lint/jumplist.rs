//! The list of jumps the walk collects for the target, reachability and shadow checks, kept small: a jump
//! holds its priority and extension by reference (its application, data and extension name are read from
//! them), its context as an index, and its shape as an index: how it jumps, the texts of its targets as
//! byte ranges of the priority's data (only a dynamic target's text is read again) and the locations
//! read from them. Priorities with the same data share one shape (the walk adds their jumps with
//! [`Jumps::repeat`]), so a `GotoIf(…?done)` repeated 800 times costs 24 bytes a time, not 160. A workload
//! has one jump for about every ten priorities, and each byte of the list is memory the kernel must clear
//! first. The locations stay as read: rebuilding them from byte ranges for each of the three checks cost
//! more instructions than the memory saved.

use super::goto::Branches;
use super::target::{is_dynamic, Location};
use super::Via;
use dialplan::model::{Extension, Priority};

/// Every priority that may jump (see [`Via`]), in dialplan order.
pub(super) struct Jumps<'a> {
    list: Vec<Jump<'a>>,
    /// What the jumps do ([`Jump::shape`] indexes it): one entry is shared by every priority whose jumps
    /// repeat an earlier one's text ([`Jumps::repeat`]).
    shapes: Vec<Shape<'a>>,
    /// The contexts' names, in the order the walk entered them ([`Jump::context`] indexes it).
    contexts: Vec<&'a str>,
    /// Target texts that are not part of their priority's data (every target is cut from it today; this
    /// keeps the list right whatever a caller hands it).
    texts: Vec<&'a str>,
}

/// One jump in a [`Jumps`] list (read it through [`At`]): where it is, and what it does.
struct Jump<'a> {
    extension: &'a Extension,
    priority: &'a Priority,
    context: u32,
    /// Index in [`Jumps::shapes`].
    shape: u32,
}

/// What a jump does: how it jumps, and where to. The targets are read from the priority's data, so
/// priorities with the same data share one.
struct Shape<'a> {
    via: Via,
    count: u8,
    /// Bit `i` set: target `i` is resolved at run time (has a `$`).
    dynamic: u8,
    targets: [Piece; 2],
    locations: [Option<Location<'a>>; 2],
}

/// A text of a jump: `len` bytes at `start` in the priority's data, or, with [`FOREIGN`] set in `start`,
/// the text at that index in [`Jumps::texts`].
#[derive(Clone, Copy)]
struct Piece {
    start: u32,
    len: u32,
}

const FOREIGN: u32 = 1 << 31;

impl<'a> Jumps<'a> {
    /// An empty list with room for `capacity` jumps.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Jumps {
            list: Vec::with_capacity(capacity),
            shapes: Vec::new(),
            contexts: Vec::new(),
            texts: Vec::new(),
        }
    }

    /// How many jumps there are.
    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    /// The jumps pushed from now on are in `context` (until the next call).
    pub(super) fn enter(&mut self, context: &'a str) {
        self.contexts.push(context);
    }

    /// Adds a jump of `priority` in `extension` (of the context last entered) to `targets`, read as
    /// `locations`; the texts are parts of `priority`'s data (anything else is kept aside).
    pub(super) fn push(
        &mut self,
        extension: &'a Extension,
        priority: &'a Priority,
        via: Via,
        targets: Branches<'a>,
        locations: [Option<Location<'a>>; 2],
    ) {
        let data = priority.data();
        let mut pieces = [Piece { start: 0, len: 0 }; 2];
        let mut dynamic = 0;
        for (i, (slot, text)) in pieces.iter_mut().zip(targets.iter()).enumerate() {
            *slot = self.piece(data, text);
            if is_dynamic(text) {
                dynamic |= 1 << i;
            }
        }
        self.shapes.push(Shape {
            via,
            count: targets.len() as u8,
            dynamic,
            targets: pieces,
            locations,
        });
        self.list.push(Jump {
            extension,
            priority,
            context: self.contexts.len().saturating_sub(1) as u32,
            shape: (self.shapes.len() - 1) as u32,
        });
    }

    /// Adds the `count` jumps from index `first` again, for `priority` in `extension` (of the context last
    /// entered), whose data is the same text as theirs (so their targets' byte ranges are its too).
    #[inline]
    pub(super) fn repeat(
        &mut self,
        first: usize,
        count: usize,
        extension: &'a Extension,
        priority: &'a Priority,
    ) {
        let context = self.contexts.len().saturating_sub(1) as u32;
        for i in first..first + count {
            let Some(jump) = self.list.get(i) else {
                return;
            };
            let shape = jump.shape;
            self.list.push(Jump {
                extension,
                priority,
                context,
                shape,
            });
        }
    }

    /// Each jump, in the order pushed.
    pub(super) fn iter(&self) -> impl Iterator<Item = At<'_, 'a>> {
        self.list.iter().filter_map(move |jump| {
            Some(At {
                jumps: self,
                jump,
                shape: self.shapes.get(jump.shape as usize)?,
                data: jump.priority.data(),
            })
        })
    }

    fn piece(&mut self, data: &'a str, text: &'a str) -> Piece {
        let base = data.as_ptr() as usize;
        let at = text.as_ptr() as usize;
        let inside = at >= base && at + text.len() <= base + data.len();
        if inside && data.len() < FOREIGN as usize {
            return Piece {
                start: (at - base) as u32,
                len: text.len() as u32,
            };
        }
        self.texts.push(text);
        Piece {
            start: FOREIGN | (self.texts.len() - 1) as u32,
            len: 0,
        }
    }
}

/// One jump of a [`Jumps`] list, with its texts read back.
#[derive(Clone, Copy)]
pub(super) struct At<'j, 'a> {
    jumps: &'j Jumps<'a>,
    jump: &'j Jump<'a>,
    shape: &'j Shape<'a>,
    /// The priority's data, read once for all the jump's texts.
    data: &'a str,
}

impl<'j, 'a> At<'j, 'a> {
    /// The name of the jump's context.
    pub(super) fn context(&self) -> &'a str {
        self.jumps
            .contexts
            .get(self.jump.context as usize)
            .copied()
            .unwrap_or_default()
    }

    /// The name of the jump's extension.
    pub(super) fn exten(&self) -> &'a str {
        self.jump.extension.name()
    }

    pub(super) fn extension(&self) -> &'a Extension {
        self.jump.extension
    }

    pub(super) fn priority(&self) -> &'a Priority {
        self.jump.priority
    }

    /// The application name as written.
    pub(super) fn app(&self) -> &'a str {
        self.jump.priority.app()
    }

    pub(super) fn via(&self) -> Via {
        self.shape.via
    }

    /// How many targets the jump has (at most two: a GotoIf's branches).
    pub(super) fn count(&self) -> usize {
        usize::from(self.shape.count)
    }

    /// Target `i` as written (the empty text past [`At::count`]).
    pub(super) fn target(&self, i: usize) -> &'a str {
        match self.shape.targets.get(i) {
            Some(&p) if i < self.count() => self.text(p),
            _ => "",
        }
    }

    /// Whether target `i` is resolved at run time (has a `$`).
    pub(super) fn is_dynamic(&self, i: usize) -> bool {
        i < 8 && self.shape.dynamic & (1 << i) != 0
    }

    /// Each target read as a location (`None`: dynamic or not a location), in the order of
    /// [`At::targets`]; both slots are given, whatever [`At::count`] is.
    pub(super) fn locations(&self) -> &'j [Option<Location<'a>>; 2] {
        &self.shape.locations
    }

    /// The extensions the locations name (what the shadow check needs of a jump).
    pub(super) fn location_extens(self) -> impl Iterator<Item = &'a str> + 'j {
        self.shape
            .locations
            .iter()
            .filter_map(|l| l.as_ref()?.exten)
    }

    #[inline]
    fn text(&self, p: Piece) -> &'a str {
        if p.start & FOREIGN != 0 {
            let i = (p.start & !FOREIGN) as usize;
            return self.jumps.texts.get(i).copied().unwrap_or_default();
        }
        let start = p.start as usize;
        self.data
            .get(start..start + p.len as usize)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_jump_is_small() {
        assert!(std::mem::size_of::<super::Jump<'_>>() <= 24);
        assert!(std::mem::size_of::<super::Shape<'_>>() <= 144);
    }
}
