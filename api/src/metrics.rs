//! Prometheus counters, gauges and request-latency histograms, rendered by hand in
//! the text exposition format (version 0.0.4).

use livestars_indexer::Progress;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The content type of [`Metrics::render`]'s text, as Prometheus expects it.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds (seconds) of the latency buckets: Prometheus' client defaults, with
/// a 1 ms bucket first since most routes answer from memory.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// One route's latencies: requests per bucket (not cumulative; summed when
/// rendered), their number and their total time.
#[derive(Debug, Default)]
struct Histogram {
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

/// Counters the API keeps while serving.
#[derive(Debug, Default)]
pub struct Metrics {
    responses: Mutex<BTreeMap<u16, u64>>,
    /// By (method, route template).
    latencies: Mutex<BTreeMap<(String, String), Histogram>>,
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

    /// Counts one request to `route` (its template, e.g. `/v1/performers/{account}`)
    /// answered in `seconds` (to the response's head, for a stream).
    pub fn observe_latency(&self, method: &str, route: &str, seconds: f64) {
        let mut latencies = self.latencies.lock().unwrap_or_else(|e| e.into_inner());
        let histogram = latencies
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        if let Some(bucket) = LATENCY_BUCKETS.iter().position(|&le| seconds <= le) {
            histogram.buckets[bucket] = histogram.buckets[bucket].saturating_add(1);
        }
        histogram.count = histogram.count.saturating_add(1);
        histogram.sum_seconds += seconds;
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
        drop(responses);
        let name = "livestars_http_request_duration_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Time to answer a request (to the response's head for a stream), \
             by method and route template.\n# TYPE {name} histogram"
        );
        let latencies = self.latencies.lock().unwrap_or_else(|e| e.into_inner());
        for ((method, route), histogram) in latencies.iter() {
            let labels = format!("method=\"{}\",route=\"{}\"", escape(method), escape(route));
            let mut cumulative = 0u64;
            for (le, count) in LATENCY_BUCKETS.iter().zip(histogram.buckets) {
                cumulative = cumulative.saturating_add(count);
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{le}\"}} {cumulative}");
            }
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels},le=\"+Inf\"}} {count}\n\
                 {name}_sum{{{labels}}} {sum}\n{name}_count{{{labels}}} {count}",
                count = histogram.count,
                sum = histogram.sum_seconds,
            );
        }
        out
    }
}

/// A label value as the exposition format spells it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_render_as_cumulative_prometheus_histograms() {
        let metrics = Metrics::default();
        for seconds in [0.0004, 0.003, 0.003, 20.0] {
            metrics.observe_latency("GET", "/v1/performers/{account}", seconds);
        }
        let text = metrics.render(&Progress::default());
        let series = "livestars_http_request_duration_seconds";
        let labels = r#"method="GET",route="/v1/performers/{account}""#;
        for line in [
            format!("# TYPE {series} histogram"),
            format!(r#"{series}_bucket{{{labels},le="0.001"}} 1"#),
            format!(r#"{series}_bucket{{{labels},le="0.005"}} 3"#),
            format!(r#"{series}_bucket{{{labels},le="10"}} 3"#),
            format!(r#"{series}_bucket{{{labels},le="+Inf"}} 4"#),
            format!("{series}_sum{{{labels}}} 20.0064"),
            format!("{series}_count{{{labels}}} 4"),
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
        }
        assert_eq!(escape("a\"b\\c\nd"), r#"a\"b\\c\nd"#);
    }
}
