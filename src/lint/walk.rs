//! The one walk over the dialplan's priorities that the per-priority checks share.
//!
//! Each priority loaded from a file is read once into a [`Step`]: its application and data sliced once, the
//! application classified by one look-up ([`Apps`]), its data scanned once for `$` and `=` (what the
//! language, function and variable checks stop at), and a `Dial`'s arguments split once ([`DialArgs`]).
//! The checks then dispatch on the [`AppKind`] instead of comparing names, and collect what the
//! dialplan-wide checks (targets, reachability, features) need afterwards.

use super::apps::{AppKind, Apps};
use super::dial::DialArgs;
use super::jumplist::Jumps;
use super::repeat::{self, Seen};
use super::vars::VarScan;
use super::{args, bytes, features, goto, jumps, lang, options, target, Via};
use dialplan::diag::Diagnostic;
use dialplan::model::{Dialplan, Extension, Priority};

/// One priority loaded from a file, as the checks see it.
pub(super) struct Step<'a> {
    pub context: &'a str,
    pub exten: &'a str,
    pub extension: &'a Extension,
    pub priority: &'a Priority,
    /// The application name as written.
    pub app: &'a str,
    pub kind: AppKind,
    /// The data, unsubstituted.
    pub data: &'a str,
    /// Whether the data has a `$` (anything may come of it at run time).
    pub dollar: bool,
    /// Whether the data has a `=`.
    pub equals: bool,
}

/// Whether the walk skips the checks of a priority that repeats a quiet earlier text (see
/// [`super::repeat`]). Both give the same diagnostics; checking each priority is what the tests compare
/// the shortcut against.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Repeats {
    /// A repeated quiet text is not checked again.
    Skip,
    /// Every priority is checked.
    #[cfg_attr(not(test), allow(dead_code))]
    CheckEach,
}

/// What the walk collects for the dialplan-wide checks, in dialplan order.
pub(super) struct Scan<'a> {
    /// Every priority that may jump (see [`Via`]).
    pub jumps: Jumps<'a>,
    /// What the feature check needs from the `Dial`s, `Set`s and `MSet`s.
    pub dials: features::Dials<'a>,
    /// The extensions (with their contexts' names) where the reachability check has something to look
    /// at: a priority before the last one that never goes on to the next (`Goto`, `Hangup`, a `GotoIf`
    /// with both branches), or a priority the walk does not read (not loaded from a file). In the
    /// others every priority falls through to the next, so none can be unreachable.
    pub stopping: Vec<(&'a str, &'a Extension)>,
    /// Set by [`Scan::kind_specific`] for a `GotoIf` with both branches: it never goes on.
    gotoif_stops: bool,
    /// Set by [`Scan::kind_specific`] for a `Dial`: what its options grant.
    dial_grant: features::Grant,
}

impl<'a> Scan<'a> {
    /// Walks the dialplan: the per-priority checks report into `out` as they go; `dials` gathers for the
    /// feature check.
    pub(super) fn new(
        dp: &'a Dialplan,
        dials: features::Dials<'a>,
        repeats: Repeats,
        out: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut scan = Scan {
            // About one priority in ten jumps somewhere; room for a few more up front spares the list its
            // copies as it grows (each into fresh memory the kernel must clear; room never written costs
            // nothing).
            jumps: Jumps::with_capacity(dp.priority_count() / 6),
            dials,
            stopping: Vec::new(),
            gotoif_stops: false,
            dial_grant: features::Grant::Nothing,
        };
        let engine = dialplan::engine::Engine::new(
            dialplan::engine::EngineConfig::default(),
            Box::new(dialplan::engine::plan::EmptyPlan),
        );
        let mut apps = Apps::new(engine.app_names());
        let mut lang = lang::LangScan::new(&engine);
        let mut vars = VarScan::new(dp);
        // The texts met so far: a priority that repeats a quiet one is not checked again.
        let mut seen = Seen::default();
        for context in dp.contexts() {
            scan.jumps.enter(context.name());
            for ext in context.extensions() {
                let prios = ext.priorities();
                // Whether the reachability check must look at this extension (see `Scan::stopping`).
                let mut stopping = false;
                for (i, p) in prios.iter().enumerate() {
                    if p.is_hint() {
                        continue;
                    }
                    if p.source().is_none() {
                        stopping = true;
                        continue;
                    }
                    let (app, data) = (p.app(), p.data());
                    let last = i + 1 == prios.len();
                    // A quiet text met before (its application is then one that `per_text` admits) needs
                    // neither the application's class nor any check.
                    if let Some(again) = seen.quiet(app, data) {
                        vars.reread(again.reads);
                        scan.jumps.repeat(again.first, again.count, ext, p);
                        stopping |= again.stops && !last;
                        continue;
                    }
                    let class = apps.class(app);
                    let ends = matches!(class.kind, AppKind::Goto | AppKind::Hangup);
                    stopping |= ends && !last;
                    let per_text = class.kind.per_text();
                    vars.clear_recent();
                    // A `Dial` whose arguments after its targets repeat an earlier quiet one's needs only
                    // its targets checked.
                    let mut dial_rest = None;
                    if class.kind == AppKind::Dial {
                        if let Some((targets, rest)) = repeat::dial_tail(data) {
                            if let Some(grant) = seen.dial_again(app, rest) {
                                scan.dials.dial_again(p, targets, grant);
                                continue;
                            }
                            dial_rest = Some(rest);
                        }
                    }
                    let before = (out.len(), scan.jumps.len());
                    let mut step = Step {
                        context: context.name(),
                        exten: ext.name(),
                        extension: ext,
                        priority: p,
                        app,
                        kind: class.kind,
                        data,
                        dollar: false,
                        equals: false,
                    };
                    if !class.known {
                        lang.unknown_app(&step, &apps, out);
                    }
                    lang.app(&step);
                    vars.app(step.kind, step.data);
                    scan_data(&mut step, &lang, &mut vars, out);
                    args::app(&step, out);
                    scan.kind_specific(&step, out);
                    let stops = std::mem::take(&mut scan.gotoif_stops);
                    stopping |= stops && !last;
                    if repeats == Repeats::CheckEach {
                        continue;
                    }
                    if let Some(rest) = dial_rest {
                        let quiet = before == (out.len(), scan.jumps.len());
                        seen.note_dial(app, rest, quiet, scan.dial_grant);
                    }
                    if per_text {
                        let first = repeat::First {
                            quiet: before.0 == out.len(),
                            stops: stops || ends,
                            reads: vars.recent(),
                            first: before.1,
                            count: scan.jumps.len() - before.1,
                        };
                        seen.note(app, data, first);
                    }
                }
                if stopping {
                    scan.stopping.push((context.name(), ext));
                }
            }
        }
        lang.finish(dp, out);
        vars.finish(out);
        scan
    }

    /// The checks and collections that only some applications need.
    fn kind_specific(&mut self, step: &Step<'a>, out: &mut Vec<Diagnostic>) {
        match step.kind {
            AppKind::Goto | AppKind::GotoIf | AppKind::Gosub | AppKind::GosubIf => {
                let targets = goto::branches(step.kind, step.data);
                let mut locations = [None, None];
                for (slot, arg) in locations.iter_mut().zip(targets.iter()) {
                    *slot = target::parse_location(arg);
                }
                // Both branches jump: the reachability check must look at what follows.
                self.gotoif_stops = step.kind == AppKind::GotoIf && targets.len() >= 2;
                let via = if matches!(step.kind, AppKind::Gosub | AppKind::GosubIf) {
                    Via::Gosub
                } else {
                    Via::Goto
                };
                step.jump(&mut self.jumps, via, targets, locations)
            }
            AppKind::Dial => {
                let args = DialArgs::new(step.data);
                options::check(step, Some(&args), out);
                jumps::dial(step, &args, &mut self.jumps);
                self.dial_grant = self.dials.dial(step.priority, &args);
            }
            AppKind::Set | AppKind::MSet => {
                self.dials.set(step.data);
                jumps::other(step, &mut self.jumps);
            }
            AppKind::Park
            | AppKind::ParkAndAnnounce
            | AppKind::Read
            | AppKind::BackGround
            | AppKind::BridgeWait
            | AppKind::WaitExten => {
                options::check(step, None, out);
                jumps::other(step, &mut self.jumps);
            }
            _ => jumps::other(step, &mut self.jumps),
        }
    }
}

/// The one pass over a priority's data: each `${` goes to the language check (functions, and variable
/// reads for the variable check), each `=` to the variable check (assignments).
fn scan_data<'a>(
    step: &mut Step<'a>,
    lang: &lang::LangScan<'a>,
    vars: &mut VarScan<'a>,
    out: &mut Vec<Diagnostic>,
) {
    let data = step.data;
    let b = data.as_bytes();
    for i in bytes::hits(b, [b'$', b'=']) {
        if b[i] == b'$' {
            step.dollar = true;
            if b.get(i + 1) == Some(&b'{') {
                lang.expansion(step, i, vars, out);
            }
        } else {
            step.equals = true;
            vars.assignment(data, i);
        }
    }
}
