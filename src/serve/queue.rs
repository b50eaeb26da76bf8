//! A session's outgoing queue, shared by the engine thread (events, action replies) and the session's
//! writer. Events are bounded: when a slow reader lets [`EVENT_CAPACITY`] events pile up, further events for
//! it are dropped and counted (the writer then tells that session how many it lost), so the engine never
//! waits for a client. Replies are never dropped (a session has at most one action running).

use super::perms::Mask;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// Events one session may have waiting before new ones are dropped.
pub const EVENT_CAPACITY: usize = 10_000;

/// What the writer takes from the queue.
#[derive(Debug)]
pub enum Out {
    /// An event's wire text.
    Event(Arc<str>),
    /// A reply's (or the greeting's) wire text.
    Reply(Arc<str>),
    /// Events were dropped since the last item: the number.
    Dropped(u64),
    /// Write what came before, then close the connection.
    Close,
}

/// One session as the engine thread sees it.
pub struct SessionShared {
    pub id: u64,
    /// The classes of events this session receives (read classes ∩ its `Events` mask).
    pub send_events: AtomicU32,
    queue: Mutex<State>,
    notify: Notify,
}

#[derive(Default)]
struct State {
    items: VecDeque<Out>,
    events: usize,
    dropped: u64,
    closed: bool,
}

impl SessionShared {
    pub fn new(id: u64) -> Arc<SessionShared> {
        Arc::new(SessionShared {
            id,
            send_events: AtomicU32::new(0),
            queue: Mutex::new(State::default()),
            notify: Notify::new(),
        })
    }

    pub fn wants(&self, class: Mask) -> bool {
        self.send_events.load(Ordering::Relaxed) & class != 0
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A writer that panicked leaves the data valid (a queue of strings); keep going.
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues an event; `false` when it was dropped (queue full or session closed).
    pub fn push_event(&self, text: Arc<str>) -> bool {
        let mut st = self.lock();
        if st.closed {
            return false;
        }
        if st.events >= EVENT_CAPACITY {
            st.dropped += 1;
            return false;
        }
        if st.dropped > 0 {
            let n = std::mem::take(&mut st.dropped);
            st.items.push_back(Out::Dropped(n));
        }
        st.events += 1;
        st.items.push_back(Out::Event(text));
        drop(st);
        self.notify.notify_one();
        true
    }

    /// Queues a reply (never dropped while the session is open).
    pub fn push_reply(&self, text: impl Into<Arc<str>>) {
        let mut st = self.lock();
        if st.closed {
            return;
        }
        if st.dropped > 0 {
            let n = std::mem::take(&mut st.dropped);
            st.items.push_back(Out::Dropped(n));
        }
        st.items.push_back(Out::Reply(text.into()));
        drop(st);
        self.notify.notify_one();
    }

    /// Queues the end of the session: the writer writes what is queued, then closes.
    pub fn push_close(&self) {
        let mut st = self.lock();
        if !st.closed {
            st.items.push_back(Out::Close);
            st.closed = true;
        }
        drop(st);
        self.notify.notify_one();
    }

    /// Marks the session gone (the connection dropped): nothing more is queued.
    pub fn abandon(&self) {
        let mut st = self.lock();
        st.closed = true;
        st.items.clear();
        drop(st);
        self.notify.notify_one();
    }

    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// The next item if one is ready.
    pub fn try_pop(&self) -> Option<Out> {
        let mut st = self.lock();
        let next_is_close = matches!(st.items.front(), Some(Out::Close));
        if (st.items.is_empty() || next_is_close) && st.dropped > 0 {
            return Some(Out::Dropped(std::mem::take(&mut st.dropped)));
        }
        let item = st.items.pop_front()?;
        if matches!(item, Out::Event(_)) {
            st.events -= 1;
        }
        Some(item)
    }

    /// The next item, waiting for one; `None` once the queue is closed and empty.
    pub async fn pop(&self) -> Option<Out> {
        loop {
            let notified = self.notify.notified();
            if let Some(item) = self.try_pop() {
                return Some(item);
            }
            if self.lock().closed {
                return None;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_events_and_reports_how_many() {
        let s = SessionShared::new(1);
        for i in 0..EVENT_CAPACITY + 5 {
            s.push_event(Arc::from(format!("e{i}")));
        }
        s.push_reply("reply");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut texts = 0;
        let mut dropped = 0;
        rt.block_on(async {
            s.push_close();
            while let Some(item) = s.pop().await {
                match item {
                    Out::Event(_) | Out::Reply(_) => texts += 1,
                    Out::Dropped(n) => dropped += n,
                    Out::Close => break,
                }
            }
        });
        assert_eq!(texts, EVENT_CAPACITY + 1);
        assert_eq!(dropped, 5);
    }
}
