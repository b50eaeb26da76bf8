//! The dialplan res_parking generates for its lots, with Asterisk's conflict rules.
//!
//! For every lot with a `parkext` (in the order res_parking walks its configuration, see
//! [`ParkingConfig::registration_order`]): the lot's context is found or created; `<parkext>,1` runs `Park()`
//! (owned by `res_parking`, shareable by other non-exclusive lots) or `Park(<lot>)` (exclusive, owned by
//! `res_parking/<lot>`); each space `s` gets `s,1 = ParkedCall(<lot>,<s>)` owned by `res_parking/<lot>`, and a
//! hint `park:<s>@<context>` with `parkinghints`. Anything that already answers one of those (patterns and
//! included contexts count) fails the registration; Asterisk then removes what the lots added, logs
//! `Extension registration failed…` and res_parking declines.
//! [res/res_parking.c · configure_parking_extensions, parking_lot_cfg_create_extensions,
//! extension_is_compatible, parking_add_extension]

use crate::codes;
use crate::config::{
    LotConfig, ParkingConfig, BASE_REGISTRAR, PARKED_CALL_APPLICATION, PARK_APPLICATION,
};
use crate::load::declined;
use dialplan::diag::{Diagnostic, LogLevel, LogLine};
use dialplan::model::{Dialplan, Found, NewPriority, Replace, PRIORITY_HINT};

/// dialsim's limit on the spaces of one lot: every space becomes an extension, and a range like
/// `1-2000000000` would exhaust memory (in Asterisk too). Real configurations stay far below it.
pub const MAX_SPACES_PER_LOT: u64 = 100_000;

/// Registers every lot's extensions into `dp`, as res_parking does while loading (and reloading).
///
/// On failure the extensions the lots added are removed again and the diagnostics explain why, ending with
/// [`crate::load::declined`]: the caller must treat res_parking as not loaded. (A lot with more than
/// [`MAX_SPACES_PER_LOT`] spaces is refused by dialsim itself; that error stands alone.)
pub fn register_extensions(cfg: &ParkingConfig, dp: &mut Dialplan) -> Result<(), Vec<Diagnostic>> {
    if let Some(diag) = space_limit(cfg) {
        return Err(vec![diag]);
    }
    remove_extensions(cfg, dp);
    for lot in cfg.registration_order() {
        if let Err(diag) = register_lot_extensions(lot, dp) {
            remove_extensions(cfg, dp);
            return Err(vec![diag.with_log(registration_failed()), declined()]);
        }
    }
    Ok(())
}

/// dialsim's own refusal of a configuration with a lot over [`MAX_SPACES_PER_LOT`] spaces (checked before
/// anything is removed or registered).
pub fn space_limit(cfg: &ParkingConfig) -> Option<Diagnostic> {
    cfg.lots.iter().find_map(too_many_spaces)
}

/// Removes what res_parking added for these lots, and everything owned by `res_parking` itself (shared
/// `Park()` extensions and the `park-dial` comeback entries), as an unload or a reload does first. On a
/// reload, call it with the *previous* configuration before registering the new one.
pub fn remove_extensions(cfg: &ParkingConfig, dp: &mut Dialplan) {
    for lot in &cfg.lots {
        dp.remove_registrar(&lot.registrar());
    }
    dp.remove_registrar(BASE_REGISTRAR);
}

/// The final line of every registration failure.
fn registration_failed() -> LogLine {
    LogLine::new(
        LogLevel::Error,
        "res_parking.c",
        "Extension registration failed. Previously configured lot extensions were removed and can not be safely restored.",
    )
}

/// Registers one lot's extensions into `dp` without clearing anything first (what a dynamic lot's creation
/// does). On failure, what the lot added so far stays (remove its registrar), and the diagnostic carries
/// Asterisk's lines for the failure itself; the caller adds its own consequence (`Extension registration
/// failed…` at load, the dynamic-lot error at run time).
pub fn register_lot_extensions(lot: &LotConfig, dp: &mut Dialplan) -> Result<(), Box<Diagnostic>> {
    let parkext = lot.parkext.value.as_str();
    if parkext.is_empty() {
        return Ok(());
    }
    let context = lot.context.value.as_str();
    let lot_registrar = lot.registrar();
    let exclusive = lot.parkext_exclusive.value;
    let park_registrar = if exclusive {
        lot_registrar.as_str()
    } else {
        BASE_REGISTRAR
    };
    dp.find_or_create_context(context, park_registrar);

    if let Some(found) = dp.matches_any(context, parkext, 1) {
        let existing = Existing::of(&found);
        if exclusive {
            return Err(Box::new(exclusive_parkext_taken(lot, &existing)));
        }
        if let Some(diag) = incompatible_parkext(lot, &existing) {
            return Err(Box::new(diag));
        }
    } else {
        let data = if exclusive { lot.name.as_str() } else { "" };
        add(
            dp,
            context,
            parkext,
            1,
            PARK_APPLICATION,
            data,
            park_registrar,
        )
        .map_err(|e| Box::new(add_failed(lot, PARK_APPLICATION, parkext, e)))?;
    }

    let range = lot.parkpos.value;
    for number in range.start..=range.stop {
        let space = number.to_string();
        if let Some(found) = dp.matches_any(context, &space, 1) {
            let existing = Existing::of(&found);
            return Err(Box::new(space_taken(lot, &space, &existing)));
        }
        let data = format!("{},{space}", lot.name);
        add(
            dp,
            context,
            &space,
            1,
            PARKED_CALL_APPLICATION,
            &data,
            &lot_registrar,
        )
        .map_err(|e| Box::new(add_failed(lot, PARKED_CALL_APPLICATION, &space, e)))?;
        if lot.parkinghints.value {
            let device = format!("park:{space}@{context}");
            if let Some(found) = dp.matches_any(context, &space, PRIORITY_HINT) {
                let existing = Existing::of(&found);
                return Err(Box::new(hint_taken(lot, &space, &device, &existing)));
            }
            add(
                dp,
                context,
                &space,
                PRIORITY_HINT,
                &device,
                "",
                &lot_registrar,
            )
            .map_err(|e| Box::new(hint_add_failed(lot, &space, e)))?;
        }
    }
    Ok(())
}

fn add(
    dp: &mut Dialplan,
    context: &str,
    exten: &str,
    priority: i32,
    app: &str,
    data: &str,
    registrar: &str,
) -> Result<(), LogLine> {
    let new = NewPriority {
        exten,
        callerid: None,
        priority,
        label: None,
        app,
        data,
        registrar,
        source: None,
    };
    dp.add_extension(context, new, Replace::No)
        .map(|_| ())
        .map_err(|e| e.log_line())
}

/// What already answers an extension res_parking wants.
struct Existing {
    exten: String,
    context: String,
    app: String,
    registrar: String,
}

impl Existing {
    fn of(found: &Found<'_>) -> Self {
        Existing {
            exten: found.extension.name().to_string(),
            context: found.context.name().to_string(),
            app: found.priority.app().to_string(),
            registrar: found.priority.registrar().to_string(),
        }
    }

    fn describe(&self) -> String {
        format!(
            "'{}@{}' ({} by {})",
            self.exten, self.context, self.app, self.registrar
        )
    }
}

/// Where a lot's diagnostic points: the line of `option` when set, else the lot's first section.
fn at(lot: &LotConfig, option: Option<dialplan::source::Span>, diag: Diagnostic) -> Diagnostic {
    match option.or_else(|| lot.sections.first().copied()) {
        Some(span) => diag.with_span(span),
        None => diag,
    }
}

const MATCH_RULE: &str =
    "res_parking looks the extension up the way a call would, so patterns and included \
                          contexts count";

fn exclusive_parkext_taken(lot: &LotConfig, existing: &Existing) -> Diagnostic {
    let context = &lot.context.value;
    let diag = Diagnostic::error(
        codes::PARKEXT_CONFLICT,
        format!(
            "exclusive parking extension '{}@{context}' of lot '{}' is already answered by {}",
            lot.parkext.value,
            lot.name,
            existing.describe()
        ),
    )
    .with_label("already matched")
    .with_help(format!(
        "with parkext_exclusive=yes the lot needs its parking extension for itself; {MATCH_RULE}. Asterisk fails \
         the registration without saying why (only the line below), removes the lots' extensions and \
         res_parking declines to load. Pick a parkext nothing else matches, or use parkext_exclusive=no to share \
         a Park() extension with other non-exclusive lots"
    ));
    at(lot, lot.parkext.span, diag)
}

/// `extension_is_compatible`: a non-exclusive lot may share only a `Park` extension owned by `res_parking`.
fn incompatible_parkext(lot: &LotConfig, existing: &Existing) -> Option<Diagnostic> {
    let (message, text) = if existing.registrar != BASE_REGISTRAR {
        (
            format!(
                "parking extension '{}@{}' of lot '{}' is already owned by {}",
                existing.exten, existing.context, lot.name, existing.registrar
            ),
            format!(
                "Parking lot '{}' -- Needs an extension '{}@{}', but that extension is already owned by {}.",
                lot.name, existing.exten, existing.context, existing.registrar
            ),
        )
    } else if existing.app != PARK_APPLICATION {
        (
            format!(
                "parking extension '{}@{}' of lot '{}' already runs {}",
                existing.exten, existing.context, lot.name, existing.app
            ),
            format!(
                "Parking lot '{}' -- Needs an extension '{}@{}' with a non-exclusive {PARK_APPLICATION} application, but a/an {} application is already registered to that extension by {BASE_REGISTRAR}.",
                lot.name, existing.exten, existing.context, existing.app
            ),
        )
    } else {
        return None;
    };
    let diag = Diagnostic::error(codes::PARKEXT_CONFLICT, message)
        .with_label("already taken")
        .with_help(format!(
            "a non-exclusive lot can share its parking extension only with a Park() extension res_parking itself \
             made for another non-exclusive lot; {MATCH_RULE}. Asterisk fails the registration, removes the lots' \
             extensions and res_parking declines to load. Remove the other extension or choose another parkext"
        ))
        .with_log(LogLine::new(LogLevel::Error, "res_parking.c", text));
    Some(at(lot, lot.parkext.span, diag))
}

fn space_taken(lot: &LotConfig, space: &str, existing: &Existing) -> Diagnostic {
    let own_parkext = existing.app == PARK_APPLICATION && existing.exten == space;
    let message = if own_parkext {
        format!(
            "parking space {space} of lot '{}' is also a parking extension in '{}'",
            lot.name, existing.context
        )
    } else {
        format!(
            "parking space {space} of lot '{}' is already answered by {}",
            lot.name,
            existing.describe()
        )
    };
    let diag = Diagnostic::error(codes::SPACE_CONFLICT, message)
        .with_label("overlaps an existing extension")
        .with_help(format!(
            "every space of parkpos becomes an extension of its own and may never be shared; {MATCH_RULE}. Asterisk \
             fails the registration without saying why (only the line below), removes the lots' extensions and \
             res_parking declines to load. Lots sharing a context need disjoint parkpos ranges, and parkext must \
             lie outside every range"
        ));
    at(lot, lot.parkpos.span, diag)
}

fn hint_taken(lot: &LotConfig, space: &str, device: &str, existing: &Existing) -> Diagnostic {
    let context = &lot.context.value;
    let diag = Diagnostic::error(
        codes::HINT_CONFLICT,
        format!(
            "parking space {space} of lot '{}' needs hint '{device}' but '{}@{}' already has a hint",
            lot.name, existing.exten, existing.context
        ),
    )
    .with_label("hint already exists")
    .with_help(format!(
        "with parkinghints=yes each space gets a hint of its own; {MATCH_RULE}. Asterisk fails the registration, \
         removes the lots' extensions and res_parking declines to load. Remove the other hint or turn \
         parkinghints off"
    ))
    .with_log(LogLine::new(
        LogLevel::Error,
        "res_parking.c",
        format!(
            "Parking lot '{}' -- Needs to add a hint '{device}' at '{space}@{context}' but one already exists owned by {}",
            lot.name, existing.registrar
        ),
    ));
    at(lot, lot.parkinghints.span, diag)
}

fn add_failed(lot: &LotConfig, app: &str, exten: &str, pbx: LogLine) -> Diagnostic {
    let context = &lot.context.value;
    let diag = Diagnostic::error(
        codes::SPACE_CONFLICT,
        format!(
            "could not add {app} extension '{exten}@{context}' for parking lot '{}'",
            lot.name
        ),
    )
    .with_help(
        "the dialplan refused the extension (see Asterisk's lines); the registration fails, the lots' extensions \
         are removed and res_parking declines to load",
    )
    .with_log(pbx)
    .with_log(LogLine::new(
        LogLevel::Error,
        "res_parking.c",
        format!(
            "Parking lot '{}' -- Failed to add {app} extension '{exten}@{context}' to the PBX.",
            lot.name
        ),
    ));
    at(lot, lot.parkext.span, diag)
}

fn hint_add_failed(lot: &LotConfig, space: &str, pbx: LogLine) -> Diagnostic {
    let context = &lot.context.value;
    let diag = Diagnostic::error(
        codes::HINT_CONFLICT,
        format!(
            "could not add the hint of space {space} in '{context}' for parking lot '{}'",
            lot.name
        ),
    )
    .with_help(
        "the dialplan refused the hint; the registration fails, the lots' extensions are removed and res_parking \
         declines to load",
    )
    .with_log(pbx)
    .with_log(LogLine::new(
        LogLevel::Error,
        "res_parking.c",
        format!(
            "Parking lot '{}' -- Failed to add hint '{space}@{context}' to the PBX.",
            lot.name
        ),
    ));
    at(lot, lot.parkinghints.span, diag)
}

fn too_many_spaces(lot: &LotConfig) -> Option<Diagnostic> {
    let range = lot.parkpos.value;
    if lot.parkext.value.is_empty() || range.len() <= MAX_SPACES_PER_LOT {
        return None;
    }
    let diag = Diagnostic::error(
        codes::TOO_MANY_SPACES,
        format!(
            "parking lot '{}' has {} spaces; dialsim generates extensions for at most {MAX_SPACES_PER_LOT}",
            lot.name,
            range.len()
        ),
    )
    .with_label("too many spaces")
    .with_help(
        "Asterisk would try to add one extension per space (and may run out of memory doing so); dialsim refuses \
         the lot instead. Use a smaller parkpos range",
    );
    Some(at(lot, lot.parkpos.span, diag))
}

#[cfg(test)]
#[path = "extensions_tests.rs"]
mod tests;
