//! Counters for `GET /metrics` (Prometheus text format).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub struct Metrics {
    pub connections: AtomicU64,
    pub messages_received: AtomicU64,
    pub messages_sent: AtomicU64,
    pub bytes_received: AtomicU64,
    pub bytes_sent: AtomicU64,
    /// Messages refused by a role rule or a limit.
    pub refused: AtomicU64,
    /// Connections closed for malformed input, limits or bad tokens.
    pub rejected_connections: AtomicU64,
}

impl Metrics {
    pub fn render(&self, rooms_loaded: usize) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: u64| {
            let _infallible = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        };
        metric("flashfusion_rooms_loaded", "gauge", "Rooms held in memory.", rooms_loaded as u64);
        metric(
            "flashfusion_connections",
            "gauge",
            "Open WebSocket connections.",
            self.connections.load(Ordering::Relaxed),
        );
        metric(
            "flashfusion_messages_received_total",
            "counter",
            "Messages received.",
            self.messages_received.load(Ordering::Relaxed),
        );
        metric(
            "flashfusion_messages_sent_total",
            "counter",
            "Messages sent.",
            self.messages_sent.load(Ordering::Relaxed),
        );
        metric(
            "flashfusion_bytes_received_total",
            "counter",
            "Bytes received in messages.",
            self.bytes_received.load(Ordering::Relaxed),
        );
        metric(
            "flashfusion_bytes_sent_total",
            "counter",
            "Bytes sent in messages.",
            self.bytes_sent.load(Ordering::Relaxed),
        );
        metric(
            "flashfusion_refused_messages_total",
            "counter",
            "Messages refused (roles, limits).",
            self.refused.load(Ordering::Relaxed),
        );
        metric(
            "flashfusion_rejected_connections_total",
            "counter",
            "Connections closed for bad tokens, malformed input or limits.",
            self.rejected_connections.load(Ordering::Relaxed),
        );
        out
    }
}
