//! [`ConfText`]: the text of an item's key or value, usually a slice of the file it was read from.
//!
//! A multi-megabyte dialplan has hundreds of thousands of items; giving each key and value its own heap
//! string was a large part of the load time and memory. Nearly every key and value is a contiguous part
//! of its file, so a `ConfText` shares the file's text (one reference count) and keeps a byte range.
//! The rare text that is not (a line spliced around a block comment, `\;` unescaped, a `+=` result) is
//! held on its own.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// Text shared with the file it came from (or held alone); reads as a `&str`.
#[derive(Clone)]
pub struct ConfText {
    text: Arc<String>,
    start: u32,
    end: u32,
}

impl ConfText {
    /// `text[start..end]`, sharing `text`. A range that is not a valid `str` range of `text` gives the
    /// empty string (the loader only passes ranges it cut at ASCII bytes or line ends).
    #[inline]
    pub fn shared(text: &Arc<String>, start: usize, end: usize) -> ConfText {
        // (An invalid range is kept as it is: [`ConfText::as_str`] reads it as the empty string.)
        if end > u32::MAX as usize {
            return ConfText::default();
        }
        ConfText {
            text: Arc::clone(text),
            start: start as u32,
            end: end as u32,
        }
    }

    /// The text this one is a slice of (the whole file, for text read from one).
    pub fn whole(&self) -> &Arc<String> {
        &self.text
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        self.text
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

impl Default for ConfText {
    fn default() -> Self {
        ConfText::from(String::new())
    }
}

impl From<String> for ConfText {
    fn from(s: String) -> Self {
        let end = s.len().min(u32::MAX as usize) as u32;
        ConfText {
            text: Arc::new(s),
            start: 0,
            end,
        }
    }
}

impl From<&str> for ConfText {
    fn from(s: &str) -> Self {
        ConfText::from(s.to_string())
    }
}

impl From<ConfText> for String {
    fn from(t: ConfText) -> Self {
        t.as_str().to_string()
    }
}

impl Deref for ConfText {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ConfText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for ConfText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for ConfText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for ConfText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for ConfText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ConfText {}

impl Hash for ConfText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialOrd for ConfText {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ConfText {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

macro_rules! eq_with {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for ConfText {
            fn eq(&self, other: &$t) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<ConfText> for $t {
            fn eq(&self, other: &ConfText) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}

eq_with!(str, String);

impl PartialEq<&str> for ConfText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<ConfText> for &str {
    fn eq(&self, other: &ConfText) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_reads_as_str() {
        let file = Arc::new(String::from("exten => 1,1,NoOp"));
        let key = ConfText::shared(&file, 0, 5);
        let value = ConfText::shared(&file, 9, 17);
        assert_eq!(key, "exten");
        assert_eq!(&*value, "1,1,NoOp");
        assert_eq!(Arc::strong_count(&file), 3);
        assert_eq!(format!("{key}={value:?}"), "exten=\"1,1,NoOp\"");
        assert_eq!(ConfText::from("x"), ConfText::from(String::from("x")));
        assert_eq!(String::from(value.clone()), "1,1,NoOp");
        // A range that does not fit gives the empty text instead of a panic.
        assert_eq!(ConfText::shared(&file, 5, 99), "");
        assert_eq!(ConfText::default().as_str(), "");
    }
}
