//! Prometheus counters, rendered by hand in the text exposition format.

use livestars_indexer::Progress;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Counters the API keeps while serving.
#[derive(Debug, Default)]
pub struct Metrics {
    responses: Mutex<BTreeMap<u16, u64>>,
    /// Tips pushed to live-feed clients.
    pub tips_streamed: AtomicU64,
    /// Live-feed clients connected now.
    pub stream_clients: AtomicU64,
    /// Rating audits answered from the per-block cache.
    pub audit_cache_hits: AtomicU64,
}

impl Metrics {
    /// Counts one response with `status`.
    pub fn count_response(&self, status: u16) {
        let mut responses = self.responses.lock().unwrap_or_else(|e| e.into_inner());
        let count = responses.entry(status).or_default();
        *count = count.saturating_add(1);
    }

    /// The exposition text, with indexing progress as gauges.
    pub fn render(&self, progress: &Progress) -> String {
        let mut out = String::new();
        let gauge = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        };
        gauge(
            &mut out,
            "livestars_indexed_block",
            "Last block whose events are all indexed.",
            progress.indexed.map_or(0, u64::from),
        );
        gauge(
            &mut out,
            "livestars_finalized_head",
            "Last finalized block seen by the indexer.",
            u64::from(progress.finalized_head),
        );
        gauge(
            &mut out,
            "livestars_lag_blocks",
            "Finalized blocks not yet indexed.",
            u64::from(progress.behind()),
        );
        gauge(
            &mut out,
            "livestars_stream_clients",
            "Live tip feed clients connected.",
            self.stream_clients.load(Ordering::Relaxed),
        );
        let _ = writeln!(
            out,
            "# HELP livestars_tips_streamed_total Tips pushed to live feed clients.\n\
             # TYPE livestars_tips_streamed_total counter\nlivestars_tips_streamed_total {}",
            self.tips_streamed.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP livestars_audit_cache_hits_total Rating audits answered from the cache.\n\
             # TYPE livestars_audit_cache_hits_total counter\nlivestars_audit_cache_hits_total {}",
            self.audit_cache_hits.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP livestars_http_responses_total HTTP responses by status.\n\
             # TYPE livestars_http_responses_total counter"
        );
        let responses = self.responses.lock().unwrap_or_else(|e| e.into_inner());
        for (status, count) in responses.iter() {
            let _ = writeln!(
                out,
                "livestars_http_responses_total{{status=\"{status}\"}} {count}"
            );
        }
        out
    }
}
