//! `ShowDialPlan`: one `ListDialplan` event per priority, include, ignore pattern and switch, then
//! `ShowDialPlanComplete` with the counts (`manager_show_dialplan`, main/pbx.c). With `Extension`, includes
//! are searched for it (each once) instead of listed.

use super::ActionDef;
use crate::ami::{AmiContext, Message, Reply};
use dialplan::model::{Dialplan, Pattern, PRIORITY_HINT};

pub const DEF: ActionDef = ActionDef {
    name: "ShowDialPlan",
    privilege: &["config", "reporting"],
    synopsis: "Show dialplan contexts and extensions",
    run,
};

#[derive(Default)]
struct Counters {
    context_found: bool,
    exten_found: bool,
    contexts: usize,
    extens: usize,
    prios: usize,
}

fn run(ctx: &AmiContext<'_>, m: &Message) -> Reply {
    let plan = ctx.engine.plan();
    let Some(dp) = plan.as_any().downcast_ref::<Dialplan>() else {
        return Reply::error(m, "Failed to lock contexts");
    };
    let context = m.get("Context").unwrap_or("");
    let exten = m.get("Extension").unwrap_or("");
    let mut items = Vec::new();
    let mut n = Counters::default();
    let mut stack = Vec::new();
    walk(dp, m, context, exten, &mut n, &mut items, true, &mut stack);
    let mut r = Reply::list_ack(m, "DialPlan list will follow");
    let count = items.len();
    r.events = items;
    if !context.is_empty() && !n.context_found {
        // Asterisk has already written what it found; the error follows it.
        return error_after(r, m, &format!("Did not find context {context}"));
    }
    if !exten.is_empty() && !n.exten_found {
        let text = if context.is_empty() {
            format!("Did not find extension {exten} in any context")
        } else {
            format!("Did not find extension {exten}@{context}")
        };
        return error_after(r, m, &text);
    }
    let mut done = Reply::list_complete(m, "ShowDialPlanComplete", count);
    done.push("ListExtensions", n.extens.to_string());
    done.push("ListPriorities", n.prios.to_string());
    done.push("ListContexts", n.contexts.to_string());
    r.events.push(done);
    r
}

/// The events found before an error, then the error (no ack when nothing was found).
fn error_after(found: Reply, m: &Message, text: &str) -> Reply {
    let err = Reply::error(m, text);
    if found.events.is_empty() {
        return err;
    }
    let mut r = found;
    r.events.push(err.response);
    r
}

#[allow(clippy::too_many_arguments)]
fn walk<'a>(
    dp: &'a Dialplan,
    m: &Message,
    context: &str,
    exten: &str,
    n: &mut Counters,
    out: &mut Vec<Message>,
    top: bool,
    stack: &mut Vec<&'a str>,
) {
    let event = |out: &mut Vec<Message>, pairs: Vec<(&str, String)>| {
        let mut e = Message::new();
        e.push("Event", "ListDialplan");
        if let Some(id) = m.get("ActionID").filter(|i| !i.is_empty()) {
            e.push("ActionID", id);
        }
        for (k, v) in pairs {
            e.push(k, v);
        }
        out.push(e);
    };
    for c in dp.contexts() {
        if !context.is_empty() && c.name() != context {
            continue;
        }
        n.context_found = true;
        n.contexts += 1;
        for e in c.extensions() {
            if !exten.is_empty() && !e.pattern().matches(exten) {
                continue;
            }
            n.exten_found = true;
            n.extens += 1;
            let registrar = e
                .priorities()
                .first()
                .map(|p| p.registrar().to_string())
                .unwrap_or_default();
            for p in e.priorities() {
                n.prios += 1;
                let mut pairs = vec![
                    ("Context", c.name().to_string()),
                    ("Extension", e.name().to_string()),
                ];
                if let Some(l) = p.label() {
                    pairs.push(("ExtensionLabel", l.to_string()));
                }
                if p.number() == PRIORITY_HINT {
                    pairs.push(("Priority", "hint".to_string()));
                    pairs.push(("Application", p.app().to_string()));
                } else {
                    pairs.push(("Priority", p.number().to_string()));
                    pairs.push(("Application", p.app().to_string()));
                    pairs.push(("AppData", p.data().to_string()));
                }
                pairs.push(("Registrar", registrar.clone()));
                event(out, pairs);
            }
        }
        for inc in c.includes() {
            if !exten.is_empty() {
                // Each include searched once per walk, as Asterisk's include stack does.
                if stack.len() < 128 && !stack.iter().any(|s| s.eq_ignore_ascii_case(inc.name())) {
                    stack.push(inc.name());
                    walk(dp, m, inc.name(), exten, n, out, false, stack);
                }
            } else {
                event(
                    out,
                    vec![
                        ("Context", c.name().to_string()),
                        ("IncludeContext", inc.name().to_string()),
                        ("Registrar", inc.registrar().to_string()),
                    ],
                );
            }
        }
        for ip in c.ignorepats() {
            let pattern = Pattern::new(&format!("_{}.", ip.pattern));
            if exten.is_empty() || pattern.matches(exten) {
                event(
                    out,
                    vec![
                        ("Context", c.name().to_string()),
                        ("IgnorePattern", ip.pattern.to_string()),
                        ("Registrar", ip.registrar.to_string()),
                    ],
                );
            }
        }
        if top {
            for sw in c.switches() {
                event(
                    out,
                    vec![
                        ("Context", c.name().to_string()),
                        ("Switch", format!("{}/{}", sw.name, sw.data)),
                        ("Registrar", sw.registrar.to_string()),
                    ],
                );
            }
        }
    }
}
