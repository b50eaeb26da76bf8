//! The `dialplan-examples/doc/` folders hold exactly the text between the code fences of the "Call Parking"
//! page (a copy of it lives in `tests/data/call-parking.md`), minus the `truetext1` rendering artefact that
//! precedes the first section header of some blocks.

use crate::common;

use common::page_blocks;
use std::fs;
use std::path::Path;

const EXAMPLES: [&str; 3] = [
    "01-basic-retrieval",
    "02-timeout-comeback",
    "03-timeout-custom",
];
const FILES: [&str; 3] = ["res_parking.conf", "features.conf", "extensions.conf"];

#[test]
fn the_page_has_three_examples_of_three_files() {
    assert_eq!(page_blocks().len(), 9);
}

#[test]
fn doc_examples_equal_the_page_blocks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialplan-examples/doc");
    let blocks = page_blocks();
    for (i, block) in blocks.iter().enumerate() {
        let expected = block.strip_prefix("truetext1").unwrap_or(block);
        let path = root.join(EXAMPLES[i / 3]).join(FILES[i % 3]);
        let actual = fs::read_to_string(&path).unwrap();
        assert_eq!(actual, expected, "{} differs from the page", path.display());
    }
}

#[test]
fn the_artefact_appears_only_before_the_first_header() {
    for block in page_blocks() {
        if let Some(rest) = block.strip_prefix("truetext1") {
            assert!(rest.starts_with('['), "truetext1 is followed by a header");
            assert!(!rest.contains("truetext1"));
        } else {
            assert!(!block.contains("truetext1"));
        }
    }
}
