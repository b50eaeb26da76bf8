//! `FEATUREMAP(feature)`: read or set the channel's DTMF code of a builtin feature (`blindxfer`,
//! `disconnect`, `atxfer`, `automixmon`, `parkcall`; Asterisk 22 has no `automon`). Anything else gets
//! `Invalid argument '…' to FEATUREMAP()`. The channel's bridge hooks use its codes when it next joins a
//! basic bridge.

use super::with_copy_mut;
use crate::config::{BuiltinFeature, FeatureMap};
use dialplan::expr::functions::Function;
use dialplan::expr::{Effects, FuncError, VarContext};
use std::sync::Arc;

/// `FEATUREMAP()`, reading the loaded configuration it was registered with.
pub struct FeatureMapFn {
    pub(crate) config: Arc<super::LoadedFeatures>,
}

/// The builtin feature `FEATUREMAP()` names (case-insensitive).
fn feature(name: &str) -> Option<BuiltinFeature> {
    BuiltinFeature::ALL
        .into_iter()
        .find(|f| f.option_name().eq_ignore_ascii_case(name))
}

/// `featuremap_get`: the code, `None` for a name that is not a builtin feature.
pub fn featuremap_get(map: &FeatureMap, name: &str) -> Option<String> {
    feature(name).map(|f| map.code(f).to_string())
}

/// `featuremap_set`: `false` for a name that is not a builtin feature.
pub fn featuremap_set(map: &mut FeatureMap, name: &str, code: &str) -> bool {
    match feature(name) {
        Some(f) => {
            map.set(f, code, None);
            true
        }
        None => false,
    }
}

impl Function for FeatureMapFn {
    fn name(&self) -> &'static str {
        "FEATUREMAP"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let Some((engine, chan)) = ctx.engine() else {
            return Err(super::no_channel("FEATUREMAP", fx));
        };
        // Reading makes the channel's copy too (`get_feature_chan_ds`).
        match with_copy_mut(engine, chan, &self.config.get(), |c| {
            featuremap_get(&c.featuremap, args)
        })
        .flatten()
        {
            Some(v) => Ok(v),
            None => Err(super::invalid_argument("FEATUREMAP", args, fx)),
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
            return Err(super::no_channel("FEATUREMAP", fx));
        };
        match with_copy_mut(engine, chan, &self.config.get(), |c| {
            featuremap_set(&mut c.featuremap, args, value)
        }) {
            Some(true) => Ok(()),
            Some(false) => Err(super::invalid_argument("FEATUREMAP", args, fx)),
            None => Err(FuncError::Failed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_and_set() {
        let mut m = FeatureMap::default();
        assert_eq!(featuremap_get(&m, "blindxfer").as_deref(), Some("#"));
        assert_eq!(featuremap_get(&m, "DISCONNECT").as_deref(), Some("*"));
        assert_eq!(featuremap_get(&m, "parkcall").as_deref(), Some(""));
        assert_eq!(featuremap_get(&m, "automon"), None);
        assert!(featuremap_set(&mut m, "parkcall", "*5"));
        assert_eq!(m.code(BuiltinFeature::ParkCall), "*5");
        assert!(!featuremap_set(&mut m, "pickup", "*8"));
    }
}
