//! `diagnostic = "area/code"` (with `never = true` to exclude it): the diagnostics of loading the
//! configuration, of `dialsim check`'s lint, and of the run include (or do not include) a code.

use super::record::Record;
use super::{Miss, Presence};
use dialplan::diag::CodeInfo;

/// Every code dialsim emits, area by area (as `docs/diagnostics.md` lists them).
pub fn known_codes() -> [&'static [CodeInfo]; 10] {
    [
        dialplan::conf::CODES,
        dialplan::model::CODES,
        features::CODES,
        parking::CODES,
        dialplan::engine::CODES,
        crate::scenario::CODES,
        features::module::CODES,
        parking::runtime::CODES,
        crate::lint::CODES,
        crate::reload::CODES,
    ]
}

/// Whether dialsim emits this code anywhere.
pub fn is_known(code: &str) -> bool {
    known_codes()
        .iter()
        .any(|list| list.iter().any(|c| c.code.0 == code))
}

#[derive(Clone, Debug)]
pub struct DiagnosticExpect {
    pub code: String,
    pub presence: Presence,
}

impl DiagnosticExpect {
    pub fn check(&self, rec: &Record) -> Result<(), Miss> {
        let unknown = || {
            format!(
                "dialsim has no diagnostic code '{}' (docs/diagnostics.md lists them all)",
                self.code
            )
        };
        let hits: Vec<&(String, String)> = rec
            .diagnostics
            .iter()
            .filter(|(c, _)| *c == self.code)
            .collect();
        match self.presence {
            Presence::Seen if !hits.is_empty() => Ok(()),
            Presence::Never if hits.is_empty() && !is_known(&self.code) => {
                Err(Miss::new(format!("no diagnostic {}", self.code), unknown()))
            }
            Presence::Never if hits.is_empty() => Ok(()),
            Presence::Seen => {
                let mut codes: Vec<&str> =
                    rec.diagnostics.iter().map(|(c, _)| c.as_str()).collect();
                codes.dedup();
                Err(Miss::new(
                    format!("a diagnostic {}", self.code),
                    if !is_known(&self.code) {
                        unknown()
                    } else if codes.is_empty() {
                        "no diagnostics at all".to_string()
                    } else {
                        format!("only these diagnostics: {}", codes.join(", "))
                    },
                ))
            }
            Presence::Never => Err(Miss::new(
                format!("no diagnostic {}", self.code),
                hits.iter()
                    .map(|(c, m)| format!("{c}: {m}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )),
        }
    }
}
