//! The diagnostic codes of the parking crate, and [`CODES`], their one-line summaries.

use dialplan::diag::{Code, CodeInfo};

pub const FILE_MISSING: Code = Code("parking/file-missing");
pub const FILE_INVALID: Code = Code("parking/file-invalid");
pub const LOT_OPTION_IN_GENERAL: Code = Code("parking/lot-option-in-general");
pub const GENERAL_OPTION_IN_LOT: Code = Code("parking/general-option-in-lot");
pub const UNKNOWN_OPTION: Code = Code("parking/unknown-option");
pub const BAD_PARKPOS: Code = Code("parking/bad-parkpos");
pub const BAD_FINDSLOT: Code = Code("parking/bad-findslot");
pub const BAD_FEATURE_FLAG: Code = Code("parking/bad-feature-flag");
pub const BAD_NUMBER: Code = Code("parking/bad-number");
pub const DECLINED: Code = Code("parking/declined");
pub const DEFAULT_LOT_ADDED: Code = Code("parking/default-lot-added");
pub const NO_PARKEXT: Code = Code("parking/no-parkext");
pub const PARKEXT_CONFLICT: Code = Code("parking/parkext-conflict");
pub const SPACE_CONFLICT: Code = Code("parking/space-conflict");
pub const HINT_CONFLICT: Code = Code("parking/hint-conflict");
pub const TOO_MANY_SPACES: Code = Code("parking/too-many-spaces");

/// Every code this crate emits.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: FILE_MISSING,
        summary: "res_parking.conf does not exist, so res_parking declines to load",
    },
    CodeInfo {
        code: FILE_INVALID,
        summary: "Asterisk's parser rejected res_parking.conf, so res_parking declines to load",
    },
    CodeInfo {
        code: LOT_OPTION_IN_GENERAL,
        summary: "a parking lot option under [general]; res_parking refuses the file and declines to load",
    },
    CodeInfo {
        code: GENERAL_OPTION_IN_LOT,
        summary: "parkeddynamic inside a lot section; res_parking refuses the file and declines to load",
    },
    CodeInfo {
        code: UNKNOWN_OPTION,
        summary: "an option res_parking does not know; res_parking refuses the file and declines to load",
    },
    CodeInfo {
        code: BAD_PARKPOS,
        summary: "parkpos is not a-b with 0 < a <= b; res_parking declines to load",
    },
    CodeInfo {
        code: BAD_FINDSLOT,
        summary: "findslot is not exactly first or next; res_parking declines to load",
    },
    CodeInfo {
        code: BAD_FEATURE_FLAG,
        summary: "parkedplay/parkedcall* is not no, caller, callee or both; res_parking declines to load",
    },
    CodeInfo {
        code: BAD_NUMBER,
        summary: "parkingtime/comebackdialtime is not an unsigned 32-bit number; res_parking declines to load",
    },
    CodeInfo {
        code: DECLINED,
        summary: "res_parking declined to load: no lots, no parking applications, no generated contexts",
    },
    CodeInfo {
        code: DEFAULT_LOT_ADDED,
        summary: "no [default] section, so res_parking adds lot 'default' (700, 701-750 in parkedcalls)",
    },
    CodeInfo {
        code: NO_PARKEXT,
        summary: "a lot without parkext gets no extensions, and one-touch parking into it does nothing",
    },
    CodeInfo {
        code: PARKEXT_CONFLICT,
        summary: "a lot's parking extension already exists; registration fails and res_parking declines",
    },
    CodeInfo {
        code: SPACE_CONFLICT,
        summary: "a lot's parking space extension already exists; registration fails and res_parking declines",
    },
    CodeInfo {
        code: HINT_CONFLICT,
        summary: "a parking space hint already exists; registration fails and res_parking declines",
    },
    CodeInfo {
        code: TOO_MANY_SPACES,
        summary: "a lot has more spaces than dialsim will generate extensions for",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_the_parking_area() {
        let mut seen: Vec<&str> = CODES.iter().map(|c| c.code.0).collect();
        assert!(seen.iter().all(|c| c.starts_with("parking/")));
        assert!(CODES
            .iter()
            .all(|c| !c.summary.is_empty() && !c.summary.ends_with('.')));
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), CODES.len());
    }
}
