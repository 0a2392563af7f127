//! An incremental Server-Sent Events decoder, following the parsing rules of
//! the WHATWG EventSource standard. The provider streams arrive in chunks
//! split anywhere (inside a UTF-8 character, between CR and LF), so the
//! decoder keeps the unfinished line and event between calls.

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` type; `None` means the default type, "message".
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

#[derive(Debug, Default)]
pub struct SseDecoder {
    /// How many bytes of a BOM the stream has started with so far.
    bom_bytes_seen: usize,
    /// Whether the stream start (where a BOM may be) has been passed.
    past_start: bool,
    /// The bytes of a line whose terminator has not arrived yet.
    line: Vec<u8>,
    /// The previous chunk ended with CR: an LF opening the next chunk belongs to it.
    after_cr: bool,
    /// A field line has been seen since the last blank line.
    fields_pending: bool,
    data: String,
    event_type: String,
}

impl SseDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes of the stream (split anywhere, even inside a UTF-8
    /// char or between CR and LF); pushes every event completed by them.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<SseEvent>) {
        let rest = if self.past_start { bytes } else { self.skip_bom(bytes, out) };
        self.consume(rest, out);
    }

    /// True when bytes or fields of an unfinished event are pending (a stream
    /// that ends here was cut mid-event).
    pub fn has_partial_event(&self) -> bool {
        self.bom_bytes_seen > 0 || !self.line.is_empty() || self.fields_pending
    }

    /// Drops a BOM at the very start of the stream, which may itself arrive
    /// split over several chunks. Returns the bytes after it.
    fn skip_bom<'a>(&mut self, bytes: &'a [u8], out: &mut Vec<SseEvent>) -> &'a [u8] {
        let mut rest = bytes;
        while let Some((&first, tail)) = rest.split_first() {
            if BOM.get(self.bom_bytes_seen) != Some(&first) {
                // What looked like the start of a BOM was ordinary text after all.
                let seen = std::mem::take(&mut self.bom_bytes_seen);
                self.past_start = true;
                self.consume(&BOM[..seen], out);
                return rest;
            }
            self.bom_bytes_seen += 1;
            rest = tail;
            if self.bom_bytes_seen == BOM.len() {
                self.bom_bytes_seen = 0;
                self.past_start = true;
                return rest;
            }
        }
        rest
    }

    fn consume(&mut self, mut bytes: &[u8], out: &mut Vec<SseEvent>) {
        if self.after_cr && !bytes.is_empty() {
            self.after_cr = false;
            bytes = bytes.strip_prefix(b"\n").unwrap_or(bytes);
        }
        while let Some(end) = bytes.iter().position(|&byte| byte == b'\n' || byte == b'\r') {
            self.finish_line(&bytes[..end], out);
            let mut next = end + 1;
            if bytes[end] == b'\r' {
                match bytes.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            bytes = &bytes[next..];
        }
        self.line.extend_from_slice(bytes);
    }

    /// Handles a line whose terminator just arrived; `tail` is its part from
    /// the current chunk, the rest (if any) waits in `self.line`.
    fn finish_line(&mut self, tail: &[u8], out: &mut Vec<SseEvent>) {
        if self.line.is_empty() {
            self.process_line(tail, out);
            return;
        }
        let mut line = std::mem::take(&mut self.line);
        line.extend_from_slice(tail);
        self.process_line(&line, out);
        // Hand the buffer back to keep its capacity for the next split line.
        line.clear();
        self.line = line;
    }

    fn process_line(&mut self, line: &[u8], out: &mut Vec<SseEvent>) {
        match line.first() {
            None => self.dispatch(out),
            Some(b':') => {} // A comment, which servers send as keep-alives.
            Some(_) => {
                let (name, value) = split_field(line);
                self.apply_field(name, value);
            }
        }
    }

    fn apply_field(&mut self, name: &[u8], value: &[u8]) {
        self.fields_pending = true;
        match name {
            b"data" => {
                self.data.push_str(&String::from_utf8_lossy(value));
                self.data.push('\n');
            }
            b"event" => {
                self.event_type.clear();
                self.event_type.push_str(&String::from_utf8_lossy(value));
            }
            // `id` and `retry` only matter for reconnecting, which the
            // providers' one-shot streams never do; unknown fields are ignored.
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        self.fields_pending = false;
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        // Every data line appended a '\n'; the last one is not part of the data.
        self.data.truncate(self.data.len() - 1);
        let event = (!self.event_type.is_empty()).then(|| std::mem::take(&mut self.event_type));
        out.push(SseEvent { event, data: std::mem::take(&mut self.data) });
    }
}

/// Splits `name:value` at the first colon, dropping one space after it; a
/// line without a colon is a field name with an empty value.
fn split_field(line: &[u8]) -> (&[u8], &[u8]) {
    match line.iter().position(|&byte| byte == b':') {
        Some(colon) => {
            let value = &line[colon + 1..];
            (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
        }
        None => (line, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> (Vec<SseEvent>, SseDecoder) {
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk, &mut events);
        }
        (events, decoder)
    }

    fn decode(stream: &str) -> Vec<SseEvent> {
        decode_chunks([stream.as_bytes()]).0
    }

    fn message(data: &str) -> SseEvent {
        SseEvent { event: None, data: data.to_owned() }
    }

    fn typed(event: &str, data: &str) -> SseEvent {
        SseEvent { event: Some(event.to_owned()), data: data.to_owned() }
    }

    /// Asserts that every way of cutting `stream` into two chunks, and into
    /// single bytes, gives the same events as feeding it whole.
    fn assert_split_invariant(stream: &[u8]) -> Vec<SseEvent> {
        let (whole, decoder) = decode_chunks([stream]);
        assert!(!decoder.has_partial_event());
        for split in 0..=stream.len() {
            let (head, tail) = stream.split_at(split);
            let (events, decoder) = decode_chunks([head, tail]);
            assert_eq!(events, whole, "split at byte {split}");
            assert!(!decoder.has_partial_event(), "split at byte {split}");
        }
        let (events, _) = decode_chunks(stream.chunks(1));
        assert_eq!(events, whole, "one byte at a time");
        whole
    }

    const OPENAI_STREAM: &str = concat!(
        ": keep-alive\n\n",
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,",
        "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Héllo 👋\"}}]}\n\n",
        ":\n\n",
        "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" — ça va\"}}]}\n\n",
        "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
        "data: [DONE]\n\n",
    );

    #[test]
    fn openai_stream_decodes_identically_at_every_split_point() {
        let events = assert_split_invariant(OPENAI_STREAM.as_bytes());
        assert_eq!(events.len(), 5);
        assert!(events[1].data.contains("\"content\":\"Héllo 👋\""), "{events:?}");
        assert!(events[2].data.contains("ça va"), "{events:?}");
        assert_eq!(events[4], message("[DONE]"));
        assert!(events.iter().all(|event| event.event.is_none()));
    }

    #[test]
    fn crlf_stream_decodes_identically_at_every_split_point() {
        let stream = OPENAI_STREAM.replace('\n', "\r\n");
        assert_eq!(assert_split_invariant(stream.as_bytes()), decode(OPENAI_STREAM));
    }

    #[test]
    fn anthropic_style_typed_events_survive_every_split_point() {
        let stream = concat!(
            "\u{feff}event: message_start\r\ndata: {\"type\":\"message_start\"}\r\n\r\n",
            "event: ping\rdata: {\"type\": \"ping\"}\r\r",
            "event: content_block_delta\ndata: {\"delta\":{\"text\":\"日本\"}}\n\n",
        );
        let events = assert_split_invariant(stream.as_bytes());
        assert_eq!(
            events,
            [
                typed("message_start", "{\"type\":\"message_start\"}"),
                typed("ping", "{\"type\": \"ping\"}"),
                typed("content_block_delta", "{\"delta\":{\"text\":\"日本\"}}"),
            ]
        );
    }

    #[test]
    fn every_line_ending_style_ends_lines() {
        for stream in ["data: a\n\ndata: b\n\n", "data: a\r\n\r\ndata: b\r\n\r\n", "data: a\r\rdata: b\r\r"] {
            assert_eq!(decode(stream), [message("a"), message("b")], "{stream:?}");
        }
    }

    #[test]
    fn cr_then_lf_in_the_next_chunk_is_one_line_ending() {
        let (events, decoder) = decode_chunks([&b"data: a\r"[..], b"", b"\ndata: b\r", b"\n\r", b"\n"]);
        assert_eq!(events, [message("a\nb")]);
        assert!(!decoder.has_partial_event());
    }

    #[test]
    fn comments_are_ignored() {
        assert_eq!(decode(": ping\n\n:\ndata: x\n: in the middle\ndata: y\n\n: bye\n"), [message("x\ny")]);
    }

    #[test]
    fn multi_line_data_joins_with_newlines() {
        assert_eq!(decode("data: one\ndata: two\ndata:  three\n\n"), [message("one\ntwo\n three")]);
    }

    #[test]
    fn data_without_a_space_after_the_colon() {
        assert_eq!(decode("data:x\n\nevent:done\ndata:y\n\n"), [message("x"), typed("done", "y")]);
    }

    #[test]
    fn empty_data_lines_still_make_events() {
        assert_eq!(decode("data\n\ndata:\n\ndata\ndata\n\n"), [message(""), message(""), message("\n")]);
    }

    #[test]
    fn events_without_data_are_not_dispatched_and_reset_the_type() {
        assert_eq!(decode("event: lonely\n\ndata: x\n\n"), [message("x")]);
        assert_eq!(decode("id: 7\nretry: 100\nfoo: bar\n\n"), []);
    }

    #[test]
    fn the_type_resets_after_each_event() {
        assert_eq!(decode("event: a\ndata: 1\n\ndata: 2\n\n"), [typed("a", "1"), message("2")]);
        assert_eq!(decode("event: a\nevent:\ndata: 1\n\n"), [message("1")]);
    }

    #[test]
    fn only_the_first_colon_splits_field_and_value() {
        assert_eq!(decode("data: {\"a\": 1}\n\n"), [message("{\"a\": 1}")]);
        assert_eq!(decode("data : x\n\n"), [], "the field name is `data `, which is unknown");
    }

    #[test]
    fn a_leading_bom_is_skipped_even_when_split() {
        let stream = "\u{feff}data: x\n\n".as_bytes();
        assert_eq!(assert_split_invariant(stream), [message("x")]);
        let (events, _) = decode_chunks([&stream[..1], &stream[1..2], &stream[2..]]);
        assert_eq!(events, [message("x")]);
    }

    #[test]
    fn a_bom_later_in_the_stream_is_data() {
        assert_eq!(decode("data: a\n\ndata: \u{feff}b\n\n"), [message("a"), message("\u{feff}b")]);
    }

    #[test]
    fn bytes_that_only_start_like_a_bom_are_kept() {
        // "\u{FEE0}" encodes as EF BB A0: two BOM bytes then a different one.
        let (events, _) = decode_chunks([&b"\xEF"[..], b"\xBB", b"\xA0: x\n\ndata: y\n\n"]);
        assert_eq!(events, [message("y")], "the first line is the field `\u{FEE0}`");
        let (events, _) = decode_chunks([&b"\xEF"[..], b"data: z\n\n"]);
        assert_eq!(events, [], "the first field name is U+FFFD followed by `data`");
    }

    #[test]
    fn utf8_split_across_chunks() {
        let stream = "data: 🦀é\n\n".as_bytes();
        for split in 7..10 {
            let (events, _) = decode_chunks([&stream[..split], &stream[split..]]);
            assert_eq!(events, [message("🦀é")], "split at byte {split}");
        }
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        assert_eq!(decode_chunks([&b"data: a\xFFb\n\n"[..]]).0, [message("a\u{fffd}b")]);
    }

    #[test]
    fn done_marker_passes_through_as_data() {
        assert_eq!(decode("data: [DONE]\n\n"), [message("[DONE]")]);
    }

    #[test]
    fn partial_event_is_reported_until_the_blank_line() {
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        assert!(!decoder.has_partial_event());
        decoder.feed(b"data: {\"choices\":[{\"de", &mut events);
        assert!(decoder.has_partial_event(), "cut inside a line");
        decoder.feed(b"lta\":{}}]}\n", &mut events);
        assert!(decoder.has_partial_event(), "cut between a data line and the blank line");
        decoder.feed(b"\n", &mut events);
        assert!(!decoder.has_partial_event());
        assert_eq!(events, [message("{\"choices\":[{\"delta\":{}}]}")]);
        decoder.feed(b": keep-alive\n", &mut events);
        assert!(!decoder.has_partial_event(), "a comment is not part of an event");
        decoder.feed(b"\xEF\xBB", &mut events);
        assert!(decoder.has_partial_event(), "bytes held back as a possible BOM are pending too");
    }

    #[test]
    fn a_long_stream_decodes_every_event() {
        let chunk = "data: {\"choices\":[{\"delta\":{\"content\":\"token\"}}]}\n\n";
        let stream = chunk.repeat(20_000);
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        for piece in stream.as_bytes().chunks(1000) {
            decoder.feed(piece, &mut events);
        }
        assert_eq!(events.len(), 20_000);
        assert!(!decoder.has_partial_event());
    }
}
