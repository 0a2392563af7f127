//! Presence: what each participant publishes in awareness (name, colour, the
//! file and selection they are in, whether they are typing) and how we read
//! everyone else's. Selections travel as sticky indexes (Yjs relative
//! positions, base64) so they stay on the same characters while text moves.

use std::collections::HashMap;
use std::time::Instant;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Assoc, IndexedSequence, Out, ReadTxn, StickyIndex, TextRef};

use crate::files::FILES;

/// A participant as the window draws them, positions resolved for now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Peer {
    #[ts(type = "number")]
    pub client_id: u64,
    /// Their participant id in the room (None for clients that do not say).
    #[ts(type = "number | null")]
    pub participant_id: Option<i64>,
    pub name: String,
    pub color: String,
    pub path: Option<String>,
    pub anchor: Option<u32>,
    pub head: Option<u32>,
    pub typing: bool,
    /// Milliseconds since their presence last changed.
    #[ts(type = "number")]
    pub idle_ms: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub color: String,
    #[serde(default, rename = "participantId", skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub path: String,
    pub anchor: String,
    pub head: String,
}

/// The awareness state we publish (and parse from others).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    #[serde(default)]
    pub user: User,
    #[serde(default)]
    pub cursor: Option<Cursor>,
    #[serde(default)]
    pub typing: bool,
}

impl Presence {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// A selection in `text` as sticky indexes, ready to publish.
pub fn cursor_in<T: ReadTxn>(txn: &T, path: &str, text: &TextRef, anchor: u32, head: u32) -> Option<Cursor> {
    let encode =
        |index: u32| text.sticky_index(txn, index, Assoc::After).map(|sticky| BASE64.encode(sticky.encode_v1()));
    Some(Cursor { path: path.to_owned(), anchor: encode(anchor)?, head: encode(head)? })
}

fn resolve<T: ReadTxn>(txn: &T, encoded: &str) -> Option<u32> {
    let bytes = BASE64.decode(encoded).ok()?;
    let sticky = StickyIndex::decode_v1(&bytes).ok()?;
    sticky.get_offset(txn).map(|offset| offset.index)
}

/// When each peer's awareness last changed, to tell who is idle.
#[derive(Default)]
pub struct Activity {
    seen: HashMap<u64, (String, Instant)>,
}

impl Activity {
    /// The peers in `awareness` (everyone but `me`), with positions resolved in `txn`.
    pub fn peers<T: ReadTxn>(&mut self, txn: &T, awareness: &HashMap<u64, String>, me: u64) -> Vec<Peer> {
        let now = Instant::now();
        self.seen.retain(|client, _| awareness.contains_key(client));
        let files = txn.get_map(FILES);
        let mut peers: Vec<Peer> = awareness
            .iter()
            .filter(|(client, _)| **client != me)
            .filter_map(|(client, json)| {
                let presence: Presence = serde_json::from_str(json).ok()?;
                let entry = self.seen.entry(*client).or_insert_with(|| (json.clone(), now));
                if entry.0 != *json {
                    *entry = (json.clone(), now);
                }
                let idle_ms = u64::try_from(now.duration_since(entry.1).as_millis()).unwrap_or(u64::MAX);
                let (path, anchor, head) = match &presence.cursor {
                    Some(cursor) => {
                        let exists = files.as_ref().is_some_and(|files| {
                            matches!(yrs::Map::get(files, txn, &cursor.path), Some(Out::YText(_)))
                        });
                        if exists {
                            (Some(cursor.path.clone()), resolve(txn, &cursor.anchor), resolve(txn, &cursor.head))
                        } else {
                            (None, None, None)
                        }
                    }
                    None => (None, None, None),
                };
                Some(Peer {
                    client_id: *client,
                    participant_id: presence.user.participant_id,
                    name: presence.user.name,
                    color: presence.user.color,
                    path,
                    anchor,
                    head,
                    typing: presence.typing,
                    idle_ms,
                })
            })
            .collect();
        peers.sort_by(|a, b| a.name.cmp(&b.name).then(a.client_id.cmp(&b.client_id)));
        peers
    }
}

/// A readable colour picked from the participant id, the same on every peer.
pub fn color_for(seed: u64) -> String {
    const PALETTE: [&str; 10] =
        ["#e5484d", "#f76b15", "#ffc53d", "#46a758", "#12a594", "#0090ff", "#3e63dd", "#8e4ec6", "#d6409f", "#a18072"];
    PALETTE[(seed % PALETTE.len() as u64) as usize].to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use yrs::{Map, Text, TextPrelim, Transact};

    use super::*;
    use crate::client::new_doc;

    #[test]
    fn a_peers_cursor_moves_with_text_inserted_before_it() {
        let doc = new_doc();
        let files = doc.get_or_insert_map(FILES);
        let text = {
            let mut txn = doc.transact_mut();
            files.insert(&mut txn, "a.rs", TextPrelim::new("fn main() {}"))
        };
        let cursor = cursor_in(&doc.transact(), "a.rs", &text, 3, 7).unwrap();
        let presence = Presence {
            user: User { name: "Ada".into(), color: "#fff".into(), participant_id: Some(3) },
            cursor: Some(cursor),
            typing: true,
        };
        text.insert(&mut doc.transact_mut(), 0, "// hi\n");

        let awareness = HashMap::from([(7, presence.to_json()), (1, "{}".to_owned())]);
        let peers = Activity::default().peers(&doc.transact(), &awareness, 1);
        assert_eq!(peers.len(), 1);
        assert_eq!(peers[0].name, "Ada");
        assert_eq!((peers[0].anchor, peers[0].head), (Some(9), Some(13)));
        assert!(peers[0].typing);
    }
}
