//! Setting one option on a lot: the option handlers res_parking registers, and what dialsim says when one
//! refuses its value.

use crate::codes;
use crate::config::{LotConfig, Setting};
use crate::options::{
    ast_true, parse_feature_flag, parse_findslot, parse_parkpos, parse_uint32, LotOption,
};
use dialplan::conf::Item;
use dialplan::diag::{Code, LogLevel, LogLine};

/// A handler refused its value. Asterisk then logs `Error parsing …` and gives up on the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerFailure {
    pub code: Code,
    /// The handler's own log line, logged before `Error parsing …` (parkpos, findslot).
    pub warning: Option<LogLine>,
    /// dialsim's description.
    pub message: String,
    pub label: String,
    pub help: String,
}

/// Applies `item`, which names `option`, to `lot`, exactly as res_parking's handler for it would.
pub fn apply_lot_option(
    lot: &mut LotConfig,
    option: LotOption,
    item: &Item,
) -> Result<(), Box<HandlerFailure>> {
    let value = item.value.as_str();
    let span = Some(item.span);
    let text = || Setting {
        value: value.to_string(),
        span,
    };
    let flag = |o: LotOption| {
        parse_feature_flag(value)
            .map(|v| Setting { value: v, span })
            .ok_or_else(|| bad_feature_flag(o, value))
    };
    let seconds = |o: LotOption| {
        parse_uint32(value)
            .map(|v| Setting { value: v, span })
            .ok_or_else(|| bad_number(o, value))
    };
    let boolean = || Setting {
        value: ast_true(value),
        span,
    };
    match option {
        LotOption::Parkext => lot.parkext = text(),
        LotOption::Context => lot.context = text(),
        LotOption::Parkedmusicclass => lot.parkedmusicclass = text(),
        LotOption::Comebackcontext => lot.comebackcontext = text(),
        LotOption::Courtesytone => lot.courtesytone = text(),
        LotOption::Parkingtime => lot.parkingtime = seconds(option)?,
        LotOption::Comebackdialtime => lot.comebackdialtime = seconds(option)?,
        LotOption::Comebacktoorigin => lot.comebacktoorigin = boolean(),
        LotOption::ParkextExclusive => lot.parkext_exclusive = boolean(),
        LotOption::Parkinghints => lot.parkinghints = boolean(),
        LotOption::Parkpos => {
            let range = parse_parkpos(value).map_err(|e| Box::new(HandlerFailure {
                code: codes::BAD_PARKPOS,
                warning: Some(LogLine::new(
                    LogLevel::Warning,
                    "res_parking.c",
                    e.asterisk_text(),
                )),
                message: format!("parkpos '{value}' is not a range a-b with 0 < a <= b"),
                label: "not a valid range of parking spaces".to_string(),
                help: "res_parking reads parkpos like sscanf(\"%d-%d\"): the '-' must follow the first number \
                       directly (no blanks before it), and both bounds must be positive with the first not above \
                       the second; otherwise Asterisk refuses the whole file and res_parking declines to load. \
                       Write it like `parkpos => 701-709`"
                    .to_string(),
            }))?;
            lot.parkpos = Setting { value: range, span };
        }
        LotOption::Findslot => {
            let find = parse_findslot(value).ok_or_else(|| Box::new(HandlerFailure {
                code: codes::BAD_FINDSLOT,
                warning: Some(LogLine::new(
                    LogLevel::Warning,
                    "res_parking.c",
                    format!("value '{value}' is not valid for findslot option."),
                )),
                message: format!("findslot '{value}' is neither 'first' nor 'next'"),
                label: "not 'first' or 'next'".to_string(),
                help: "res_parking compares findslot case-sensitively with 'first' and 'next'; anything else makes \
                       Asterisk refuse the whole file and res_parking declines to load. Write `findslot => next` \
                       or `findslot => first` in lower case"
                    .to_string(),
            }))?;
            lot.findslot = Setting { value: find, span };
        }
        LotOption::Parkedplay => lot.parkedplay = flag(option)?,
        LotOption::Parkedcalltransfers => lot.parkedcalltransfers = flag(option)?,
        LotOption::Parkedcallreparking => lot.parkedcallreparking = flag(option)?,
        LotOption::Parkedcallhangup => lot.parkedcallhangup = flag(option)?,
        LotOption::Parkedcallrecording => lot.parkedcallrecording = flag(option)?,
    }
    Ok(())
}

fn bad_feature_flag(option: LotOption, value: &str) -> Box<HandlerFailure> {
    let name = option.name();
    let mut help = format!(
        "{name} accepts a false word (no, false, n, f, 0, off) or caller, callee, both (any case); anything else \
         makes Asterisk refuse the whole file and res_parking declines to load"
    );
    if value.eq_ignore_ascii_case("parked") {
        help.push_str(
            ". The sample res_parking.conf suggests 'parked', which res_parking has never accepted: use 'callee' \
             for the parked channel",
        );
    } else if ast_true(value) {
        help.push_str(
            ". A true word does not say who gets the feature: use caller, callee or both",
        );
    }
    Box::new(HandlerFailure {
        code: codes::BAD_FEATURE_FLAG,
        warning: None,
        message: format!("{name} '{value}' is not one of no, caller, callee, both"),
        label: "not no/caller/callee/both".to_string(),
        help,
    })
}

fn bad_number(option: LotOption, value: &str) -> Box<HandlerFailure> {
    let name = option.name();
    let meaning = match option {
        LotOption::Parkingtime => "; 0 means a parked call never times out",
        _ => "",
    };
    Box::new(HandlerFailure {
        code: codes::BAD_NUMBER,
        warning: None,
        message: format!("{name} '{value}' is not a whole number of seconds from 0 to 4294967295"),
        label: "not an unsigned 32-bit number".to_string(),
        help: format!(
            "res_parking reads {name} as an unsigned 32-bit number (a leading 0x means hex and a leading 0 octal; \
             no sign, no unit){meaning}. Anything else makes Asterisk refuse the whole file and res_parking \
             declines to load"
        ),
    })
}
