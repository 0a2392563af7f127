//! Syntax highlighting to HTML with syntect. Spans carry classes
//! (`sy-keyword`, `sy-string`, …) rather than colours, so the UI styles them
//! with the same CSS variables as the editor theme: one palette, light or dark.

use std::path::Path;
use std::sync::OnceLock;

use syntect::html::{line_tokens_to_classed_spans, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "sy-" };

/// The editor's language id for a file, from its name. The UI maps these ids
/// to CodeMirror languages; the highlighter maps them to syntect syntaxes.
pub fn language_id(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    let extension = path.extension().and_then(|ext| ext.to_str()).unwrap_or_default();
    match (name, extension.to_ascii_lowercase().as_str()) {
        (_, "rs") => "rust",
        (_, "ts" | "mts" | "cts") => "typescript",
        (_, "tsx") => "tsx",
        (_, "js" | "mjs" | "cjs") => "javascript",
        (_, "jsx") => "jsx",
        (_, "py" | "pyi") => "python",
        (_, "html" | "htm") => "html",
        (_, "css") => "css",
        (_, "json" | "jsonc") => "json",
        (_, "md" | "markdown") => "markdown",
        ("Cargo.lock", _) | (_, "toml") => "toml",
        _ => "plaintext",
    }
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn syntax_for<'a>(set: &'a SyntaxSet, language: &str) -> &'a SyntaxReference {
    let token = match language {
        "rust" => "rs",
        "typescript" => "ts",
        "tsx" => "tsx",
        "javascript" | "jsx" => "js",
        "python" => "py",
        "html" => "html",
        "css" => "css",
        "json" => "json",
        "markdown" => "md",
        "toml" => "toml",
        _ => "txt",
    };
    set.find_syntax_by_extension(token).unwrap_or_else(|| set.find_syntax_plain_text())
}

/// Loads the syntax definitions (a few hundred milliseconds) so the first
/// highlighted diff, answer or lesson does not wait for them.
pub fn warm_up() {
    syntaxes();
}

/// Renders `text` as HTML (escaped, with `sy-*` classed spans), choosing the
/// syntax from the file name.
pub fn to_html(path: &Path, text: &str) -> crate::Result<String> {
    snippet_to_html(language_id(path), text)
}

/// Renders a snippet in a known language id (see [`language_id`]).
pub fn snippet_to_html(language: &str, text: &str) -> crate::Result<String> {
    let set = syntaxes();
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax_for(set, language), set, CLASS_STYLE);
    for line in LinesWithEndings::from(text) {
        generator.parse_html_for_line_which_includes_newline(line).map_err(highlight_error)?;
    }
    Ok(generator.finalize())
}

/// Renders `text` as one HTML string per `\n`-terminated line, line endings
/// dropped. The parse state runs across lines, so a block comment or string
/// spanning lines stays highlighted, yet each line's HTML closes every span it
/// opens (and reopens the enclosing ones), so the UI can show lines apart, as
/// in a diff.
pub fn lines_to_html(language: &str, text: &str) -> crate::Result<Vec<String>> {
    let set = syntaxes();
    let mut parse_state = ParseState::new(syntax_for(set, language));
    let mut scopes = ScopeStack::new();
    LinesWithEndings::from(text)
        .map(|line| {
            // The syntaxes expect the newline when parsing, but it must not end up in the HTML.
            let mut ops = parse_state.parse_line(line, set).map_err(highlight_error)?;
            let content = line.trim_end_matches(['\n', '\r']);
            for (index, _) in &mut ops {
                *index = (*index).min(content.len());
            }
            line_to_html(content, &ops, &mut scopes)
        })
        .collect()
}

fn line_to_html(content: &str, ops: &[(usize, ScopeStackOp)], scopes: &mut ScopeStack) -> crate::Result<String> {
    let mut html = opening_tags(scopes)?;
    let (body, _) = line_tokens_to_classed_spans(content, ops, CLASS_STYLE, scopes).map_err(highlight_error)?;
    html.push_str(&body);
    html.push_str(&"</span>".repeat(scopes.len()));
    Ok(html)
}

/// The `<span>` tags of the scopes still open from earlier lines, rendered by
/// syntect itself (as pushes onto an empty line) so the classes match exactly.
fn opening_tags(scopes: &ScopeStack) -> crate::Result<String> {
    let pushes: Vec<(usize, ScopeStackOp)> =
        scopes.as_slice().iter().map(|scope| (0, ScopeStackOp::Push(*scope))).collect();
    let (html, _) =
        line_tokens_to_classed_spans("", &pushes, CLASS_STYLE, &mut ScopeStack::new()).map_err(highlight_error)?;
    Ok(html)
}

fn highlight_error(error: impl std::fmt::Display) -> crate::Error {
    crate::Error::internal(format!("highlighting failed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_languages_by_file_name() {
        for (path, language) in [
            ("src/main.rs", "rust"),
            ("web/app.ts", "typescript"),
            ("App.tsx", "tsx"),
            ("index.mjs", "javascript"),
            ("app/main.py", "python"),
            ("index.html", "html"),
            ("style.css", "css"),
            ("package.json", "json"),
            ("README.md", "markdown"),
            ("Cargo.toml", "toml"),
            ("Cargo.lock", "toml"),
            ("LICENSE", "plaintext"),
        ] {
            assert_eq!(language_id(Path::new(path)), language, "{path}");
        }
    }

    #[test]
    fn rust_keywords_strings_and_comments_get_classes() {
        let html = to_html(Path::new("main.rs"), "fn main() {\n    // hi\n    let s = \"x\";\n}\n").unwrap();
        assert!(html.contains(r#"<span class="sy-storage sy-type sy-function sy-rust">fn</span>"#), "{html}");
        assert!(html.contains("sy-comment"), "{html}");
        assert!(html.contains("sy-string"), "{html}");
    }

    #[test]
    fn toml_and_typescript_are_really_highlighted() {
        for (path, text) in [("Cargo.toml", "[package]\nname = \"x\"\n"), ("a.ts", "const x: number = 1;\n")] {
            let html = to_html(Path::new(path), text).unwrap();
            assert!(html.contains("sy-string") || html.contains("sy-constant"), "{path}: {html}");
            assert!(!html.contains("sy-text sy-plain"), "{path} fell back to plain text: {html}");
        }
    }

    #[test]
    fn lines_to_html_keeps_multi_line_state_and_closes_spans_per_line() {
        let text = "/* a\n   <b> */\r\nfn main() {}\n\nlet s = \"x\";";
        let lines = lines_to_html("rust", text).unwrap();
        assert_eq!(lines.len(), 5, "{lines:?}");
        assert!(lines[1].contains("sy-comment") && lines[1].contains("&lt;b&gt;"), "{lines:?}");
        assert!(!lines[2].contains("sy-comment") && lines[2].contains("sy-function"), "{lines:?}");
        assert!(lines[4].contains("sy-string"), "{lines:?}");
        for line in &lines {
            assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
            assert_eq!(line.matches("<span").count(), line.matches("</span>").count(), "{line}");
        }
        assert!(lines_to_html("rust", "").unwrap().is_empty());
    }

    #[test]
    fn markup_is_escaped() {
        let html = snippet_to_html("plaintext", "<script>alert(1)</script>").unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
}
