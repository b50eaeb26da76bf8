//! `GROUP([category])`, `GROUP_COUNT([group][@category])`, `GROUP_MATCH_COUNT(groupmatch[@category])` and
//! `GROUP_LIST()` (funcs/func_groupcount.c over main/app.c's group list, [`crate::engine::groups`]).

use super::util::{engine_of, log};
use super::Function;
use crate::diag::LogLevel;
use crate::engine::groups::GroupEntry;
use crate::expr::expression::regex::{Anchor, Regex};
use crate::expr::{Effects, FuncError, VarContext};

/// `GROUP`: reading gives the channel's group of that category (no argument: its first group of any
/// category); writing sets it (an empty value removes it).
pub struct Group;

/// `GROUP_COUNT`: how many channels are in the group (no group given: the channel's own of that
/// category, or of any).
pub struct GroupCount;

/// `GROUP_MATCH_COUNT`: how many entries' groups (and categories) the POSIX extended patterns match.
pub struct GroupMatchCount;

/// `GROUP_LIST`: the channel's `group[@category]` entries, space-separated.
pub struct GroupList;

impl Function for Group {
    fn name(&self) -> &'static str {
        "GROUP"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, chan) = engine_of(ctx, "GROUP")?;
        e.groups()
            .into_iter()
            .filter(|g| g.chan == chan)
            .find(|g| {
                args.is_empty() || (!g.category.is_empty() && g.category.eq_ignore_ascii_case(args))
            })
            .map(|g| g.group)
            .ok_or(FuncError::Failed)
    }

    fn write(
        &self,
        args: &str,
        value: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<(), FuncError> {
        let (e, chan) = engine_of(ctx, "GROUP")?;
        let grpcat = if args.is_empty() {
            truncate(value, 255).to_string()
        } else {
            truncate(&format!("{value}@{args}"), 255).to_string()
        };
        let (group, category) = split_group(&grpcat);
        e.group_set(chan, &group, &category);
        Ok(())
    }
}

impl Function for GroupCount {
    fn name(&self) -> &'static str {
        "GROUP_COUNT"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, chan) = engine_of(ctx, "GROUP_COUNT")?;
        let groups = e.groups();
        let (mut group, mut category) = split_group(args);
        if group.is_empty() {
            let own = groups.iter().filter(|g| g.chan == chan).find(|g| {
                category.is_empty()
                    || (!g.category.is_empty() && g.category.eq_ignore_ascii_case(&category))
            });
            if let Some(g) = own {
                group = g.group.clone();
                if !g.category.is_empty() {
                    category = g.category.clone();
                }
            }
        }
        // ast_app_group_get_count: no group counts 0 (so the NOTICE about a missing group never shows).
        let count = if group.is_empty() {
            0
        } else {
            groups
                .iter()
                .filter(|g| g.group.eq_ignore_ascii_case(&group) && category_matches(g, &category))
                .count()
        };
        Ok(count.to_string())
    }
}

impl Function for GroupMatchCount {
    fn name(&self) -> &'static str {
        "GROUP_MATCH_COUNT"
    }

    fn read(
        &self,
        args: &str,
        ctx: &mut dyn VarContext,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (group, category) = split_group(args);
        if group.is_empty() {
            return Err(FuncError::Failed);
        }
        let (e, _) = engine_of(ctx, "GROUP_MATCH_COUNT")?;
        let Ok(group_re) = Regex::new(&group) else {
            log(
                fx,
                LogLevel::Error,
                "app.c",
                format!("Regex compile failed on: {group}"),
            );
            return Ok("0".to_string());
        };
        let category_re = if category.is_empty() {
            None
        } else {
            match Regex::new(&category) {
                Ok(re) => Some(re),
                Err(_) => {
                    log(
                        fx,
                        LogLevel::Error,
                        "app.c",
                        format!("Regex compile failed on: {category}"),
                    );
                    return Ok("0".to_string());
                }
            }
        };
        let count = e
            .groups()
            .iter()
            .filter(|g| {
                group_re.find(&g.group, Anchor::Anywhere).is_some()
                    && category_re.as_ref().is_none_or(|re| {
                        !g.category.is_empty() && re.find(&g.category, Anchor::Anywhere).is_some()
                    })
            })
            .count();
        Ok(count.to_string())
    }
}

impl Function for GroupList {
    fn name(&self) -> &'static str {
        "GROUP_LIST"
    }

    fn read(
        &self,
        _args: &str,
        ctx: &mut dyn VarContext,
        _fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let (e, chan) = engine_of(ctx, "GROUP_LIST")?;
        let items: Vec<String> = e
            .groups()
            .into_iter()
            .filter(|g| g.chan == chan)
            .map(|g| {
                if g.category.is_empty() {
                    g.group
                } else {
                    format!("{}@{}", g.group, g.category)
                }
            })
            .collect();
        Ok(items.join(" "))
    }
}

/// Whether an entry is in `category` (an empty category matches every entry).
fn category_matches(g: &GroupEntry, category: &str) -> bool {
    category.is_empty() || (!g.category.is_empty() && g.category.eq_ignore_ascii_case(category))
}

/// `ast_app_group_split_group`: `group@category` (at the first `@`), the text read into 256 bytes and
/// each part into 80.
fn split_group(data: &str) -> (String, String) {
    let data = truncate(data, 255);
    let (group, category) = data.split_once('@').unwrap_or((data, ""));
    (
        truncate(group, 79).to_string(),
        truncate(category, 79).to_string(),
    )
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
