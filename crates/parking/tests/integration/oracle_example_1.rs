//! The oracle run (real Asterisk 22.10.1 on the page's first example, lot options moved to `[default]`):
//! res_parking loads first and registers its lot, then pbx_config loads extensions.conf and merges; the
//! resulting `dialplan show` and `parking show` must be what that Asterisk printed.

use dialplan::conf::{self, MemorySource};
use dialplan::model::{load_extensions, show_dialplan, Dialplan};
use dialplan::source::SourceMap;
use parking::extensions::register_extensions;
use std::path::Path;

const RES_PARKING: &str = include_str!("../../testdata/oracle-res_parking.conf");
const EXTENSIONS: &str = include_str!("../../testdata/oracle-extensions.conf");
const SHOW_ALL: &str = include_str!("../../testdata/oracle-dialplan-show.txt");
const SHOW_PARKEDCALLS: &str = include_str!("../../testdata/oracle-dialplan-show-parkedcalls.txt");
const PARKING_SHOW: &str = include_str!("../../testdata/oracle-parking-show.txt");

#[test]
fn startup_dialplan_and_parking_show_match_the_oracle() {
    let files = MemorySource::new()
        .with("res_parking.conf", RES_PARKING)
        .with("extensions.conf", EXTENSIONS);
    let mut sources = SourceMap::new();

    let parking_conf = conf::load(&mut sources, &files, Path::new("res_parking.conf"));
    let parking = parking::load(&parking_conf, &sources);
    assert!(parking.diagnostics.is_empty(), "{:?}", parking.diagnostics);
    let cfg = parking.config.expect("res_parking loads");

    let mut dp = Dialplan::new();
    assert_eq!(register_extensions(&cfg, &mut dp), Ok(()));

    let ext_conf = conf::load(&mut sources, &files, Path::new("extensions.conf"));
    let ext_file = ext_conf.file.as_ref().expect("extensions.conf parses");
    let diags = load_extensions(&mut dp, ext_file, &sources);
    assert!(diags.is_empty(), "{diags:?}");

    assert_eq!(
        show_dialplan(&dp, &sources, Some("parkedcalls")),
        Ok(SHOW_PARKEDCALLS.to_string())
    );
    assert_eq!(show_dialplan(&dp, &sources, None), Ok(SHOW_ALL.to_string()));
    assert_eq!(cfg.show(), PARKING_SHOW);
}
