//! Swapping a freshly loaded set of contexts into the dialplan while keeping what other modules registered
//! (`main/pbx.c`: `ast_merge_contexts_and_delete`, `context_merge`,
//! `context_merge_incls_swits_igps_other_registrars`).
//!
//! pbx_config builds its contexts apart (newest first, like the main list), then walks the old contexts in
//! hash-table order (most recently created first) and copies every priority, include, switch and ignore
//! pattern *not* owned by pbx_config into the new set, creating the context at the front of the new list
//! when extensions.conf does not define it. Such a re-created context is "created by" the registrar of the
//! first foreign priority the walk meets — extensions and priorities are also walked most recently inserted
//! first — so res_parking's `parkedcalls` shows `created by 'res_parking/default'` (its last `ParkedCall`
//! space) although res_parking created it as `res_parking`. A context extensions.conf defines keeps
//! `pbx_config`. A foreign priority that clashes with one of extensions.conf is dropped with Asterisk's
//! "already in use" warning.

use super::context::{Context, Extension, NewPriority, Priority, Replace, PRIORITY_HINT};
use super::dialplan::Dialplan;
use super::load::MERGE_CONFLICT;
use super::lookup::{Query, Target};
use super::pattern::Mode;
use crate::diag::{Diagnostic, LogLevel, LogLine};

/// What the merge reports, in the order Asterisk prints it.
pub(crate) enum MergeEvent {
    Log(LogLine),
    Conflict(Diagnostic),
}

/// Replaces `dp`'s contexts by `local`'s, keeping what registrars other than `registrar` own.
pub(crate) fn merge(dp: &mut Dialplan, mut local: Dialplan, registrar: &str) -> Vec<MergeEvent> {
    let old = dp.take_contexts();
    let mut events = Vec::new();
    for ctx in old.iter().rev() {
        context_merge(&mut local, ctx, registrar, &mut events);
    }
    dp.seq = local.seq;
    dp.replace_contexts(local.take_contexts());
    events
}

fn new_priority<'a>(ext: &'a Extension, p: &'a Priority) -> NewPriority<'a> {
    NewPriority {
        exten: ext.name_of(p),
        callerid: ext.callerid().map(|c| c.text()),
        priority: p.number(),
        label: p.label(),
        app: p.app(),
        data: p.data(),
        registrar: p.registrar(),
        source: p.source(),
    }
}

fn context_merge(
    local: &mut Dialplan,
    ctx: &Context,
    registrar: &str,
    events: &mut Vec<MergeEvent>,
) {
    let name = ctx.name();
    let mut new_exists = local.context(name).is_some();
    let mut insert_count = 0u32;
    let mut first = true;
    if ctx.has_table {
        for ext in ctx.extensions_in_table_order() {
            let cid = ext.callerid().map(|c| c.text());
            for p in ext.priorities_in_table_order() {
                let new_has_prio = local
                    .context(name)
                    .and_then(|c| c.extension_by_key(ext.pattern().key(), cid))
                    .is_some_and(|e| e.priority(p.number()).is_some());
                if p.registrar() == registrar {
                    if p.number() != PRIORITY_HINT
                        || ext.name_of(p).starts_with('_')
                        || new_has_prio
                        || !new_exists
                    {
                        continue;
                    }
                    // A hint of ours that the new file lacks survives when a pattern hint of the new
                    // context matches it (hints created from patterns at run time).
                    let matched = local.context(name).is_some_and(|newctx| {
                        let q = Query {
                            context: name,
                            exten: ext.name_of(p),
                            target: Target::Priority(PRIORITY_HINT),
                            callerid: Some(""),
                            mode: Mode::Match,
                        };
                        local.lookup_in(newctx, &q).found.is_some()
                    });
                    if matched {
                        add(local, name, ext, p, events);
                    }
                    continue;
                }
                if !new_exists {
                    let c = local.find_or_create_context(name, p.registrar());
                    c.autohints = ctx.autohints;
                    new_exists = true;
                }
                if first {
                    merge_incls_swits_igps(local, ctx, registrar, events);
                    first = false;
                }
                add(local, name, ext, p, events);
                insert_count += 1;
            }
        }
    } else if new_exists {
        merge_incls_swits_igps(local, ctx, registrar, events);
    }
    if insert_count == 0 && !new_exists && (ctx.registrar() != registrar || ctx.refcount > 1) {
        let c = local.find_or_create_context(name, ctx.registrar());
        c.autohints = ctx.autohints;
        merge_incls_swits_igps(local, ctx, registrar, events);
    }
}

fn add(
    local: &mut Dialplan,
    name: &str,
    ext: &Extension,
    p: &Priority,
    events: &mut Vec<MergeEvent>,
) {
    match local.add_extension_at(name, new_priority(ext, p), p.location(), Replace::No) {
        Ok(added) => events.extend(added.warnings.into_iter().map(MergeEvent::Log)),
        Err(err) => {
            let mut d = Diagnostic::warning(
                MERGE_CONFLICT,
                format!(
                    "extension '{}' priority {} in '{name}' from {} is dropped: extensions.conf defines it too",
                    ext.name_of(p),
                    p.number(),
                    p.registrar()
                ),
            )
            .with_help("Asterisk keeps the priority from extensions.conf and logs the clash; rename one of them")
            .with_log(err.log_line());
            let theirs = local
                .context(name)
                .and_then(|c| {
                    c.extension_by_key(ext.pattern().key(), ext.callerid().map(|c| c.text()))
                })
                .and_then(|e| e.priority(p.number()))
                .and_then(|q| q.source());
            if let Some(span) = theirs {
                d = d.with_span(span);
            }
            events.push(MergeEvent::Conflict(d));
        }
    }
}

fn merge_incls_swits_igps(
    local: &mut Dialplan,
    old: &Context,
    registrar: &str,
    events: &mut Vec<MergeEvent>,
) {
    let name = old.name();
    let Some(new) = local.context_mut(name) else {
        return;
    };
    for inc in old.includes().iter().filter(|i| i.registrar() != registrar) {
        // A repeated include is refused silently here.
        let _ = new.add_include(inc.clone());
    }
    for sw in old.switches().iter().filter(|s| &*s.registrar != registrar) {
        if new.add_switch(sw.clone()).is_ok() {
            events.push(MergeEvent::Log(LogLine::new(
                LogLevel::Verbose(3),
                "pbx.c",
                format!(
                    "Including switch '{}/{}' in context '{name}'",
                    sw.name, sw.data
                ),
            )));
        }
    }
    for ip in old
        .ignorepats()
        .iter()
        .filter(|i| &*i.registrar != registrar)
    {
        let _ = new.add_ignorepat(ip.clone());
    }
}
