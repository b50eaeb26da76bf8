//! `dialsim run --timeline`: the SVG of every example folder is valid XML, shows every channel, bridge,
//! park and prompt of the run (taken independently from the run's JSON events), and is snapshotted; the
//! HTML page's links all resolve, each `Executing` line to the config line of its priority.

use crate::common;

use common::{dialsim, snapshot_name};
use std::collections::BTreeSet;

/// The page's six examples: the three as its prose intends and the three as printed.
const EXAMPLES: [&str; 6] = [
    "dialplan-examples/01-basic-retrieval",
    "dialplan-examples/02-timeout-comeback",
    "dialplan-examples/03-timeout-custom",
    "dialplan-examples/doc/01-basic-retrieval",
    "dialplan-examples/doc/02-timeout-comeback",
    "dialplan-examples/doc/03-timeout-custom",
];

fn run_picture(folder: &str, ext: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("picture.{ext}"));
    let p = path.to_str().expect("utf-8 path");
    let out = dialsim(&["run", folder, "--format", "none", "--timeline", p]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("  timeline: {p}")),
        "the summary says where the picture is: {}",
        out.stderr
    );
    std::fs::read_to_string(&path).expect("the picture was written")
}

/// Channels, bridges, parked spaces and prompts of a run, from its JSON events.
fn what_happened(
    folder: &str,
) -> (
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeSet<String>,
) {
    let out = dialsim(&["run", folder, "--format", "json"]);
    let (mut chans, mut bridges, mut parks, mut prompts) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    for line in out.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        let get = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        match get("Event").as_deref() {
            Some("Newchannel") => {
                chans.insert(get("Channel").unwrap());
            }
            Some("BridgeCreate") => {
                bridges.insert(get("BridgeUniqueid").unwrap());
            }
            Some("ParkedCall") => {
                parks.insert(get("ParkingSpace").unwrap());
            }
            Some("DialsimPlayback") if get("HeardBy").is_some_and(|h| !h.is_empty()) => {
                prompts.insert(get("Prompt").unwrap());
            }
            _ => {}
        }
    }
    (chans, bridges, parks, prompts)
}

#[test]
fn every_example_picture_is_valid_and_complete() {
    for folder in EXAMPLES {
        let svg = run_picture(folder, "svg");
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{folder}: the SVG is not valid XML: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let text: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join("\n");
        let (chans, bridges, parks, prompts) = what_happened(folder);
        assert!(!chans.is_empty(), "{folder}: the run has channels");
        for c in &chans {
            assert!(
                text.contains(c.as_str()),
                "{folder}: channel {c} is missing"
            );
        }
        for b in &bridges {
            assert!(text.contains(b.as_str()), "{folder}: bridge {b} is missing");
        }
        for p in &parks {
            assert!(
                text.contains(&format!("space {p}")),
                "{folder}: space {p} is missing"
            );
        }
        for p in &prompts {
            assert!(
                text.contains(&format!("'{p}'")),
                "{folder}: prompt {p} is missing"
            );
        }
        insta::assert_snapshot!(format!("timeline_svg__{}", snapshot_name(folder)), svg);
    }
}

#[test]
fn long_waits_are_compressed_with_a_visible_break() {
    let svg = run_picture("dialplan-examples/02-timeout-comeback", "svg");
    assert!(svg.contains("later (wait compressed)"));
    let doc = roxmltree::Document::parse(&svg).expect("valid XML");
    let height: f64 = doc
        .root_element()
        .attribute("height")
        .and_then(|h| h.parse().ok())
        .expect("a height");
    // A ten-minute run fits one screen.
    assert!(height < 1400.0, "height {height}");
}

/// Every `id="…"` and every `href="#…"` of a page.
fn ids_and_links(html: &str) -> (BTreeSet<String>, Vec<(String, String)>) {
    let mut ids = BTreeSet::new();
    for part in html.split(" id=\"").skip(1) {
        ids.insert(part.split('"').next().unwrap().to_string());
    }
    let mut links = Vec::new();
    for part in html.split("href=\"#").skip(1) {
        let target = part.split('"').next().unwrap().to_string();
        let text = part.split('>').nth(1).unwrap_or_default();
        let text = text.split('<').next().unwrap_or_default().to_string();
        links.push((target, text));
    }
    (ids, links)
}

/// The text of the element with id `id` (one config line).
fn line_text<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap();
    let rest = &html[start..];
    let end = rest.find("</span>\n").unwrap();
    &rest[..end]
}

#[test]
fn html_links_resolve_to_real_config_lines() {
    for folder in EXAMPLES {
        let html = run_picture(folder, "html");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("<script"), "no script");
        assert!(
            !html.contains("http://") || !html.contains("src=\"http"),
            "nothing fetched"
        );
        let (ids, links) = ids_and_links(&html);
        let mut executing = 0;
        for (target, text) in &links {
            assert!(
                ids.contains(target),
                "{folder}: link #{target} has no target"
            );
            if let Some(rest) = text.split("Executing [").nth(1) {
                executing += 1;
                // `] App(&quot;…` : the config line holds the same application.
                let app = rest.split("] ").nth(1).unwrap().split('(').next().unwrap();
                let line = line_text(&html, target);
                assert!(
                    line.to_ascii_lowercase()
                        .contains(&app.to_ascii_lowercase()),
                    "{folder}: '{text}' links to a line without {app}: {line}"
                );
            }
        }
        assert!(executing > 0, "{folder}: the trace links its priorities");
        assert!(html.contains("<svg"), "the page holds the picture");
        assert!(html.contains("id=\"diagnostics\""));
    }
}

#[test]
fn a_timeline_must_be_svg_or_html() {
    let out = dialsim(&[
        "run",
        "dialplan-examples/01-basic-retrieval",
        "--timeline",
        "picture.png",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("must end in .svg or .html"),
        "{}",
        out.stderr
    );
}
