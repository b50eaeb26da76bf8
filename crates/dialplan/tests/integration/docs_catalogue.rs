//! `docs/applications-and-functions.md` is generated from the engine's registries and
//! `dialplan::catalogue`, so it cannot drift. Regenerate with
//! `DIALSIM_UPDATE_DOCS=1 cargo test -p dialplan --test integration docs_catalogue`.

use dialplan::engine::plan::EmptyPlan;
use dialplan::engine::{Engine, EngineConfig};
use std::path::Path;

#[test]
fn page_matches_the_registries() {
    let engine = Engine::new(EngineConfig::default(), Box::new(EmptyPlan));
    let apps = engine.app_names();
    let functions: Vec<&str> = engine.functions().names().collect();
    let page = dialplan::catalogue::render(&apps, &functions);
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/applications-and-functions.md");
    if std::env::var_os("DIALSIM_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &page).expect("write the page");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == page,
        "docs/applications-and-functions.md is out of date: run DIALSIM_UPDATE_DOCS=1 cargo test -p dialplan --test integration docs_catalogue"
    );
}
