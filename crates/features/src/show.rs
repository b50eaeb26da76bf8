//! `features show`, character for character as Asterisk 22 prints it
//! [main/features_config.c · handle_feature_show, print_applicationmap, print_featuregroups].
//!
//! Rows use `%-25s %-7s %-7s` (trailing spaces included); the Default column of the builtin rows shows
//! Asterisk's compiled-in codes, applicationmap rows show `no def`; groups print as `===> Group: name` and
//! `===> --> item (code)`, where the code is the group's override or else the item's own.

use crate::config::{BuiltinFeature, FeaturesConfig, DEFAULT_PICKUPEXTEN};
use std::fmt::Write;

/// The output of the CLI command `features show` (every line ends with `\n`).
pub fn show_features(cfg: &FeaturesConfig) -> String {
    let mut out = String::new();
    row(&mut out, "Builtin Feature", "Default", "Current");
    row(&mut out, "---------------", "-------", "-------");
    row(
        &mut out,
        "Pickup",
        DEFAULT_PICKUPEXTEN,
        &cfg.general.pickupexten,
    );
    for feature in BuiltinFeature::ALL {
        row(
            &mut out,
            feature.label(),
            feature.default_code(),
            cfg.featuremap.code(feature),
        );
    }

    out.push('\n');
    row(&mut out, "Dynamic Feature", "Default", "Current");
    row(&mut out, "---------------", "-------", "-------");
    if cfg.applicationmap.is_empty() {
        out.push_str("(none)\n");
    }
    for item in &cfg.applicationmap {
        row(&mut out, &item.name, "no def", &item.dtmf);
    }

    out.push_str("\nFeature Groups:\n");
    out.push_str("---------------\n");
    if cfg.groups.is_empty() {
        out.push_str("(none)\n");
    }
    for group in &cfg.groups {
        let _ = writeln!(out, "===> Group: {}", group.name);
        for item in &group.items {
            let code = if item.dtmf_override.is_empty() {
                cfg.application(&item.name)
                    .map(|a| a.dtmf.as_str())
                    .unwrap_or_default()
            } else {
                item.dtmf_override.as_str()
            };
            let _ = writeln!(out, "===> --> {} ({})", item.name, code);
        }
    }
    out
}

/// `%-25s %-7s %-7s\n`. C pads by bytes, not characters, so a non-ASCII name gets fewer spaces than
/// Rust's `{:<25}` would give it.
fn row(out: &mut String, a: &str, b: &str, c: &str) {
    pad(out, a, 25);
    out.push(' ');
    pad(out, b, 7);
    out.push(' ');
    pad(out, c, 7);
    out.push('\n');
}

fn pad(out: &mut String, s: &str, width: usize) {
    out.push_str(s);
    for _ in s.len()..width {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_pad_by_bytes() {
        let mut out = String::new();
        row(&mut out, "é", "no def", "12345678");
        assert_eq!(out, format!("é{} no def  12345678\n", " ".repeat(23)));
    }
}
