//! The wall clock for `dialsim serve`: the pacer of the engine's executor (`Pace::Held`). The engine keeps
//! its virtual clock, which is what makes its timings exact (every timer fires at its own millisecond, in
//! order); this pacer only stops that clock from running ahead of the wall clock scaled by `--speed`.
//!
//! How: when every task of the engine waits, the executor asks the pacer how far virtual time may go. The
//! pacer parks the engine thread until the wall clock reaches the next timer (scaled), or until a request
//! from the network wakes the thread, and answers with the virtual time the wall clock has reached; the
//! executor then fires, in order, every timer due by then.

use std::time::{Duration, Instant};

/// The longest the engine thread sleeps at once when no timer is set.
const MAX_WAIT: Duration = Duration::from_millis(500);

/// Virtual time = wall time since the start × `speed`.
pub struct WallPace {
    wall_start: Instant,
    speed: f64,
}

impl WallPace {
    /// Virtual time 0 is now.
    pub fn new(speed: f64) -> WallPace {
        WallPace {
            wall_start: Instant::now(),
            speed,
        }
    }

    /// Called when every task waits, with the virtual time now and that of the next timer: waits (on the
    /// wall clock) until that timer is due or the thread is unparked, and returns the virtual time reached.
    pub fn hold(&mut self, now: Duration, next: Option<Duration>) -> Duration {
        let reached = self.reached();
        if next.is_some_and(|n| reached >= n) {
            return reached;
        }
        let wait = match next {
            Some(n) => self
                .wall_of(n)
                .saturating_sub(self.wall_start.elapsed())
                .max(Duration::from_micros(100)),
            None => MAX_WAIT,
        };
        std::thread::park_timeout(wait.min(MAX_WAIT));
        self.reached().max(now)
    }

    fn reached(&self) -> Duration {
        virtual_at(self.wall_start.elapsed(), self.speed)
    }

    /// The wall time (since the start) at which virtual time `v` is reached.
    fn wall_of(&self, v: Duration) -> Duration {
        if self.speed > 0.0 {
            Duration::try_from_secs_f64(v.as_secs_f64() / self.speed).unwrap_or(Duration::MAX)
        } else {
            Duration::MAX
        }
    }
}

/// The virtual time matching `wall` at `speed`, in whole milliseconds.
fn virtual_at(wall: Duration, speed: f64) -> Duration {
    Duration::from_millis((wall.as_secs_f64() * speed * 1000.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_due_timer_is_reached_without_waiting() {
        let mut p = WallPace::new(1000.0);
        std::thread::sleep(Duration::from_millis(5));
        let t = p.hold(Duration::ZERO, Some(Duration::from_millis(1)));
        assert!(t >= Duration::from_millis(1));
    }

    #[test]
    fn virtual_time_follows_the_wall_clock_scaled() {
        assert_eq!(
            virtual_at(Duration::from_millis(10), 100.0),
            Duration::from_secs(1)
        );
    }
}
