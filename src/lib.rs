//! dialsim
