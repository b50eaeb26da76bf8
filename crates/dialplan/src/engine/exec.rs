//! The engine's own single-threaded executor and virtual clock: the tasks of a run, the timers, and the
//! rule by which virtual time moves.
//!
//! **Why not tokio's paused clock.** A run used to live on a tokio current-thread runtime with a paused
//! clock and a `LocalSet`. Profiled on 10,000 timeout-and-comeback calls, about a third of the run was that
//! machinery: a mutex around the clock on every `Engine::now`, the hierarchical timer wheel (cascading
//! every timer down its levels), the runtime parking its driver once per virtual-time step and reading the
//! real clock twice each time for its metrics. Here the clock is a `Cell<u64>` of milliseconds, the timers
//! are one binary heap, and "parking" is a function call.
//!
//! **Order.** Every trace of a run depends on the order in which tasks run at one virtual instant, so the
//! executor keeps exactly the schedule the tokio runtime had (the traces before and after are
//! byte-identical):
//! - one FIFO queue of woken tasks; a task spawned or woken joins its end; a task woken while it runs joins
//!   the end after its poll; a task woken twice before it runs is queued once;
//! - the *main* future (the one [`Executor::run`] drives: the scenario's course, the console's pause, the
//!   AMI server's request loop) is polled first, then at most [`BATCH`] tasks, then the main future again
//!   (whether or not it was woken), and so on while tasks are queued; when none is and the main future was
//!   not woken, the run is stalled;
//! - when stalled, virtual time jumps to the earliest timer and every timer due then fires, in the order
//!   the timers were registered (a timer registers when its sleep is first polled), then the main future
//!   is polled again and the tasks they woke run;
//! - a wait that may be interrupted and resumed for the same deadline (Answer's wait for media, woken when
//!   media paths change) takes a [`Turn`] when it starts and registers every one of its timers in that
//!   turn, so it fires among equal deadlines where it stood when the wait began, however often it was
//!   woken: in Asterisk each channel's own thread times out its own wait, the one that began first first;
//! - deadlines are rounded up to whole milliseconds; a sleep whose deadline is not after now is done at
//!   its first poll.
//!
//! **Pace.** In a simulation ([`Pace::Virtual`]) time jumps as soon as the run is stalled. `dialsim serve`
//! holds it to the wall clock ([`Pace::Held`]): when stalled, the executor asks the pacer how far virtual
//! time may go, and the pacer may block the thread until then; a task or main future woken from another
//! thread (a network request) unparks it.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// Tasks run between two polls of the main future (tokio's `LocalSet` ran as many per tick).
pub const BATCH: usize = 61;

/// How virtual time moves when every task waits.
pub enum Pace<'a> {
    /// Jump to the next timer at once (every simulation).
    Virtual,
    /// Ask the pacer: it gets the virtual time now and that of the next timer (`None`: no timer), may block
    /// the thread (`std::thread::park_timeout`; a wake-up from another thread unparks it) and returns the
    /// virtual time to move to (never earlier than now; a time past the next timer stops at that timer).
    Held(&'a mut dyn FnMut(Duration, Option<Duration>) -> Duration),
}

/// Why [`Executor::run`] gave up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stalled {
    /// Nothing can run and no timer is set: the main future would wait for ever.
    Forever,
    /// `run` was called from inside a run.
    Nested,
}

/// A place in the order of timers registered at one deadline, taken when a wait begins (see the module
/// documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Turn(u64);

/// A task's handle: whether it has finished.
#[derive(Clone, Debug)]
pub struct TaskHandle {
    done: Rc<Cell<bool>>,
}

impl TaskHandle {
    /// A handle of a task that is already done.
    pub fn finished() -> TaskHandle {
        TaskHandle {
            done: Rc::new(Cell::new(true)),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.done.get()
    }
}

type LocalFuture = Pin<Box<dyn Future<Output = ()>>>;

/// The tasks, the run queue and the timers of one engine.
pub(crate) struct Executor {
    now_ms: Cell<u64>,
    tasks: RefCell<Vec<Option<TaskCell>>>,
    free: RefCell<Vec<u32>>,
    shared: Arc<Shared>,
    timers: RefCell<Timers>,
    /// Wakers of the timers firing now (kept to reuse its allocation).
    firing: RefCell<Vec<Waker>>,
    running: Cell<bool>,
}

struct TaskCell {
    fut: LocalFuture,
    state: Arc<TaskWaker>,
    waker: Waker,
    done: Option<Rc<Cell<bool>>>,
}

/// What wakers touch; shared with other threads (a waker must be `Send + Sync`).
struct Shared {
    queue: Mutex<VecDeque<u32>>,
    /// The main future was woken.
    main: AtomicBool,
    /// The engine thread is (about to be) parked by a pacer.
    parked: AtomicBool,
    thread: Mutex<Option<std::thread::Thread>>,
}

const IDLE: u8 = 0;
const QUEUED: u8 = 1;
const RUNNING: u8 = 2;
const RUNNING_WOKEN: u8 = 3;
const DONE: u8 = 4;

struct TaskWaker {
    shared: Arc<Shared>,
    slot: u32,
    state: AtomicU8,
}

struct MainWaker {
    shared: Arc<Shared>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    fn push(&self, slot: u32) {
        lock(&self.queue).push_back(slot);
        self.unpark();
    }

    fn pop(&self) -> Option<u32> {
        lock(&self.queue).pop_front()
    }

    fn has_queued(&self) -> bool {
        !lock(&self.queue).is_empty()
    }

    fn unpark(&self) {
        if self.parked.load(Ordering::SeqCst) {
            if let Some(t) = lock(&self.thread).as_ref() {
                t.unpark();
            }
        }
    }
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut s = self.state.load(Ordering::Acquire);
        loop {
            let next = match s {
                IDLE => QUEUED,
                RUNNING => RUNNING_WOKEN,
                _ => return,
            };
            match self
                .state
                .compare_exchange(s, next, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => {
                    if next == QUEUED {
                        self.shared.push(self.slot);
                    }
                    return;
                }
                Err(now) => s = now,
            }
        }
    }
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.shared.main.store(true, Ordering::SeqCst);
        self.shared.unpark();
    }
}

impl Executor {
    pub(crate) fn new() -> Executor {
        Executor {
            now_ms: Cell::new(0),
            tasks: RefCell::new(Vec::new()),
            free: RefCell::new(Vec::new()),
            shared: Arc::new(Shared {
                queue: Mutex::new(VecDeque::new()),
                main: AtomicBool::new(false),
                parked: AtomicBool::new(false),
                thread: Mutex::new(None),
            }),
            timers: RefCell::new(Timers::default()),
            firing: RefCell::new(Vec::new()),
            running: Cell::new(false),
        }
    }

    /// Virtual time in milliseconds.
    #[inline]
    pub(crate) fn now_ms(&self) -> u64 {
        self.now_ms.get()
    }

    /// Spawns a task; it first runs after the tasks already queued.
    pub(crate) fn spawn(&self, fut: LocalFuture, track: bool) -> Option<TaskHandle> {
        let slot = match self.free.borrow_mut().pop() {
            Some(s) => s,
            None => {
                let mut tasks = self.tasks.borrow_mut();
                tasks.push(None);
                (tasks.len() - 1) as u32
            }
        };
        let state = Arc::new(TaskWaker {
            shared: self.shared.clone(),
            slot,
            state: AtomicU8::new(QUEUED),
        });
        let waker = Waker::from(state.clone());
        let done = track.then(|| Rc::new(Cell::new(false)));
        let handle = done.clone().map(|done| TaskHandle { done });
        self.tasks.borrow_mut()[slot as usize] = Some(TaskCell {
            fut,
            state,
            waker,
            done,
        });
        self.shared.push(slot);
        handle
    }

    /// Drives `main` and the tasks until `main` is done (see the module documentation for the order).
    pub(crate) fn run<F: Future>(&self, main: F, mut pace: Pace<'_>) -> Result<F::Output, Stalled> {
        if self.running.replace(true) {
            return Err(Stalled::Nested);
        }
        let out = self.drive(main, &mut pace);
        self.running.set(false);
        out
    }

    fn drive<F: Future>(&self, main: F, pace: &mut Pace<'_>) -> Result<F::Output, Stalled> {
        let mut main = std::pin::pin!(main);
        let waker = Waker::from(Arc::new(MainWaker {
            shared: self.shared.clone(),
        }));
        let mut cx = Context::from_waker(&waker);
        self.shared.main.store(true, Ordering::SeqCst);
        loop {
            if self.shared.main.swap(false, Ordering::SeqCst) {
                if let Poll::Ready(v) = main.as_mut().poll(&mut cx) {
                    return Ok(v);
                }
                if self.tick() {
                    self.shared.main.store(true, Ordering::SeqCst);
                    continue;
                }
            }
            if self.shared.main.load(Ordering::SeqCst) {
                continue;
            }
            if !self.advance(pace) {
                return Err(Stalled::Forever);
            }
        }
    }

    /// Runs up to [`BATCH`] queued tasks; `true` if that many ran.
    fn tick(&self) -> bool {
        for _ in 0..BATCH {
            let Some(slot) = self.shared.pop() else {
                return false;
            };
            self.poll_task(slot);
        }
        true
    }

    fn poll_task(&self, slot: u32) {
        let Some(mut cell) = self
            .tasks
            .borrow_mut()
            .get_mut(slot as usize)
            .and_then(Option::take)
        else {
            return;
        };
        cell.state.state.store(RUNNING, Ordering::Release);
        let mut cx = Context::from_waker(&cell.waker);
        if cell.fut.as_mut().poll(&mut cx).is_ready() {
            cell.state.state.store(DONE, Ordering::Release);
            if let Some(done) = &cell.done {
                done.set(true);
            }
            self.free.borrow_mut().push(slot);
            drop(cell);
            return;
        }
        let woken = cell
            .state
            .state
            .compare_exchange(RUNNING, IDLE, Ordering::AcqRel, Ordering::Acquire)
            .is_err();
        if woken {
            cell.state.state.store(QUEUED, Ordering::Release);
        }
        self.tasks.borrow_mut()[slot as usize] = Some(cell);
        if woken {
            self.shared.push(slot);
        }
    }

    /// Nothing can run: moves virtual time on (as `pace` allows) and fires the timers due. `false` if
    /// nothing ever can run again.
    fn advance(&self, pace: &mut Pace<'_>) -> bool {
        let next = self.timers.borrow_mut().next_deadline();
        match pace {
            Pace::Virtual => match next {
                Some(t) => {
                    self.fire_until(t);
                    true
                }
                None => false,
            },
            Pace::Held(pacer) => {
                *lock(&self.shared.thread) = Some(std::thread::current());
                self.shared.parked.store(true, Ordering::SeqCst);
                let busy = self.shared.main.load(Ordering::SeqCst) || self.shared.has_queued();
                let now = Duration::from_millis(self.now_ms());
                let to = if busy {
                    now
                } else {
                    pacer(now, next.map(Duration::from_millis))
                };
                self.shared.parked.store(false, Ordering::SeqCst);
                let to = ceil_ms(to).max(self.now_ms());
                let to = next.map_or(to, |n| to.min(n));
                self.fire_until(to);
                if self.shared.has_queued() {
                    self.shared.main.store(true, Ordering::SeqCst);
                }
                true
            }
        }
    }

    /// Moves virtual time to `t` (never back) and fires every timer due by then, in order; the main
    /// future is polled next if any fired.
    fn fire_until(&self, t: u64) {
        if t > self.now_ms() {
            self.now_ms.set(t);
        }
        let mut firing = std::mem::take(&mut *self.firing.borrow_mut());
        self.timers
            .borrow_mut()
            .take_due(self.now_ms(), &mut firing);
        if !firing.is_empty() {
            self.shared.main.store(true, Ordering::SeqCst);
        }
        for w in firing.drain(..) {
            w.wake();
        }
        *self.firing.borrow_mut() = firing;
    }

    /// Drops every task and timer and sets the clock back to 0 (a new run starts).
    pub(crate) fn reset(&self) {
        self.clear();
        self.now_ms.set(0);
    }

    /// Drops every task and timer; the clock stays where it is (a run is over).
    pub(crate) fn clear(&self) {
        let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
        self.free.borrow_mut().clear();
        lock(&self.shared.queue).clear();
        for cell in tasks.into_iter().flatten() {
            cell.state.state.store(DONE, Ordering::Release);
            drop(cell);
        }
        *self.timers.borrow_mut() = Timers::default();
        self.shared.main.store(false, Ordering::SeqCst);
    }

    fn register(&self, ms: u64, turn: Option<Turn>, waker: &Waker) -> (u32, u64) {
        let mut timers = self.timers.borrow_mut();
        let seq = match turn {
            Some(Turn(seq)) => seq,
            None => timers.next_seq(),
        };
        timers.register(ms, seq, waker)
    }

    /// A place among timers of equal deadline: after every timer registered so far.
    pub(crate) fn turn(&self) -> Turn {
        Turn(self.timers.borrow_mut().next_seq())
    }
}

/// A whole number of milliseconds, rounded up (the resolution of every timer, as tokio's was).
pub(crate) fn ceil_ms(d: Duration) -> u64 {
    let ms = d.as_millis();
    let ms = if d.subsec_nanos() % 1_000_000 != 0 {
        ms + 1
    } else {
        ms
    };
    u64::try_from(ms).unwrap_or(u64::MAX)
}

/// The timers: a heap ordered by (deadline, registration number), and one entry per live timer. A timer
/// dropped before it fires only frees its entry; its heap item is skipped when it comes up. Timers
/// registered in one [`Turn`] share its number; an entry is matched by (number, deadline), so the stale heap
/// item of a dropped timer never fires a later one of the same turn.
#[derive(Default)]
struct Timers {
    heap: BinaryHeap<Reverse<(u64, u64, u32)>>,
    entries: Vec<TimerEntry>,
    free: Vec<u32>,
    seq: u64,
}

#[derive(Default)]
struct TimerEntry {
    /// The registration number of the timer holding this entry; 0: free.
    seq: u64,
    /// Its deadline.
    ms: u64,
    waker: Option<Waker>,
    fired: bool,
}

impl Timers {
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn register(&mut self, ms: u64, seq: u64, waker: &Waker) -> (u32, u64) {
        let idx = match self.free.pop() {
            Some(i) => i,
            None => {
                self.entries.push(TimerEntry::default());
                (self.entries.len() - 1) as u32
            }
        };
        self.entries[idx as usize] = TimerEntry {
            seq,
            ms,
            waker: Some(waker.clone()),
            fired: false,
        };
        self.heap.push(Reverse((ms, seq, idx)));
        (idx, seq)
    }

    fn live(&self, idx: u32, seq: u64) -> Option<&TimerEntry> {
        self.entries.get(idx as usize).filter(|e| e.seq == seq)
    }

    /// The earliest deadline of a timer not yet fired (dropping the items of timers that are gone).
    fn next_deadline(&mut self) -> Option<u64> {
        while let Some(&Reverse((ms, seq, idx))) = self.heap.peek() {
            if self.live(idx, seq).is_some_and(|e| !e.fired && e.ms == ms) {
                return Some(ms);
            }
            self.heap.pop();
        }
        None
    }

    /// Fires every timer due at `now`: marks it and hands out its waker, in (deadline, registration) order.
    fn take_due(&mut self, now: u64, out: &mut Vec<Waker>) {
        while let Some(&Reverse((ms, seq, idx))) = self.heap.peek() {
            if ms > now {
                break;
            }
            self.heap.pop();
            if let Some(e) = self
                .entries
                .get_mut(idx as usize)
                .filter(|e| e.seq == seq && e.ms == ms)
            {
                e.fired = true;
                if let Some(w) = e.waker.take() {
                    out.push(w);
                }
            }
        }
    }

    /// Polls a registered timer: `true` (and the entry freed) once it has fired.
    fn poll(&mut self, idx: u32, seq: u64, waker: &Waker) -> bool {
        let Some(e) = self.entries.get_mut(idx as usize).filter(|e| e.seq == seq) else {
            return true;
        };
        if e.fired {
            self.release(idx);
            return true;
        }
        match &e.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => e.waker = Some(waker.clone()),
        }
        false
    }

    fn release(&mut self, idx: u32) {
        if let Some(e) = self.entries.get_mut(idx as usize) {
            *e = TimerEntry::default();
            self.free.push(idx);
        }
    }

    fn cancel(&mut self, idx: u32, seq: u64) {
        if self.live(idx, seq).is_some() {
            self.release(idx);
        }
    }
}

/// A sleep until a virtual time (whole milliseconds); see [`super::Engine::sleep_until`].
pub struct Sleep<'a> {
    exec: &'a Executor,
    deadline_ms: u64,
    turn: Option<Turn>,
    reg: Option<(u32, u64)>,
    done: bool,
}

impl<'a> Sleep<'a> {
    pub(crate) fn new(exec: &'a Executor, deadline: Duration) -> Sleep<'a> {
        Sleep {
            exec,
            deadline_ms: ceil_ms(deadline),
            turn: None,
            reg: None,
            done: false,
        }
    }

    /// A sleep whose timer registers in `turn` rather than after the timers registered so far.
    pub(crate) fn in_turn(exec: &'a Executor, deadline: Duration, turn: Turn) -> Sleep<'a> {
        Sleep {
            turn: Some(turn),
            ..Sleep::new(exec, deadline)
        }
    }
}

impl Future for Sleep<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        match self.reg {
            None => {
                if self.deadline_ms <= self.exec.now_ms() {
                    self.done = true;
                    return Poll::Ready(());
                }
                let reg = self.exec.register(self.deadline_ms, self.turn, cx.waker());
                self.reg = Some(reg);
                Poll::Pending
            }
            Some((idx, seq)) => {
                if self.exec.timers.borrow_mut().poll(idx, seq, cx.waker()) {
                    self.reg = None;
                    self.done = true;
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl Drop for Sleep<'_> {
    fn drop(&mut self) {
        if let Some((idx, seq)) = self.reg.take() {
            if let Ok(mut t) = self.exec.timers.try_borrow_mut() {
                t.cancel(idx, seq);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    fn log_task(exec: &Rc<Executor>, log: &Rc<RefCell<Vec<String>>>, name: &'static str, at: u64) {
        let (e, l) = (exec.clone(), log.clone());
        exec.spawn(
            Box::pin(async move {
                Sleep::new(&e, Duration::from_millis(at)).await;
                l.borrow_mut().push(format!("{name}@{}", e.now_ms()));
            }),
            false,
        );
    }

    #[test]
    fn timers_fire_in_deadline_then_registration_order() {
        let exec = Rc::new(Executor::new());
        let log = Rc::new(RefCell::new(Vec::new()));
        log_task(&exec, &log, "a", 20);
        log_task(&exec, &log, "b", 10);
        log_task(&exec, &log, "c", 20);
        log_task(&exec, &log, "d", 10);
        exec.run(Sleep::new(&exec, Duration::from_millis(30)), Pace::Virtual)
            .unwrap();
        assert_eq!(*log.borrow(), ["b@10", "d@10", "a@20", "c@20"]);
        assert_eq!(exec.now_ms(), 30);
    }

    #[test]
    fn a_timer_in_an_earlier_turn_fires_first_among_equal_deadlines() {
        let exec = Rc::new(Executor::new());
        let log = Rc::new(RefCell::new(Vec::new()));
        let turn = exec.turn();
        log_task(&exec, &log, "a", 20);
        let (e, l) = (exec.clone(), log.clone());
        exec.spawn(
            Box::pin(async move {
                // Registered and dropped, then registered again in the same turn (a woken wait).
                let mut first = Box::pin(Sleep::in_turn(&e, Duration::from_millis(20), turn));
                std::future::poll_fn(|cx| {
                    let _ = first.as_mut().poll(cx);
                    Poll::Ready(())
                })
                .await;
                drop(first);
                Sleep::in_turn(&e, Duration::from_millis(20), turn).await;
                l.borrow_mut().push(format!("t@{}", e.now_ms()));
            }),
            false,
        );
        log_task(&exec, &log, "b", 20);
        exec.run(Sleep::new(&exec, Duration::from_millis(30)), Pace::Virtual)
            .unwrap();
        assert_eq!(*log.borrow(), ["t@20", "a@20", "b@20"]);
    }

    #[test]
    fn deadlines_round_up_to_milliseconds() {
        assert_eq!(ceil_ms(Duration::from_micros(1500)), 2);
        assert_eq!(ceil_ms(Duration::from_millis(7)), 7);
        assert_eq!(ceil_ms(Duration::ZERO), 0);
    }

    #[test]
    fn a_run_with_nothing_to_wait_for_is_stalled() {
        let exec = Executor::new();
        let never = std::future::pending::<()>();
        assert_eq!(exec.run(never, Pace::Virtual), Err(Stalled::Forever));
    }

    #[test]
    fn a_dropped_timer_does_not_move_time() {
        let exec = Rc::new(Executor::new());
        let e = exec.clone();
        let out = exec
            .run(
                async move {
                    let mut far = Box::pin(Sleep::new(&e, Duration::from_secs(100)));
                    // Register the far timer, then drop it.
                    std::future::poll_fn(|cx| {
                        let _ = far.as_mut().poll(cx);
                        Poll::Ready(())
                    })
                    .await;
                    drop(far);
                    Sleep::new(&e, Duration::from_millis(5)).await;
                    e.now_ms()
                },
                Pace::Virtual,
            )
            .unwrap();
        assert_eq!(out, 5);
    }

    #[test]
    fn tasks_run_in_wake_order_and_a_self_wake_goes_last() {
        let exec = Rc::new(Executor::new());
        let log = Rc::new(RefCell::new(Vec::new()));
        for name in ["x", "y"] {
            let l = log.clone();
            exec.spawn(
                Box::pin(async move {
                    l.borrow_mut().push(format!("{name}1"));
                    let mut yielded = false;
                    std::future::poll_fn(|cx| {
                        if yielded {
                            Poll::Ready(())
                        } else {
                            yielded = true;
                            cx.waker().wake_by_ref();
                            Poll::Pending
                        }
                    })
                    .await;
                    l.borrow_mut().push(format!("{name}2"));
                }),
                false,
            );
        }
        exec.run(std::future::ready(()), Pace::Virtual).unwrap();
        // The main future was ready at once: no task ran.
        assert!(log.borrow().is_empty());
        let e = exec.clone();
        exec.run(Sleep::new(&e, Duration::from_millis(1)), Pace::Virtual)
            .unwrap();
        assert_eq!(*log.borrow(), ["x1", "y1", "x2", "y2"]);
    }
}
