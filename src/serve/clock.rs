//! The wall clock for `dialsim serve`. The engine keeps tokio's paused clock, which is what makes its
//! timings exact (every timer fires at its own millisecond); this driver only stops that clock from running
//! ahead of the wall clock scaled by `--speed`.
//!
//! How: while a blocking task runs, tokio does not auto-advance a paused clock. The driver alternates
//! between waiting for the wall clock inside such a task (virtual time frozen; network requests are still
//! served) and letting virtual time run to the point the wall clock has reached, through every engine timer
//! on the way in order, by sleeping until that point.

use dialplan::engine::Engine;
use std::time::{Duration, Instant};

/// Wall time between two catch-ups.
const TICK: Duration = Duration::from_millis(5);

/// Runs forever (until the runtime stops), keeping virtual time = wall time since start × `speed`.
pub async fn drive(engine: Engine, speed: f64) {
    let wall_start = Instant::now();
    let mut next_tick = wall_start;
    loop {
        next_tick += TICK;
        let target = virtual_at(next_tick.duration_since(wall_start), speed);
        let wall_wait = tokio::task::spawn_blocking(move || {
            let now = Instant::now();
            if next_tick > now {
                std::thread::sleep(next_tick - now);
            }
        });
        // The gate timer bounds any auto-advance to `target`, even in the instant between the blocking
        // task's end and this task's wake-up.
        let gate = engine.sleep_until(target.max(engine.now()));
        let (joined, ()) = tokio::join!(wall_wait, gate);
        if joined.is_err() {
            return;
        }
        // If the engine fell behind (a burst of work), skip the ticks already past.
        let now = Instant::now();
        if next_tick + TICK < now {
            next_tick = now;
        }
    }
}

/// The virtual time matching `wall` at `speed`, in whole milliseconds.
fn virtual_at(wall: Duration, speed: f64) -> Duration {
    Duration::from_millis((wall.as_secs_f64() * speed * 1000.0) as u64)
}
