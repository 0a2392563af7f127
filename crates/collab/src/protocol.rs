//! The y-websocket wire protocol (y-protocols framing), one message per
//! WebSocket frame:
//!
//! | message            | bytes                                   |
//! |--------------------|-----------------------------------------|
//! | sync step 1        | `0, 0, varBytes(state vector)`          |
//! | sync step 2        | `0, 1, varBytes(update)`                |
//! | update             | `0, 2, varBytes(update)`                |
//! | awareness          | `1, varBytes(awareness update)`         |
//! | auth: denied       | `2, 0, varString(reason)`               |
//! | query awareness    | `3`                                     |
//!
//! `varUint` is unsigned LEB128; `varBytes` is a varUint length then the
//! bytes; `varString` is varBytes of UTF-8. The decoder never panics and
//! never allocates more than the input holds: a hostile frame is an error.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    SyncStep1(Vec<u8>),
    SyncStep2(Vec<u8>),
    Update(Vec<u8>),
    Awareness(Vec<u8>),
    AuthDenied(String),
    QueryAwareness,
}

const SYNC: u64 = 0;
const AWARENESS: u64 = 1;
const AUTH: u64 = 2;
const QUERY_AWARENESS: u64 = 3;

const SYNC_STEP_1: u64 = 0;
const SYNC_STEP_2: u64 = 1;
const SYNC_UPDATE: u64 = 2;
const AUTH_DENIED: u64 = 0;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    UnexpectedEnd,
    VarUintTooLong,
    UnknownMessage(u64),
    UnknownSyncMessage(u64),
    UnknownAuthMessage(u64),
    InvalidUtf8,
    TrailingBytes(usize),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnexpectedEnd => write!(f, "message ends early"),
            Self::VarUintTooLong => write!(f, "variable-length integer is too long"),
            Self::UnknownMessage(kind) => write!(f, "unknown message type {kind}"),
            Self::UnknownSyncMessage(kind) => write!(f, "unknown sync message type {kind}"),
            Self::UnknownAuthMessage(kind) => write!(f, "unknown auth message type {kind}"),
            Self::InvalidUtf8 => write!(f, "string is not UTF-8"),
            Self::TrailingBytes(count) => write!(f, "{count} bytes after the message"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A cursor over a frame's bytes.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    pub fn var_uint(&mut self) -> Result<u64, DecodeError> {
        let mut value: u64 = 0;
        for (index, byte) in self.bytes.iter().enumerate() {
            // 10 groups of 7 bits cover u64; more is malformed.
            if index == 10 {
                return Err(DecodeError::VarUintTooLong);
            }
            value |= u64::from(byte & 0x7f) << (7 * index);
            if byte & 0x80 == 0 {
                self.bytes = &self.bytes[index + 1..];
                return Ok(value);
            }
        }
        Err(if self.bytes.len() >= 10 { DecodeError::VarUintTooLong } else { DecodeError::UnexpectedEnd })
    }

    pub fn var_bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let length = self.var_uint()?;
        let length = usize::try_from(length).map_err(|_| DecodeError::UnexpectedEnd)?;
        if length > self.bytes.len() {
            return Err(DecodeError::UnexpectedEnd);
        }
        let (value, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok(value)
    }

    pub fn var_string(&mut self) -> Result<&'a str, DecodeError> {
        std::str::from_utf8(self.var_bytes()?).map_err(|_| DecodeError::InvalidUtf8)
    }
}

pub fn write_var_uint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub fn write_var_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_var_uint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

impl Message {
    /// Decodes exactly one message; bytes after it are an error (the
    /// y-websocket client reads only the first message of a frame, so a
    /// well-behaved peer never sends more).
    pub fn decode(frame: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(frame);
        let message = match reader.var_uint()? {
            SYNC => match reader.var_uint()? {
                SYNC_STEP_1 => Self::SyncStep1(reader.var_bytes()?.to_vec()),
                SYNC_STEP_2 => Self::SyncStep2(reader.var_bytes()?.to_vec()),
                SYNC_UPDATE => Self::Update(reader.var_bytes()?.to_vec()),
                other => return Err(DecodeError::UnknownSyncMessage(other)),
            },
            AWARENESS => Self::Awareness(reader.var_bytes()?.to_vec()),
            AUTH => match reader.var_uint()? {
                AUTH_DENIED => Self::AuthDenied(reader.var_string()?.to_owned()),
                other => return Err(DecodeError::UnknownAuthMessage(other)),
            },
            QUERY_AWARENESS => Self::QueryAwareness,
            other => return Err(DecodeError::UnknownMessage(other)),
        };
        if !reader.is_empty() {
            return Err(DecodeError::TrailingBytes(reader.remaining()));
        }
        Ok(message)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Self::SyncStep1(state_vector) => sync(&mut out, SYNC_STEP_1, state_vector),
            Self::SyncStep2(update) => sync(&mut out, SYNC_STEP_2, update),
            Self::Update(update) => sync(&mut out, SYNC_UPDATE, update),
            Self::Awareness(update) => {
                write_var_uint(&mut out, AWARENESS);
                write_var_bytes(&mut out, update);
            }
            Self::AuthDenied(reason) => {
                write_var_uint(&mut out, AUTH);
                write_var_uint(&mut out, AUTH_DENIED);
                write_var_bytes(&mut out, reason.as_bytes());
            }
            Self::QueryAwareness => write_var_uint(&mut out, QUERY_AWARENESS),
        }
        out
    }
}

fn sync(out: &mut Vec<u8>, kind: u64, payload: &[u8]) {
    write_var_uint(out, SYNC);
    write_var_uint(out, kind);
    write_var_bytes(out, payload);
}

/// One client's entry in an awareness update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwarenessEntry {
    pub client_id: u64,
    pub clock: u64,
    /// JSON text; `"null"` means the client is gone.
    pub state: String,
}

/// Decodes an awareness update: `varUint(n)` then n × (client, clock, JSON).
pub fn decode_awareness(update: &[u8]) -> Result<Vec<AwarenessEntry>, DecodeError> {
    let mut reader = Reader::new(update);
    let count = reader.var_uint()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        // Each entry takes at least 3 bytes: no allocation beyond the input.
        let client_id = reader.var_uint()?;
        let clock = reader.var_uint()?;
        let state = reader.var_string()?.to_owned();
        entries.push(AwarenessEntry { client_id, clock, state });
    }
    if !reader.is_empty() {
        return Err(DecodeError::TrailingBytes(reader.remaining()));
    }
    Ok(entries)
}

pub fn encode_awareness(entries: &[AwarenessEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    write_var_uint(&mut out, entries.len() as u64);
    for entry in entries {
        write_var_uint(&mut out, entry.client_id);
        write_var_uint(&mut out, entry.clock);
        write_var_bytes(&mut out, entry.state.as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_frames_decode() {
        assert_eq!(Message::decode(&[0, 0, 1, 0]).unwrap(), Message::SyncStep1(vec![0]));
        assert_eq!(Message::decode(&[0, 2, 2, 7, 8]).unwrap(), Message::Update(vec![7, 8]));
        assert_eq!(Message::decode(&[3]).unwrap(), Message::QueryAwareness);
        assert_eq!(Message::decode(&[2, 0, 2, b'n', b'o']).unwrap(), Message::AuthDenied("no".into()));
    }

    #[test]
    fn malformed_frames_are_errors() {
        assert_eq!(Message::decode(&[]), Err(DecodeError::UnexpectedEnd));
        assert_eq!(Message::decode(&[0, 2, 5, 1]), Err(DecodeError::UnexpectedEnd));
        assert_eq!(Message::decode(&[0, 9, 0]), Err(DecodeError::UnknownSyncMessage(9)));
        assert_eq!(Message::decode(&[7]), Err(DecodeError::UnknownMessage(7)));
        assert_eq!(Message::decode(&[0xff; 12]), Err(DecodeError::VarUintTooLong));
        assert_eq!(Message::decode(&[3, 3]), Err(DecodeError::TrailingBytes(1)));
        assert_eq!(Message::decode(&[2, 0, 1, 0xff]), Err(DecodeError::InvalidUtf8));
        // A length prefix claiming far more than the frame holds.
        assert_eq!(Message::decode(&[0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]), Err(DecodeError::UnexpectedEnd));
    }

    proptest! {
        #[test]
        fn any_bytes_decode_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _decoded = Message::decode(&bytes);
            let _awareness = decode_awareness(&bytes);
        }

        #[test]
        fn messages_round_trip(payload in proptest::collection::vec(any::<u8>(), 0..300), kind in 0..6u8) {
            let message = match kind {
                0 => Message::SyncStep1(payload),
                1 => Message::SyncStep2(payload),
                2 => Message::Update(payload),
                3 => Message::Awareness(payload),
                4 => Message::AuthDenied(String::from_utf8_lossy(&payload).into_owned()),
                _ => Message::QueryAwareness,
            };
            prop_assert_eq!(Message::decode(&message.encode()).unwrap(), message);
        }

        #[test]
        fn var_uints_round_trip(value in any::<u64>()) {
            let mut out = Vec::new();
            write_var_uint(&mut out, value);
            prop_assert_eq!(Reader::new(&out).var_uint().unwrap(), value);
        }

        #[test]
        fn awareness_round_trips(entries in proptest::collection::vec((any::<u64>(), any::<u64>(), "[ -~]{0,40}"), 0..5)) {
            let entries: Vec<_> = entries.into_iter().map(|(client_id, clock, state)| AwarenessEntry { client_id, clock, state }).collect();
            prop_assert_eq!(decode_awareness(&encode_awareness(&entries)).unwrap(), entries);
        }
    }
}
