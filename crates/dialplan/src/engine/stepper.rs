//! Driving a simulation from outside, a little at a time (the step-through console), instead of one
//! [`Engine::block_on`] for the whole run.
//!
//! A [`Stepper`] owns the paused-clock runtime and the `LocalSet` every task of the run lives on, and keeps
//! them between calls. [`Stepper::run_until`] lets the run go on until something is published (a
//! subscriber calls [`Stepper::wake`]) or a virtual time is reached, then hands control back; the tasks
//! wait where they are, on the frozen virtual clock, until the next call. Nothing changes in how the run
//! behaves: the same tasks, timers and order as under `block_on`, only observed in pieces.
//!
//! Everything that reads the clock or spawns tasks must run inside the runtime: use [`Stepper::enter`]
//! for code between steps (a console command that starts a call, or that reads `Engine::now`).

use super::Engine;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use tokio::sync::Notify;

/// Why [`Stepper::run_until`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pause {
    /// Something was published (or [`Stepper::wake`] was called).
    Woken,
    /// The virtual time limit was reached.
    Limit,
}

/// The runtime of one simulation, kept between steps.
pub struct Stepper {
    rt: tokio::runtime::Runtime,
    local: tokio::task::LocalSet,
    woken: Rc<Notify>,
}

impl Stepper {
    /// A paused-clock runtime for `engine`; the engine's time 0 is now. `waker` is what wakes
    /// [`Stepper::run_until`]: give the same `Notify` to a subscriber that calls `notify_one` on each
    /// event.
    pub fn new(engine: &Engine, waker: Rc<Notify>) -> std::io::Result<Stepper> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()?;
        let local = tokio::task::LocalSet::new();
        let stepper = Stepper {
            rt,
            local,
            woken: waker,
        };
        stepper.enter(|| engine.start_clock());
        Ok(stepper)
    }

    /// Runs `f` inside the runtime and the `LocalSet` (so it may spawn tasks and read the virtual
    /// clock). Tasks it spawns do not run until the next [`Stepper::run_until`].
    pub fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        self.local.block_on(&self.rt, async move { f() })
    }

    /// Spawns a task of the run.
    pub fn spawn(&self, fut: impl Future<Output = ()> + 'static) -> tokio::task::JoinHandle<()> {
        self.local.spawn_local(fut)
    }

    /// Wakes [`Stepper::run_until`] (or makes the next call return at once).
    pub fn wake(&self) {
        self.woken.notify_one();
    }

    /// Lets the run go on until it is woken or the virtual time `limit` (since the start) is reached.
    pub fn run_until(&self, engine: &Engine, limit: Duration) -> Pause {
        let woken = self.woken.clone();
        let e = engine.clone();
        self.local.block_on(&self.rt, async move {
            let deadline = e.instant(limit);
            tokio::select! {
                biased;
                _ = woken.notified() => Pause::Woken,
                _ = tokio::time::sleep_until(deadline) => Pause::Limit,
            }
        })
    }

    /// The virtual time now.
    pub fn now(&self, engine: &Engine) -> Duration {
        let _guard = self.rt.enter();
        engine.now()
    }
}

impl Engine {
    /// PBXs started so far in this run (Asterisk's `ast_processed_calls`, what `core show channels` calls
    /// "calls processed").
    pub fn calls_processed(&self) -> u32 {
        self.inner.counters.borrow().pbx_runs
    }

    /// Channels running a PBX now (Asterisk's `ast_active_calls`).
    pub fn active_calls(&self) -> usize {
        self.inner
            .chans
            .borrow()
            .iter()
            .flatten()
            .filter(|c| !c.dead && c.in_pbx)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{EngineConfig, TablePlan};

    #[test]
    fn time_moves_only_when_told() {
        let engine = Engine::new(EngineConfig::default(), Box::new(TablePlan::default()));
        let waker = Rc::new(Notify::new());
        let s = Stepper::new(&engine, waker.clone()).unwrap();
        assert_eq!(s.now(&engine), Duration::ZERO);
        let e = engine.clone();
        s.enter(|| {
            tokio::task::spawn_local(async move {
                e.sleep_until(Duration::from_secs(5)).await;
                waker.notify_one();
            });
        });
        assert_eq!(s.now(&engine), Duration::ZERO);
        assert_eq!(s.run_until(&engine, Duration::from_secs(2)), Pause::Limit);
        assert_eq!(s.now(&engine), Duration::from_secs(2));
        assert_eq!(s.run_until(&engine, Duration::from_secs(60)), Pause::Woken);
        assert_eq!(s.now(&engine), Duration::from_secs(5));
    }
}
