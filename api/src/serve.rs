//! The HTTP server: the router on hyper's HTTP/1 connections, with the timeouts and
//! limits that `axum::serve` leaves out (it sets no timer, so hyper's header-read
//! timeout never fires, and nothing closes a connection that stopped moving).

use crate::admission::Admission;
use axum::extract::ConnectInfo;
use axum::{Extension, Router};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;
use tower::Layer;

/// What one API process allows its clients.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Limits {
    /// Seconds a client has to send a request's headers; also how long a kept-alive
    /// connection may wait for its next request.
    #[arg(long, env = "LIVESTARS_HEADER_READ_TIMEOUT", default_value = "10",
          value_parser = seconds)]
    pub header_read_timeout: Duration,
    /// Seconds a connection may go without a byte read or written before it is
    /// closed (e.g. a live-feed client that stopped reading; the feed writes a
    /// keep-alive comment at least every half of this).
    #[arg(long, env = "LIVESTARS_IDLE_TIMEOUT", default_value = "60", value_parser = seconds)]
    pub idle_timeout: Duration,
    /// Seconds a request (other than the live feed) may take; then it is answered 503.
    #[arg(long, env = "LIVESTARS_REQUEST_TIMEOUT", default_value = "30", value_parser = seconds)]
    pub request_timeout: Duration,
    /// Live-feed streams open at once in this process; more are answered 503.
    #[arg(long, env = "LIVESTARS_MAX_STREAMS", default_value_t = 1000,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_streams: u32,
    /// Of those, the most one client address holds at once (a relay waiting for its
    /// party's signature counts apart, in a pool of a quarter of `--max-streams`,
    /// at most 8 per address).
    #[arg(long, env = "LIVESTARS_MAX_STREAMS_PER_ADDRESS", default_value_t = 32,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_streams_per_address: u32,
    /// `/ready` answers 503 while the index is more than this many blocks behind
    /// the node's finalized head (or the node does not answer).
    #[arg(long, env = "LIVESTARS_READY_MAX_LAG", default_value_t = 3)]
    pub ready_max_lag: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(30),
            max_streams: 1000,
            max_streams_per_address: 32,
            ready_max_lag: 3,
        }
    }
}

/// Relays waiting for a signature one address may hold at once.
const UNAUTHENTICATED_PER_ADDRESS: usize = 8;

impl Limits {
    /// The places of the feeds and authenticated relays.
    pub fn streams(&self) -> Admission {
        Admission::new(
            self.max_streams as usize,
            self.max_streams_per_address as usize,
        )
    }

    /// The places of relays waiting for their party's signature: a quarter of the
    /// streams, so that silent sockets never take a party's place.
    pub fn unauthenticated(&self) -> Admission {
        let places = (self.max_streams as usize / 4).max(1);
        Admission::new(places, UNAUTHENTICATED_PER_ADDRESS)
    }
}

/// A positive number of seconds (fractions allowed), as the timeouts take it.
fn seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{text:?} is not a positive number of seconds"))
}

/// Serves `app` on `listener` until the task is dropped, with `limits`'s
/// header-read and idle timeouts on every connection.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // E.g. out of file descriptors: wait for some to close rather than spin.
            Err(e) => {
                tracing::warn!("accepting a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Live-feed events are small writes that should leave at once.
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(stream, peer, app.clone(), limits));
    }
}

/// One HTTP/1 connection, closed when it goes `idle_timeout` without moving a byte.
/// Its requests carry the peer's address (`ConnectInfo`), which the long-lived
/// routes count places by.
async fn connection(stream: TcpStream, peer: SocketAddr, app: Router, limits: Limits) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let connection = builder
        .serve_connection(
            io,
            TowerToHyperService::new(Extension(ConnectInfo(peer)).layer(app)),
        )
        .with_upgrades();
    let mut connection = std::pin::pin!(connection);
    loop {
        let idle_until = activity.last() + limits.idle_timeout;
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!("connection: {e}");
                }
                return;
            }
            () = tokio::time::sleep_until(idle_until) => {
                if activity.last() + limits.idle_timeout <= Instant::now() {
                    // Dropping the connection closes the socket.
                    tracing::debug!("closing a connection idle for {:?}", limits.idle_timeout);
                    return;
                }
            }
        }
    }
}

/// When a connection last read or wrote a byte.
struct Activity {
    start: Instant,
    /// Milliseconds after `start`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let elapsed = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(elapsed, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last.load(Ordering::Relaxed))
    }
}

/// A stream that records its reads and writes in an [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(poll, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_take_fractions_and_refuse_nonsense() {
        assert_eq!(seconds("10"), Ok(Duration::from_secs(10)));
        assert_eq!(seconds("0.25"), Ok(Duration::from_millis(250)));
        for bad in ["0", "-1", "ten", "NaN", "inf", ""] {
            assert!(seconds(bad).is_err(), "{bad:?} accepted");
        }
    }
}
