//! `dialsim serve`: a live engine that AMI clients drive and watch, speaking Asterisk 22's Manager
//! Interface over TCP.
//!
//! Two threads of work: the network (a tokio runtime with one task per connection: [`session`], framing in
//! [`frame`], classes in [`perms`], users from manager.conf in [`config`]) and the engine thread ([`hub`]),
//! which runs the simulation single-threaded, as every dialsim run is, on the wall clock scaled by `--speed`
//! ([`clock`]). They meet only through a request channel (sessions → engine) and each session's bounded
//! outgoing queue ([`queue`], engine → session), so a slow or vanished client never holds the engine up.

pub mod clock;
pub mod config;
pub mod frame;
pub mod hub;
pub mod perms;
pub mod queue;
pub mod session;

use crate::config::LoadedConfig;
use crate::scenario::Scenario;
use config::ManagerConf;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Requests waiting for the engine thread before sessions wait to send more.
const HUB_QUEUE: usize = 4096;

/// What a server is started from.
pub struct ServeSetup {
    pub config: LoadedConfig,
    pub scenario: Scenario,
    pub manager: ManagerConf,
    /// Where to listen (`--ami`, else manager.conf's `bindaddr`:`port`).
    pub addr: SocketAddr,
    pub speed: f64,
}

/// A running server. Dropping it without [`Server::stop`] leaves its threads to end with the process.
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Binds the listener, starts the engine thread and the network thread; returns once listening.
    pub fn start(setup: ServeSetup) -> std::io::Result<Server> {
        let ServeSetup {
            config,
            scenario,
            manager,
            addr,
            speed,
        } = setup;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let std_listener = std::net::TcpListener::bind(addr)?;
        std_listener.set_nonblocking(true)?;
        let local_addr = std_listener.local_addr()?;

        let (hub_tx, hub_rx) = mpsc::channel(HUB_QUEUE);
        let hub_setup = hub::HubSetup {
            config,
            scenario,
            speed,
            timestampevents: manager.timestampevents,
        };
        let hub_thread = std::thread::Builder::new()
            .name("dialsim-engine".into())
            .spawn(move || {
                if let Err(e) = hub::run(hub_setup, hub_rx) {
                    eprintln!("dialsim: the engine could not start: {e}");
                }
            })?;

        let shared = Arc::new(ServerShared {
            conf: manager,
            hub: hub_tx,
            next_id: AtomicU64::new(1),
            unauth: AtomicUsize::new(0),
            sessions: Mutex::new(BTreeMap::new()),
            started: std::time::Instant::now(),
        });
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("dialsim-ami".into())
            .spawn(move || {
                rt.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(std_listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("dialsim: cannot listen: {e}");
                            return;
                        }
                    };
                    accept_loop(listener, shared.clone(), stop_rx).await;
                    // Stop: the engine hangs every channel up and says goodbye to every session.
                    let (done_tx, done_rx) = oneshot::channel();
                    if shared
                        .hub
                        .send(hub::Request::Shutdown(done_tx))
                        .await
                        .is_ok()
                    {
                        let _ = done_rx.await;
                    }
                    // Let the writers flush what was queued.
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                });
                rt.shutdown_timeout(std::time::Duration::from_secs(1));
                let _ = hub_thread.join();
            })?;
        Ok(Server {
            addr: local_addr,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// The address the server listens on (with the port chosen when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops cleanly: no new connections, every channel hung up, `Shutdown` sent, every session closed.
    pub fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    shared: Arc<ServerShared>,
    mut stop: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            biased;
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    // Asterisk closes a connection at once when `authlimit` sessions are still unauthenticated.
                    if shared.unauth.load(Ordering::Relaxed) >= shared.conf.authlimit {
                        drop(stream);
                        continue;
                    }
                    tokio::spawn(session::run(stream, peer, shared.clone()));
                }
                Err(_) => {
                    // Out of descriptors or a reset during accept: wait a little rather than spin.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            }
        }
    }
}

/// What every session shares.
pub struct ServerShared {
    pub conf: ManagerConf,
    pub hub: mpsc::Sender<hub::Request>,
    pub next_id: AtomicU64,
    /// Sessions connected but not logged in.
    pub unauth: AtomicUsize,
    /// Logged-in sessions per user name.
    sessions: Mutex<BTreeMap<String, usize>>,
    pub started: std::time::Instant,
}

impl ServerShared {
    fn logged_in(&self, user: &str) {
        let mut s = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        *s.entry(user.to_string()).or_insert(0) += 1;
    }

    fn logged_out(&self, user: &str) {
        let mut s = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = s.get_mut(user) {
            *n -= 1;
            if *n == 0 {
                s.remove(user);
            }
        }
    }

    fn is_logged_in(&self, user: &str) -> bool {
        let s = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        s.contains_key(user)
    }
}

/// A random number from the operating system's seeded hasher (secrets and MD5 challenges; a live server is
/// not a deterministic simulation).
pub fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

/// A random secret for the generated user: 16 lower-case hex digits.
pub fn random_secret() -> String {
    format!("{:016x}", random_u64())
}
