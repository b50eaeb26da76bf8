//! `While(expr)`, `EndWhile()`, `ExitWhile()`, `ContinueWhile()` (apps/app_while.c).
//!
//! Loops are kept in channel variables as Asterisk keeps them: `WHILE_<n>` holds the While's location,
//! `END_WHILE_<n>` the priority after its EndWhile, and `<context>_<exten>_<priority>` which `n` a While
//! uses. A false condition (or ExitWhile) deletes them and jumps past the matching EndWhile — found by
//! scanning the following priorities when the loop never reached it (`Jumping to priority N`).

use super::goto;
use crate::diag::LogLevel;
use crate::engine::{App, AppResult, ChannelId, Engine, Exec};
use crate::expr::check_condition;

pub struct While;
pub struct EndWhile;
pub struct ExitWhile;
pub struct ContinueWhile;

/// Which of the three While applications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Start,
    End,
    Exit,
}

fn index_var(i: i64) -> String {
    format!("WHILE_{i}")
}

/// The highest `WHILE_<n>` in use, or −1.
fn used_index(engine: &Engine, chan: ChannelId) -> i64 {
    let mut x = 0;
    while engine.get_var(chan, &index_var(x)).is_some() {
        x += 1;
    }
    x - 1
}

/// `find_matching_endwhile`: the priority of the EndWhile that closes the While at the current priority.
fn matching_endwhile(engine: &Engine, chan: ChannelId) -> Option<i32> {
    let (ctx, exten, prio, cid) = engine.position(chan)?;
    let plan = engine.plan();
    let mut level = 1;
    let mut p = prio + 1;
    while let Some(step) = plan.step(&ctx, &exten, p, cid.as_deref()) {
        if step.app.eq_ignore_ascii_case("While") {
            level += 1;
        } else if step.app.eq_ignore_ascii_case("EndWhile") {
            level -= 1;
        }
        if level == 0 {
            return Some(p);
        }
        p += 1;
    }
    None
}

fn while_exec(engine: &Engine, chan: ChannelId, data: &str, kind: Kind) -> AppResult {
    let used = used_index(engine, chan);
    let Some((ctx, exten, prio)) =
        engine.with_chan(chan, |c| (c.context.clone(), c.exten.clone(), c.priority))
    else {
        return AppResult::Hangup;
    };
    let my_name = format!("{ctx}_{exten}_{prio}");
    let label = match kind {
        Kind::End | Kind::Exit => used.to_string(),
        Kind::Start => match engine.get_var(chan, &my_name) {
            Some(l) => l,
            None => {
                let l = (used + 1).to_string();
                engine.set_var(chan, &my_name, Some(&l));
                l
            }
        },
    };
    let varname = format!("WHILE_{label}");
    let end_varname = format!("END_{varname}");
    let while_pri = engine.get_var(chan, &varname);
    if (kind == Kind::Start && !check_condition(data)) || kind == Kind::Exit {
        engine.set_var(chan, &varname, None);
        engine.set_var(chan, &my_name, None);
        if let Some(goto_str) = engine.get_var(chan, &end_varname) {
            let _ = goto::parseable(engine, chan, &goto_str);
            engine.set_var(chan, &end_varname, None);
        } else if let Some(p) = matching_endwhile(engine, chan) {
            engine.verbose(3, "app_while.c", || format!("Jumping to priority {p}"));
            engine.with_chan_mut(chan, |c| c.priority = p);
        } else {
            engine.log(LogLevel::Warning, "app_while.c", || {
                format!("Couldn't find matching EndWhile? (While at {ctx}@{exten} priority {prio})")
            });
        }
        return AppResult::Continue;
    }
    match (kind, while_pri) {
        (Kind::Start, None) => {
            engine.set_var(chan, &varname, Some(&format!("{ctx},{exten},{prio}")));
        }
        (Kind::End, Some(pri)) => {
            if engine.get_var(chan, &end_varname).is_none() {
                engine.set_var(
                    chan,
                    &end_varname,
                    Some(&format!("{ctx},{exten},{}", prio + 1)),
                );
            }
            let _ = goto::parseable(engine, chan, &pri);
        }
        _ => {}
    }
    AppResult::Continue
}

impl App for While {
    fn name(&self) -> &'static str {
        "While"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        Exec::Done(while_exec(engine, chan, data, Kind::Start))
    }
}

impl App for EndWhile {
    fn name(&self) -> &'static str {
        "EndWhile"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        Exec::Done(while_exec(engine, chan, data, Kind::End))
    }
}

impl App for ExitWhile {
    fn name(&self) -> &'static str {
        "ExitWhile"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, data: &str) -> Exec {
        Exec::Done(while_exec(engine, chan, data, Kind::Exit))
    }
}

impl App for ContinueWhile {
    fn name(&self) -> &'static str {
        "ContinueWhile"
    }

    fn exec(&self, engine: &Engine, chan: ChannelId, _data: &str) -> Exec {
        let used = used_index(engine, chan);
        if used >= 0 {
            if let Some(pri) = engine.get_var(chan, &index_var(used)) {
                let _ = goto::parseable(engine, chan, &pri);
            }
        }
        Exec::Done(AppResult::Continue)
    }
}
