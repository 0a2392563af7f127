use flashfusion_assistant::context::{self, count_tokens, ContextKind, ContextRequest, OpenFile};
use flashfusion_assistant::provider::{ChatMessage, Role};
use flashfusion_project::confine::ProjectRoot;

fn project(files: &[(&str, String)]) -> (tempfile::TempDir, ProjectRoot) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let absolute = dir.path().join(path);
        std::fs::create_dir_all(absolute.parent().unwrap()).unwrap();
        std::fs::write(absolute, text).unwrap();
    }
    let root = ProjectRoot::new(dir.path()).unwrap();
    (dir, root)
}

fn request<'a>(
    root: &'a ProjectRoot,
    budget: usize,
    question: &'a str,
    open: Option<&'a OpenFile>,
) -> ContextRequest<'a> {
    ContextRequest {
        root,
        budget,
        instructions: "Be helpful.",
        question,
        history: &[],
        open_file: open,
        recent_files: &[],
    }
}

fn open(path: &str, text: &str) -> OpenFile {
    OpenFile { path: path.into(), text: text.into(), selection: None, cursor_line: 1 }
}

#[test]
fn secrets_and_ignored_files_never_go_in_even_when_named() {
    let (_dir, root) = project(&[
        (".gitignore", "build/\n*.log\n".into()),
        (".env.local", "SECRET=hunter2".into()),
        ("certs/server.key", "-----BEGIN PRIVATE KEY-----".into()),
        ("build/out.js", "generated".into()),
        ("debug.log", "log line".into()),
        ("src/app.ts", "export const app = 1;".into()),
    ]);
    let question = "Look at @.env.local @certs/server.key @build/out.js @debug.log and @src/app.ts";
    let built = context::build(&request(&root, 16_000, question, None)).unwrap();
    let everything = format!("{}{:?}", built.request.system, built.request.messages);
    for secret in ["hunter2", "BEGIN PRIVATE KEY", "generated", "log line"] {
        assert!(!built.request.system.contains(secret), "{secret} leaked: {everything}");
    }
    assert!(built.request.system.contains("export const app = 1;"));
    assert_eq!(built.summary.left_out.len(), 4, "{:?}", built.summary.left_out);
    // The tree summary does not list secret files either.
    assert!(!built.request.system.contains(".env.local"));
    assert!(context::is_secret(".env") && context::is_secret("a/id_ed25519") && !context::is_secret("src/env.ts"));
}

#[test]
fn the_budget_is_respected_and_counted_with_the_tokenizer() {
    let big = (0..4000).map(|i| format!("const value{i} = compute({i}) * {i};\n")).collect::<String>();
    let files: Vec<(&str, String)> = vec![("src/big.ts", big.clone()), ("src/other.ts", "export const x = 2;".into())];
    let (_dir, root) = project(&files);
    let open_file = OpenFile { cursor_line: 2000, ..open("src/big.ts", &big) };
    for budget in [2_000, 8_000, 16_000] {
        let built = context::build(&request(&root, budget, "What does this do?", Some(&open_file))).unwrap();
        let counted = count_tokens(&built.request.system) + count_tokens("What does this do?");
        assert!(built.summary.total_tokens as usize <= budget, "{} > {budget}", built.summary.total_tokens);
        // The summary's count matches the real prompt within the separators' tokens.
        assert!(
            counted.abs_diff(built.summary.total_tokens as usize) < 40,
            "{counted} vs {}",
            built.summary.total_tokens
        );
        let open_item = built.summary.items.iter().find(|item| item.kind == ContextKind::OpenFile).unwrap();
        assert!(open_item.truncated, "a 4000-line file cannot fit {budget}");
        // The window is centred on the cursor.
        assert!(built.request.system.contains("value1999 "), "budget {budget}");
    }
}

#[test]
fn ranking_puts_selection_open_file_mentions_and_related_before_recent_and_tree() {
    let (_dir, root) = project(&[
        ("src/main.ts", "import { api } from './api';\nmain();".into()),
        ("src/api.ts", "export const api = 1;".into()),
        ("src/notes.md", "notes".into()),
        ("src/recent.ts", "recent".into()),
        ("src/unrelated.ts", "unrelated".into()),
    ]);
    let open_file =
        OpenFile { selection: Some("main();".into()), ..open("src/main.ts", "import { api } from './api';\nmain();") };
    let recent = vec!["src/recent.ts".to_owned()];
    let history = vec![
        ChatMessage { role: Role::User, content: "earlier question".into() },
        ChatMessage { role: Role::Assistant, content: "earlier answer".into() },
    ];
    let built = context::build(&ContextRequest {
        history: &history,
        recent_files: &recent,
        ..request(&root, 16_000, "Explain with @src/notes.md", Some(&open_file))
    })
    .unwrap();
    let kinds: Vec<(ContextKind, &str)> =
        built.summary.items.iter().map(|item| (item.kind, item.label.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (ContextKind::Instructions, "Instructions"),
            (ContextKind::Question, "Your message"),
            (ContextKind::Selection, "src/main.ts"),
            (ContextKind::OpenFile, "src/main.ts"),
            (ContextKind::Mentioned, "src/notes.md"),
            (ContextKind::History, "2 earlier messages"),
            (ContextKind::Related, "src/api.ts"),
            (ContextKind::Recent, "src/recent.ts"),
            (ContextKind::Tree, "5 project files"),
        ]
    );
    assert_eq!(built.request.messages.len(), 3);
    assert!(!built.request.system.contains("\nunrelated\n"));
}

#[test]
fn old_history_is_dropped_first() {
    let (_dir, root) = project(&[("a.txt", "a".into())]);
    let history: Vec<ChatMessage> = (0..40)
        .map(|i| ChatMessage {
            role: if i % 2 == 0 { Role::User } else { Role::Assistant },
            content: format!("message {i} {}", "lorem ipsum dolor sit amet ".repeat(20)),
        })
        .collect();
    let built =
        context::build(&ContextRequest { history: &history, ..request(&root, 4_000, "latest?", None) }).unwrap();
    let kept = built.request.messages.len() - 1;
    assert!(kept > 0 && kept < 40, "kept {kept}");
    assert!(built.request.messages[kept - 1].content.starts_with("message 39 "));
    assert!(built.summary.left_out.iter().any(|reason| reason.contains("older messages")));
}

#[test]
fn a_question_over_the_budget_is_a_clear_error() {
    let (_dir, root) = project(&[("a.txt", "a".into())]);
    let question = "word ".repeat(3000);
    let error = context::build(&request(&root, 1_000, &question, None)).err().unwrap();
    assert!(error.message.contains("context budget"), "{}", error.message);
}

#[test]
fn cutting_text_never_splits_a_character_and_links_are_judged_by_their_target() {
    let cjk = "数据处理函数返回结果。".repeat(3000);
    let (dir, root) = project(&[("notes/中文.md", cjk), (".env", "SECRET=1".into()), ("a.txt", "a".into())]);
    std::os::unix::fs::symlink(dir.path().join(".env"), dir.path().join("innocent.txt")).unwrap();
    let built = context::build(&request(&root, 2_000, "Summarise @notes/中文.md and @innocent.txt", None)).unwrap();
    let mentioned = built.summary.items.iter().find(|item| item.kind == ContextKind::Mentioned).unwrap();
    assert!(mentioned.truncated);
    assert!(!built.request.system.contains("SECRET=1"));
    assert!(
        built.summary.left_out.iter().any(|reason| reason.starts_with("innocent.txt")),
        "{:?}",
        built.summary.left_out
    );
}

#[test]
fn an_open_file_that_gitignore_excludes_stays_out() {
    let (_dir, root) = project(&[(".gitignore", "prod.yml\n".into()), ("prod.yml", "password: hunter2".into())]);
    let open_file = open("prod.yml", "password: hunter2");
    let built = context::build(&request(&root, 4_000, "what is this?", Some(&open_file))).unwrap();
    assert!(!built.request.system.contains("hunter2"));
    assert!(built.summary.left_out.iter().any(|reason| reason.contains("ignored")));
}
