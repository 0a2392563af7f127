//! Markdown to HTML for answers and lessons: raw HTML is shown as text (a
//! model's output is not trusted markup), code blocks are highlighted
//! with the same highlighter as the editor and get a copy button.

use crate::highlight;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct MarkdownArgs {
    pub text: String,
}

pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options) {
        match (event, &mut code) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default().to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((language, String::new()));
            }
            (Event::Text(text), Some((_, body))) => body.push_str(&text),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                if let Some((language, body)) = code.take() {
                    events.push(Event::Html(CowStr::from(code_block(&language, &body))));
                }
            }
            (Event::Html(html) | Event::InlineHtml(html), _) => events.push(Event::Text(html)),
            (event, _) => events.push(event),
        }
    }
    // An answer cut mid-block (still streaming) shows what arrived.
    if let Some((language, body)) = code.take() {
        events.push(Event::Html(CowStr::from(code_block(&language, &body))));
    }
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

fn code_block(language: &str, body: &str) -> String {
    let id = language_for_fence(language);
    let highlighted = highlight::snippet_to_html(id, body).unwrap_or_else(|_| escape(body));
    format!(
        "<div class=\"code-block\"><div class=\"code-block-bar\"><span>{}</span><button class=\"copy-code\" type=\"button\">Copy</button></div><pre><code>{highlighted}</code></pre></div>",
        escape(language)
    )
}

/// Fence info strings (`ts`, `py`, `sh`…) to the highlighter's language ids.
fn language_for_fence(fence: &str) -> &'static str {
    match fence.to_ascii_lowercase().as_str() {
        "rust" | "rs" => "rust",
        "ts" | "typescript" => "typescript",
        "tsx" => "tsx",
        "js" | "javascript" | "mjs" | "cjs" => "javascript",
        "jsx" => "jsx",
        "py" | "python" => "python",
        "html" | "htm" => "html",
        "css" => "css",
        "json" => "json",
        "md" | "markdown" => "markdown",
        "toml" => "toml",
        _ => "plaintext",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text_and_code_is_highlighted() {
        let html = to_html("Hi <img src=x onerror=alert(1)>\n\n```rust\nfn main() {}\n```\n");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img"), "{html}");
        assert!(html.contains("class=\"code-block\""), "{html}");
        assert!(html.contains("sy-"), "{html}");
        assert!(html.contains("copy-code"), "{html}");
    }

    #[test]
    fn an_unfinished_code_block_still_renders() {
        let html = to_html("Look:\n\n```ts\nconst a = 1;\n");
        assert!(html.contains("const"), "{html}");
        assert!(html.contains("code-block"), "{html}");
    }
}
