//! A channel's wake-up signal: tokio's `Notify` semantics (`notify_one` wakes the longest waiting
//! `notified()`, or leaves one permit when nobody waits) for the engine's single thread, without its
//! atomics, lock and intrusive list: every wait of every channel goes through one of these, and tokio's
//! version was a visible part of a run of many short calls.
//!
//! Order is the same as tokio's, which the traces depend on: waiters are woken first come, first served;
//! a notification given to a waiter that is dropped before it saw it goes on to the next waiter (or
//! becomes the permit).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A single-threaded notifier (see the module documentation).
#[derive(Debug, Default)]
pub struct Notify {
    permit: Cell<bool>,
    /// Waiting futures (their tokens) with their wakers, longest waiting first.
    waiters: RefCell<Waiters>,
    next_token: Cell<u64>,
}

/// The waiters of one notifier, longest waiting first. A channel almost always has one at most, so the
/// first lives inline and only further ones go to a queue: no heap block per channel to allocate, and none
/// to fetch from memory when a call parked long ago is woken (docs/performance.md, issue 4).
#[derive(Debug, Default)]
struct Waiters {
    /// The longest waiting; `None` only when `rest` is empty too.
    first: Option<(u64, Waker)>,
    rest: VecDeque<(u64, Waker)>,
}

impl Waiters {
    fn push_back(&mut self, token: u64, waker: Waker) {
        if self.first.is_none() {
            self.first = Some((token, waker));
        } else {
            self.rest.push_back((token, waker));
        }
    }

    fn pop_front(&mut self) -> Option<(u64, Waker)> {
        let first = self.first.take();
        self.first = self.rest.pop_front();
        first
    }

    fn find_mut(&mut self, token: u64) -> Option<&mut Waker> {
        match &mut self.first {
            Some((t, w)) if *t == token => Some(w),
            _ => self
                .rest
                .iter_mut()
                .find(|(t, _)| *t == token)
                .map(|(_, w)| w),
        }
    }

    /// Removes the waiter of `token`; `false` if it was not waiting.
    fn remove(&mut self, token: u64) -> bool {
        if self.first.as_ref().is_some_and(|(t, _)| *t == token) {
            self.first = self.rest.pop_front();
            return true;
        }
        match self.rest.iter().position(|(t, _)| *t == token) {
            Some(i) => {
                self.rest.remove(i);
                true
            }
            None => false,
        }
    }
}

impl Notify {
    pub fn new() -> Notify {
        Notify::default()
    }

    /// Wakes the longest waiting [`Notified`], or leaves a permit for the next one.
    pub fn notify_one(&self) {
        let first = self.waiters.borrow_mut().pop_front();
        match first {
            Some((_, waker)) => waker.wake(),
            None => self.permit.set(true),
        }
    }

    /// A future done at the next [`Notify::notify_one`] (or at once if a permit is left).
    pub fn notified(&self) -> Notified<'_> {
        Notified {
            notify: self,
            token: None,
            done: false,
        }
    }
}

/// Waits for a notification; see [`Notify::notified`].
#[derive(Debug)]
pub struct Notified<'a> {
    notify: &'a Notify,
    /// Set once the future waits in the list.
    token: Option<u64>,
    done: bool,
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        let notify = self.notify;
        match self.token {
            None => {
                if notify.permit.replace(false) {
                    self.done = true;
                    return Poll::Ready(());
                }
                let token = notify.next_token.get();
                notify.next_token.set(token.wrapping_add(1));
                notify
                    .waiters
                    .borrow_mut()
                    .push_back(token, cx.waker().clone());
                self.token = Some(token);
                Poll::Pending
            }
            Some(token) => {
                let mut waiters = notify.waiters.borrow_mut();
                match waiters.find_mut(token) {
                    Some(w) => {
                        if !w.will_wake(cx.waker()) {
                            *w = cx.waker().clone();
                        }
                        Poll::Pending
                    }
                    None => {
                        // No longer in the list: notify_one took it.
                        drop(waiters);
                        self.done = true;
                        Poll::Ready(())
                    }
                }
            }
        }
    }
}

impl Drop for Notified<'_> {
    fn drop(&mut self) {
        let Some(token) = self.token else {
            return;
        };
        if self.done {
            return;
        }
        let removed = self.notify.waiters.borrow_mut().remove(token);
        if !removed {
            // Notified but never saw it: the notification goes on.
            self.notify.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::Wake;

    struct Count(std::sync::atomic::AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn waker() -> (Waker, Arc<Count>) {
        let c = Arc::new(Count(0.into()));
        (Waker::from(c.clone()), c)
    }

    fn poll(f: &mut Pin<Box<Notified<'_>>>, w: &Waker) -> bool {
        f.as_mut().poll(&mut Context::from_waker(w)).is_ready()
    }

    #[test]
    fn a_permit_is_kept_for_one_waiter() {
        let n = Notify::new();
        let (w, _) = waker();
        n.notify_one();
        n.notify_one();
        assert!(poll(&mut Box::pin(n.notified()), &w));
        assert!(!poll(&mut Box::pin(n.notified()), &w));
    }

    #[test]
    fn waiters_are_woken_first_come_first_served() {
        let n = Notify::new();
        let (wa, ca) = waker();
        let (wb, cb) = waker();
        let mut a = Box::pin(n.notified());
        let mut b = Box::pin(n.notified());
        assert!(!poll(&mut a, &wa));
        assert!(!poll(&mut b, &wb));
        n.notify_one();
        assert_eq!(ca.0.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(cb.0.load(std::sync::atomic::Ordering::SeqCst), 0);
        assert!(poll(&mut a, &wa));
        assert!(!poll(&mut b, &wb));
    }

    #[test]
    fn a_notification_dropped_unseen_goes_on() {
        let n = Notify::new();
        let (wa, _) = waker();
        let (wb, cb) = waker();
        let mut a = Box::pin(n.notified());
        let mut b = Box::pin(n.notified());
        assert!(!poll(&mut a, &wa));
        assert!(!poll(&mut b, &wb));
        n.notify_one();
        drop(a);
        assert_eq!(cb.0.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(poll(&mut b, &wb));
        // A waiter dropped before any notification leaves nothing behind.
        let mut c = Box::pin(n.notified());
        assert!(!poll(&mut c, &wa));
        drop(c);
        assert!(!poll(&mut Box::pin(n.notified()), &wa));
    }
}
