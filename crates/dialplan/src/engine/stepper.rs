//! Driving a simulation from outside, a little at a time (the step-through console), instead of one
//! [`Engine::block_on`] for the whole run.
//!
//! A [`Stepper`] starts a run on the engine's executor and keeps its tasks and timers between calls.
//! [`Stepper::run_until`] lets the run go on until something is published (a subscriber calls
//! [`Stepper::wake`]) or a virtual time is reached, then hands control back; the tasks wait where they are,
//! on the frozen virtual clock, until the next call. Nothing changes in how the run behaves: the same
//! tasks, timers and order as under `block_on`, only observed in pieces. The run's tasks are dropped with
//! the stepper.

use super::exec::TaskHandle;
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

/// One simulation driven in pieces.
pub struct Stepper {
    engine: Engine,
    woken: Rc<Notify>,
}

impl Stepper {
    /// A new run of `engine` at time 0. `waker` is what wakes [`Stepper::run_until`]: give the same
    /// `Notify` to a subscriber that calls `notify_one` on each event.
    pub fn new(engine: &Engine, waker: Rc<Notify>) -> std::io::Result<Stepper> {
        engine.reset_run();
        Ok(Stepper {
            engine: engine.clone(),
            woken: waker,
        })
    }

    /// Runs `f` between steps (it may spawn tasks and read the virtual clock). Tasks it spawns do not run
    /// until the next [`Stepper::run_until`].
    pub fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        f()
    }

    /// Spawns a task of the run.
    pub fn spawn(&self, fut: impl Future<Output = ()> + 'static) -> TaskHandle {
        self.engine.spawn_tracked(fut)
    }

    /// Wakes [`Stepper::run_until`] (or makes the next call return at once).
    pub fn wake(&self) {
        self.woken.notify_one();
    }

    /// Lets the run go on until it is woken or the virtual time `limit` (since the start) is reached.
    pub fn run_until(&self, engine: &Engine, limit: Duration) -> Pause {
        let woken = self.woken.clone();
        let e = engine.clone();
        let paused = engine.run_piece(async move {
            tokio::select! {
                biased;
                _ = woken.notified() => Pause::Woken,
                _ = e.timer(limit) => Pause::Limit,
            }
        });
        // A run piece only stalls when nothing can happen any more and no timer is set: as good as the limit.
        paused.unwrap_or(Pause::Limit)
    }

    /// The virtual time now.
    pub fn now(&self, engine: &Engine) -> Duration {
        engine.now()
    }
}

impl Drop for Stepper {
    fn drop(&mut self) {
        self.engine.inner.exec.clear();
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
            e.clone().spawn_local(async move {
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
