//! `features show`.

use super::{CliAnswer, CliContext};

/// `features show`: the features.conf in force (the last one loaded or reloaded) as Asterisk prints it.
pub(super) fn show(ctx: &CliContext) -> CliAnswer {
    CliAnswer::Output(features::show_features(&ctx.features.config()))
}
