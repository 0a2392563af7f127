//! The deployment's log and progress, as it happens: every line goes to the
//! UI at once and is kept for the deployment's record.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

use crate::git::PushProgress;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Build,
    Commit,
    Upload,
    Deploy,
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum DeployEvent {
    Stage { stage: Stage },
    Line { line: String },
    Push { progress: PushProgress },
    Upload { done: u32, total: u32 },
}

pub type EventSink = Arc<dyn Fn(DeployEvent) + Send + Sync>;

/// Keeps at most this much of a log in the record (the newest part).
const KEPT_BYTES: usize = 512 * 1024;

/// Cheap to clone: clones share the sink and the text.
#[derive(Clone)]
pub struct BuildLog {
    sink: EventSink,
    text: Arc<Mutex<String>>,
}

impl BuildLog {
    pub fn new(sink: EventSink) -> Self {
        Self { sink, text: Arc::new(Mutex::new(String::new())) }
    }

    /// A log that only keeps its text (tests, benchmarks).
    pub fn silent() -> Self {
        Self::new(Arc::new(|_| {}))
    }

    pub fn line(&self, line: impl Into<String>) {
        let line = line.into();
        {
            let mut text = self.text.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            text.push_str(&line);
            text.push('\n');
            if text.len() > KEPT_BYTES {
                let cut = text.len() - KEPT_BYTES / 2;
                let cut = (cut..text.len()).find(|&index| text.is_char_boundary(index)).unwrap_or(text.len());
                text.replace_range(..cut, "…\n");
            }
        }
        (self.sink)(DeployEvent::Line { line });
    }

    pub fn stage(&self, stage: Stage) {
        (self.sink)(DeployEvent::Stage { stage });
    }

    pub fn event(&self, event: DeployEvent) {
        (self.sink)(event);
    }

    pub fn text(&self) -> String {
        self.text.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}
