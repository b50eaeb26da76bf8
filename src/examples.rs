//! The page's first example as its prose intends (`dialplan-examples/01-basic-retrieval/`), embedded in the
//! binary so that `dialsim run` with no argument works from any folder.

use dialplan::conf::MemorySource;

/// The folder the embedded example comes from, as messages name it.
pub const FIRST_EXAMPLE: &str = "dialplan-examples/01-basic-retrieval";

/// The embedded example's `scenario.toml`.
pub const FIRST_SCENARIO: &str =
    include_str!("../dialplan-examples/01-basic-retrieval/scenario.toml");

const FIRST_FILES: [(&str, &str); 3] = [
    (
        "extensions.conf",
        include_str!("../dialplan-examples/01-basic-retrieval/extensions.conf"),
    ),
    (
        "features.conf",
        include_str!("../dialplan-examples/01-basic-retrieval/features.conf"),
    ),
    (
        "res_parking.conf",
        include_str!("../dialplan-examples/01-basic-retrieval/res_parking.conf"),
    ),
];

/// The embedded example's configuration files.
pub fn first_example_files() -> MemorySource {
    FIRST_FILES
        .iter()
        .fold(MemorySource::new(), |src, (name, text)| {
            src.with(name, text)
        })
}
