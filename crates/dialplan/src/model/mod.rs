//! The extensions.conf model.
