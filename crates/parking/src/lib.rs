//! parking
