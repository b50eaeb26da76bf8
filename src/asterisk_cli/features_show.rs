//! `features show`.

use super::{CliAnswer, CliContext};

/// `features show`: the loaded features.conf as Asterisk prints it.
pub(super) fn show(ctx: &CliContext) -> CliAnswer {
    CliAnswer::Output(features::show_features(&ctx.features))
}
