//! Invite links, `flashfusion://join?server=URL&room=ID&invite=CODE` (the
//! server builds them, the app opens them), and a room's WebSocket address.

use std::fmt;

use flashfusion_core::{Code, Error, Result};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters is escaped, so a value
/// can sit in a query or a path segment whatever it holds.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

const SCHEME: &str = "flashfusion";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteLink {
    /// The server's HTTP(S) address, without a trailing slash.
    pub server: String,
    pub room: String,
    pub code: String,
}

impl InviteLink {
    /// Reads a pasted link; surrounding whitespace is ignored.
    pub fn parse(link: &str) -> Result<Self> {
        let link = link.trim();
        let not_an_invite = || invalid("this is not a FlashFusion invite link (they start with flashfusion://join?)");
        let (scheme, rest) = link.split_once("://").ok_or_else(not_an_invite)?;
        let (target, query) = rest.split_once('?').ok_or_else(not_an_invite)?;
        if !scheme.eq_ignore_ascii_case(SCHEME) || target.trim_end_matches('/') != "join" {
            return Err(not_an_invite());
        }
        let query = query.split_once('#').map_or(query, |(query, _fragment)| query);
        let (mut server, mut room, mut code) = (None, None, None);
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode_str(value)
                .decode_utf8()
                .map_err(|_| invalid("the invite link is damaged (a value is not UTF-8)"))?
                .trim()
                .to_owned();
            match key {
                "server" => server = Some(value),
                "room" => room = Some(value),
                "invite" => code = Some(value),
                _ => {}
            }
        }
        let required = |value: Option<String>, what: &str| {
            value.filter(|value| !value.is_empty()).ok_or_else(|| invalid(&format!("the invite link has no {what}")))
        };
        let server = required(server, "server")?.trim_end_matches('/').to_owned();
        if !(server.starts_with("http://") || server.starts_with("https://")) {
            return Err(invalid(&format!("the invite link's server is not an http(s) address: {server}")));
        }
        Ok(Self { server, room: required(room, "room")?, code: required(code, "invite code")? })
    }
}

/// The link form, every value percent-encoded.
impl fmt::Display for InviteLink {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (server, room, code) = (escape(&self.server), escape(&self.room), escape(&self.code));
        write!(formatter, "{SCHEME}://join?server={server}&room={room}&invite={code}")
    }
}

/// The room's y-websocket address on `server` (http → ws, https → wss),
/// with the token in the query.
pub fn ws_url(server: &str, room: &str, token: &str) -> String {
    let server = server.trim().trim_end_matches('/');
    let base = match (server.strip_prefix("https://"), server.strip_prefix("http://")) {
        (Some(host), _) => format!("wss://{host}"),
        (None, Some(host)) => format!("ws://{host}"),
        (None, None) => server.to_owned(),
    };
    format!("{base}/rooms/{}?token={}", escape(room), escape(token))
}

/// `value` percent-encoded, to sit in a query or a path segment.
pub(crate) fn escape(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

fn invalid(message: &str) -> Error {
    Error::new(Code::InvalidInput, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(server: &str) -> InviteLink {
        InviteLink { server: server.into(), room: "r00m".into(), code: "c0de".into() }
    }

    #[test]
    fn a_built_link_reads_back_whatever_the_server_address_holds() {
        for server in ["http://127.0.0.1:4455", "https://collab.example.com/base path?x=1&y=2#top", "https://例え.jp"]
        {
            let built = link(server).to_string();
            assert!(built.starts_with("flashfusion://join?server=http"), "{built}");
            assert_eq!(built.matches('&').count(), 2, "{built}");
            assert_eq!(InviteLink::parse(&built).unwrap(), link(server));
        }
        assert_eq!(
            link("https://a.example/x").to_string(),
            "flashfusion://join?server=https%3A%2F%2Fa.example%2Fx&room=r00m&invite=c0de"
        );
    }

    #[test]
    fn pasted_links_are_forgiven_whitespace_case_order_and_a_trailing_slash() {
        let pasted = "  \n FlashFusion://join/?invite=c0de&room=r00m&server=http%3A%2F%2F127.0.0.1%3A4455%2F&utm=x \t";
        assert_eq!(InviteLink::parse(pasted).unwrap(), link("http://127.0.0.1:4455"));
        let unencoded = "flashfusion://join?server=http://127.0.0.1:4455&room=r00m&invite=c0de";
        assert_eq!(InviteLink::parse(unencoded).unwrap(), link("http://127.0.0.1:4455"));
    }

    #[test]
    fn other_links_and_missing_parts_are_refused_with_a_reason() {
        for (text, reason) in [
            ("https://collab.example.com/join?server=x&room=r&invite=c", "not a FlashFusion invite link"),
            ("flashfusion://open?server=x&room=r&invite=c", "not a FlashFusion invite link"),
            ("flashfusion://join", "not a FlashFusion invite link"),
            ("c0de", "not a FlashFusion invite link"),
            ("", "not a FlashFusion invite link"),
            ("flashfusion://join?room=r&invite=c", "has no server"),
            ("flashfusion://join?server=http%3A%2F%2Fh&invite=c", "has no room"),
            ("flashfusion://join?server=http%3A%2F%2Fh&room=r&invite=", "has no invite code"),
            ("flashfusion://join?server=ftp%3A%2F%2Fh&room=r&invite=c", "not an http(s) address"),
            ("flashfusion://join?server=%FF&room=r&invite=c", "not UTF-8"),
        ] {
            let error = InviteLink::parse(text).unwrap_err();
            assert_eq!(error.code, Code::InvalidInput, "{text}");
            assert!(error.message.contains(reason), "{text}: {}", error.message);
        }
    }

    #[test]
    fn websocket_addresses_follow_the_server_scheme_and_escape_the_token() {
        assert_eq!(ws_url("http://127.0.0.1:4455/", "abc", "t0k"), "ws://127.0.0.1:4455/rooms/abc?token=t0k");
        assert_eq!(
            ws_url("https://c.example.com", "abc", "a+b/c=&d"),
            "wss://c.example.com/rooms/abc?token=a%2Bb%2Fc%3D%26d"
        );
        assert_eq!(ws_url("wss://relay.example", "a b", "t"), "wss://relay.example/rooms/a%20b?token=t");
    }
}
