//! Substitution and expression speed: the engine's target is at least 1,000,000 priorities per second on a
//! `Set`/`GotoIf`/`$[...]` loop, so each of these must stay far below a microsecond.

use criterion::{criterion_group, criterion_main, Criterion};
use dialplan::expr::functions::{CallerId, ChannelItem, FunctionRegistry};
use dialplan::expr::{check_condition, evaluate, substitute, Effects, FuncError, VarContext};
use std::borrow::Cow;
use std::hint::black_box;

/// A channel with a handful of variables, as the engine's context would be.
struct Chan {
    vars: Vec<(String, String)>,
    registry: FunctionRegistry,
}

impl VarContext for Chan {
    fn get_var(&self, name: &str) -> Option<Cow<'_, str>> {
        self.vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| Cow::Borrowed(v.as_str()))
    }
    fn call_function(
        &mut self,
        name: &str,
        args: &str,
        fx: &mut Effects,
    ) -> Result<String, FuncError> {
        let registry = std::mem::take(&mut self.registry);
        let r = registry.read(name, args, self, fx);
        self.registry = registry;
        r
    }
    fn write_function(
        &mut self,
        _: &str,
        _: &str,
        _: &str,
        _: &mut Effects,
    ) -> Result<(), FuncError> {
        Err(FuncError::NotRegistered)
    }
    fn set_var(&mut self, _: &str, _: Option<&str>) {}
    fn get_global(&self, _: &str) -> Option<Cow<'_, str>> {
        None
    }
    fn set_global(&mut self, _: &str, _: Option<&str>) {}
    fn caller_id(&self) -> Option<CallerId> {
        Some(CallerId::new("Alice", "1001"))
    }
    fn set_caller_id(&mut self, _: CallerId) {}
    fn channel_item(&self, _: ChannelItem) -> Option<String> {
        None
    }
    fn set_channel_item(&mut self, _: ChannelItem, _: &str) -> bool {
        false
    }
}

fn chan() -> Chan {
    Chan {
        vars: vec![
            ("i".into(), "41".into()),
            ("EXTEN".into(), "1001".into()),
            ("DIALSTATUS".into(), "ANSWER".into()),
        ],
        registry: FunctionRegistry::with_builtins(),
    }
}

fn bench(c: &mut Criterion) {
    let mut ch = chan();
    c.bench_function("subst plain text", |b| {
        b.iter(|| substitute(black_box("PJSIP/alice,30,tT"), &mut ch))
    });
    c.bench_function("subst Set(i=$[${i} + 1])", |b| {
        b.iter(|| substitute(black_box("i=$[${i} + 1]"), &mut ch))
    });
    c.bench_function("subst GotoIf($[${i} < 1000]?loop)", |b| {
        b.iter(|| {
            let s = substitute(black_box("$[${i} < 1000]?loop"), &mut ch);
            check_condition(&s.text)
        })
    });
    c.bench_function("subst ${EXTEN:1} and ${LEN(...)}", |b| {
        b.iter(|| substitute(black_box("${EXTEN:1}-${LEN(${DIALSTATUS})}"), &mut ch))
    });
    c.bench_function("evaluate 10 / 3", |b| {
        b.iter(|| evaluate(black_box("10 / 3")))
    });
    c.bench_function("evaluate regex", |b| {
        b.iter(|| evaluate(black_box("5551212 : \"555(.*)\"")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
