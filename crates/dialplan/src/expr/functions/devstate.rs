//! `DEVICE_STATE(device)` (funcs/func_devstate.c devstate_read/devstate_write), `HINT(exten[@context][,n])`
//! (funcs/func_devstate.c hint_read) and
//! `EXTENSION_STATE(exten[@context])` (funcs/func_extstate.c extstate_read), over the engine's device
//! states ([`crate::engine::devstate`]).

use super::util::{engine_of, log};
use super::{split_args, Function};
use crate::diag::LogLevel;
use crate::engine::devstate::{DeviceState, CUSTOM_FAMILY};
use crate::expr::{Effects, FuncError, VarContext};

/// `DEVICE_STATE`: reading gives `ast_device_state`'s name for the device; writing sets a `Custom:`
/// device (kept in the AstDB, as func_devstate does).
pub struct DeviceStateFn;

impl Function for DeviceStateFn {
    fn name(&self) -> &'static str {
        "DEVICE_STATE"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, _) = engine_of(ctx, "DEVICE_STATE")?;
        Ok(e.device_state(args).as_str().to_string())
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<(), FuncError> {
        const SRC: &str = "func_devstate.c";
        let custom = args
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("Custom:"));
        if !custom {
            log(
                fx,
                LogLevel::Warning,
                SRC,
                "The DEVICE_STATE function can only be used to set 'Custom:' device state!",
            );
            return Err(FuncError::Failed);
        }
        let name = &args[7..];
        if name.is_empty() {
            log(
                fx,
                LogLevel::Warning,
                SRC,
                "DEVICE_STATE function called with no custom device name!",
            );
            return Err(FuncError::Failed);
        }
        let state = DeviceState::parse(value);
        if state == DeviceState::Unknown {
            log(
                fx,
                LogLevel::Error,
                SRC,
                format!("DEVICE_STATE function given invalid state value '{value}'"),
            );
            return Err(FuncError::Failed);
        }
        let (e, _) = engine_of(ctx, "DEVICE_STATE")?;
        e.astdb().put(CUSTOM_FAMILY, name, value);
        e.devstate_changed(&format!("Custom:{name}"), state);
        Ok(())
    }
}

/// `EXTENSION_STATE(exten[@context])`: the state of the extension's hint (context `default` when none
/// is given); `UNKNOWN` without a hint.
pub struct ExtensionStateFn;

impl Function for ExtensionStateFn {
    fn name(&self) -> &'static str {
        "EXTENSION_STATE"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (exten, context) = match args.split_once('@') {
            Some((x, c)) if !c.is_empty() => (x, c),
            Some((x, _)) => (x, "default"),
            None => (args, "default"),
        };
        if exten.is_empty() {
            log(
                fx,
                LogLevel::Warning,
                "func_extstate.c",
                "EXTENSION_STATE requires an extension",
            );
            return Err(FuncError::Failed);
        }
        let (e, _) = engine_of(ctx, "EXTENSION_STATE")?;
        Ok(e.extension_state(context, exten).as_str().to_string())
    }
}

/// `HINT(exten[@context][,options])`: the device list of the extension's hint (context `default`
/// when none is given), or with option `n` its name (the hint's data); no hint fails (empty).
pub struct HintFn;

impl Function for HintFn {
    fn name(&self) -> &'static str {
        "HINT"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        const WARNING: &str = "The HINT function requires an extension";
        let a = split_args(args, 2);
        let target = a.first().map(String::as_str).unwrap_or("");
        if target.is_empty() {
            log(fx, LogLevel::Warning, "func_devstate.c", WARNING);
            return Err(FuncError::Failed);
        }
        let (exten, context) = match target.split_once('@') {
            Some((x, c)) if !c.is_empty() => (x, c),
            Some((x, _)) => (x, "default"),
            None => (target, "default"),
        };
        let name = a.get(1).is_some_and(|o| o.contains('n'));
        let (e, _) = engine_of(ctx, "HINT")?;
        let plan = e.plan();
        let step = plan
            .step(context, exten, crate::model::PRIORITY_HINT, None)
            .ok_or(FuncError::Failed)?;
        Ok(if name { step.data } else { step.app }.to_string())
    }
}
