//! `FEATURE(option)`: read or set one `[general]` option for the channel (`general_get`/`general_set`,
//! `xfer_get`/`xfer_set`, `pickup_get`/`pickup_set`), and `FEATURE(inherit)`.
//!
//! The options are Asterisk 22's: `featuredigittimeout`, `courtesytone`, `recordingfailsound`, the
//! transfer options and the pickup options. `transferannouncesound` can be set but not read (Asterisk's
//! `xfer_get` lacks it), and `parkinglot` is no longer a FEATURE option since Asterisk 12: both get
//! `Invalid argument '…' to FEATURE()`. A number that does not read (`PARSE_INT32`) gets the same warning
//! and leaves the value as it was.

use super::with_copy_mut;
use crate::config::General;
use crate::load::parse_c_int32;
use dialplan::expr::functions::Function;
use dialplan::expr::{Effects, FuncError, VarContext};
use std::sync::Arc;

/// `FEATURE()`, reading the loaded configuration it was registered with.
pub struct FeatureFn {
    pub(crate) config: Arc<super::LoadedFeatures>,
}

/// Why a `[general]` option could not be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetError {
    /// Not an option `FEATURE()` knows.
    Unknown,
    /// A number option given something that is not a 32-bit number.
    BadNumber,
}

/// `general_get` + `xfer_get` + `pickup_get`: the option's text, `None` when `FEATURE()` cannot read it.
pub fn general_get(g: &General, option: &str) -> Option<String> {
    let o = option.to_ascii_lowercase();
    Some(match o.as_str() {
        "featuredigittimeout" => g.featuredigittimeout.to_string(),
        "courtesytone" => g.courtesytone.clone(),
        "recordingfailsound" => g.recordingfailsound.clone(),
        "transferdigittimeout" => g.transferdigittimeout.to_string(),
        "atxfernoanswertimeout" => g.atxfernoanswertimeout.to_string(),
        "atxferloopdelay" => g.atxferloopdelay.to_string(),
        "atxfercallbackretries" => g.atxfercallbackretries.to_string(),
        "atxferdropcall" => u32::from(g.atxferdropcall).to_string(),
        "xfersound" => g.xfersound.clone(),
        "xferfailsound" => g.xferfailsound.clone(),
        "atxferabort" => g.atxferabort.clone(),
        "atxfercomplete" => g.atxfercomplete.clone(),
        "atxferthreeway" => g.atxferthreeway.clone(),
        "atxferswap" => g.atxferswap.clone(),
        "transferdialattempts" => g.transferdialattempts.to_string(),
        "transferretrysound" => g.transferretrysound.clone(),
        "transferinvalidsound" => g.transferinvalidsound.clone(),
        "pickupsound" => g.pickupsound.clone(),
        "pickupfailsound" => g.pickupfailsound.clone(),
        "pickupexten" => g.pickupexten.clone(),
        _ => return None,
    })
}

/// `general_set` + `xfer_set` + `pickup_set`.
pub fn general_set(g: &mut General, option: &str, value: &str) -> Result<(), SetError> {
    let o = option.to_ascii_lowercase();
    let num = |v: &str| {
        parse_c_int32(v)
            .map(|n| n as u32)
            .ok_or(SetError::BadNumber)
    };
    match o.as_str() {
        "featuredigittimeout" => g.featuredigittimeout = num(value)?,
        "courtesytone" => g.courtesytone = value.to_string(),
        "recordingfailsound" => g.recordingfailsound = value.to_string(),
        "transferdigittimeout" => g.transferdigittimeout = num(value)?,
        "atxfernoanswertimeout" => g.atxfernoanswertimeout = num(value)?,
        "atxferloopdelay" => g.atxferloopdelay = num(value)?,
        "atxfercallbackretries" => g.atxfercallbackretries = num(value)?,
        "atxferdropcall" => g.atxferdropcall = dialplan::expr::cond::ast_true(value),
        "xfersound" => g.xfersound = value.to_string(),
        "xferfailsound" => g.xferfailsound = value.to_string(),
        "atxferabort" => g.atxferabort = value.to_string(),
        "atxfercomplete" => g.atxfercomplete = value.to_string(),
        "atxferthreeway" => g.atxferthreeway = value.to_string(),
        "atxferswap" => g.atxferswap = value.to_string(),
        "transferdialattempts" => g.transferdialattempts = num(value)?,
        "transferretrysound" => g.transferretrysound = value.to_string(),
        "transferinvalidsound" => g.transferinvalidsound = value.to_string(),
        "transferannouncesound" => g.transferannouncesound = value.to_string(),
        "pickupsound" => g.pickupsound = value.to_string(),
        "pickupfailsound" => g.pickupfailsound = value.to_string(),
        "pickupexten" => g.pickupexten = value.to_string(),
        _ => return Err(SetError::Unknown),
    }
    Ok(())
}

impl Function for FeatureFn {
    fn name(&self) -> &'static str {
        "FEATURE"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let Some((engine, chan)) = ctx.engine() else {
            return Err(super::no_channel("FEATURE", fx));
        };
        if args.eq_ignore_ascii_case("inherit") {
            // Reading makes the copy too (`get_feature_chan_ds`).
            let inherit =
                with_copy_mut(engine, chan, &self.config.get(), |c| c.inherit).unwrap_or(false);
            return Ok(if inherit { "yes" } else { "no" }.to_string());
        }
        match with_copy_mut(engine, chan, &self.config.get(), |c| {
            general_get(&c.general, args)
        })
        .flatten()
        {
            Some(v) => Ok(v),
            None => Err(super::invalid_argument("FEATURE", args, fx)),
        }
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let Some((engine, chan)) = ctx.engine() else {
            return Err(super::no_channel("FEATURE", fx));
        };
        if args.eq_ignore_ascii_case("inherit") {
            let on = dialplan::expr::cond::ast_true(value);
            with_copy_mut(engine, chan, &self.config.get(), |c| c.inherit = on);
            return Ok(());
        }
        let res = with_copy_mut(engine, chan, &self.config.get(), |c| {
            general_set(&mut c.general, args, value)
        });
        match res {
            Some(Ok(())) => Ok(()),
            Some(Err(_)) => Err(super::invalid_argument("FEATURE", args, fx)),
            None => Err(FuncError::Failed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_and_set() {
        let mut g = crate::config::FeaturesConfig::default().general;
        assert_eq!(
            general_get(&g, "featuredigittimeout").as_deref(),
            Some("1000")
        );
        assert_eq!(
            general_get(&g, "TransferDigitTimeout").as_deref(),
            Some("3")
        );
        assert_eq!(general_get(&g, "atxferabort").as_deref(), Some("*1"));
        assert_eq!(general_get(&g, "pickupexten").as_deref(), Some("*8"));
        assert_eq!(general_get(&g, "atxferdropcall").as_deref(), Some("0"));
        assert_eq!(general_get(&g, "parkinglot"), None);
        assert_eq!(general_get(&g, "transferannouncesound"), None);
        assert_eq!(general_set(&mut g, "featuredigittimeout", "2500"), Ok(()));
        assert_eq!(g.featuredigittimeout, 2500);
        assert_eq!(general_set(&mut g, "featuredigittimeout", "0x10"), Ok(()));
        assert_eq!(g.featuredigittimeout, 16);
        assert_eq!(general_set(&mut g, "featuredigittimeout", "-1"), Ok(()));
        assert_eq!(g.featuredigittimeout, u32::MAX);
        assert_eq!(
            general_set(&mut g, "transferdigittimeout", "soon"),
            Err(SetError::BadNumber)
        );
        assert_eq!(g.transferdigittimeout, 3);
        assert_eq!(general_set(&mut g, "atxferdropcall", "yes"), Ok(()));
        assert!(g.atxferdropcall);
        assert_eq!(general_set(&mut g, "transferannouncesound", "x"), Ok(()));
        assert_eq!(g.transferannouncesound, "x");
        assert_eq!(
            general_set(&mut g, "parkinglot", "x"),
            Err(SetError::Unknown)
        );
    }
}
