use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::watch::FsChange;

struct Fixture {
    _data: tempfile::TempDir,
    projects: tempfile::TempDir,
    workbench: Workbench,
    changes: mpsc::Receiver<FsChange>,
}

fn fixture() -> Fixture {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(&data.path().join("db.sqlite3")).unwrap();
    let (sender, changes) = mpsc::channel();
    let sender = Mutex::new(sender);
    let sink: ChangeSink = Arc::new(move |change| {
        let sent = sender.lock().unwrap().send(change);
        if sent.is_err() {
            eprintln!("test receiver gone");
        }
    });
    Fixture {
        _data: data,
        projects: tempfile::tempdir().unwrap(),
        workbench: Workbench::new(std::sync::Arc::new(store), sink),
        changes,
    }
}

impl Fixture {
    fn new_project(&self, template: &str) -> ProjectInfo {
        self.workbench
            .create_project(CreateProjectArgs {
                template: template.into(),
                name: "Demo".into(),
                parent_dir: self.projects.path().to_string_lossy().into(),
            })
            .unwrap()
    }

    fn path(&self, project: &ProjectInfo, path: &str) -> PathArgs {
        PathArgs { project_id: project.id, path: path.into() }
    }

    /// Waits for a change batch naming `path`, skipping unrelated ones.
    fn wait_for_change(&self, path: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.changes.recv_timeout(left) {
                Ok(change) if change.paths.iter().any(|p| p == path) => return true,
                Ok(_) => continue,
                Err(_) => return false,
            }
        }
        false
    }
}

#[test]
fn a_project_from_a_template_opens_lists_reads_and_saves() {
    let f = fixture();
    let project = f.new_project("static-site");
    assert_eq!(project.name, "Demo");
    assert!(f.workbench.recent_projects().unwrap().iter().any(|r| r.id == project.id));

    let tree = f.workbench.list_tree(ProjectArgs { project_id: project.id }).unwrap();
    assert!(tree.iter().any(|e| e.path == "index.html"), "{tree:?}");

    let file = f.workbench.read_file(f.path(&project, "index.html")).unwrap();
    assert_eq!(file.language, "html");
    let saved = f
        .workbench
        .save_file(SaveFileArgs {
            project_id: project.id,
            path: "index.html".into(),
            text: format!("{}<!-- edited -->\n", file.text),
            base_hash: Some(file.hash.clone()),
            force: false,
        })
        .unwrap();
    assert_ne!(saved.hash, file.hash);
    let on_disk = std::fs::read_to_string(Path::new(&project.root).join("index.html")).unwrap();
    assert!(on_disk.ends_with("<!-- edited -->\n"));
    assert_eq!(f.workbench.store().saved_file_hash(project.id, "index.html").unwrap(), Some(saved.hash));
}

#[test]
fn saving_over_a_file_changed_on_disk_is_a_conflict_unless_forced() {
    let f = fixture();
    let project = f.new_project("rust-cli");
    let file = f.workbench.read_file(f.path(&project, "src/main.rs")).unwrap();
    std::fs::write(Path::new(&project.root).join("src/main.rs"), "// changed by another program\n").unwrap();
    let save = |force| SaveFileArgs {
        project_id: project.id,
        path: "src/main.rs".into(),
        text: "// mine\n".into(),
        base_hash: Some(file.hash.clone()),
        force,
    };
    assert_eq!(f.workbench.save_file(save(false)).unwrap_err().code, Code::Conflict);
    assert_eq!(
        std::fs::read_to_string(Path::new(&project.root).join("src/main.rs")).unwrap(),
        "// changed by another program\n"
    );
    f.workbench.save_file(save(true)).unwrap();
    assert_eq!(std::fs::read_to_string(Path::new(&project.root).join("src/main.rs")).unwrap(), "// mine\n");
}

#[test]
fn every_path_command_refuses_escaping_the_project() {
    let f = fixture();
    let project = f.new_project("static-site");
    let outside = f.projects.path().join("outside.txt");
    std::fs::write(&outside, "secret").unwrap();
    std::os::unix::fs::symlink(f.projects.path(), Path::new(&project.root).join("escape")).unwrap();

    for path in ["../outside.txt", "escape/outside.txt", outside.to_str().unwrap(), ""] {
        let p = || f.path(&project, path);
        let codes = [
            f.workbench.read_file(p()).map(drop).unwrap_err().code,
            f.workbench.create_file(p()).unwrap_err().code,
            f.workbench.create_dir(p()).unwrap_err().code,
            f.workbench.delete_path(p()).unwrap_err().code,
            f.workbench
                .save_file(SaveFileArgs {
                    project_id: project.id,
                    path: path.into(),
                    text: "x".into(),
                    base_hash: None,
                    force: true,
                })
                .unwrap_err()
                .code,
            f.workbench
                .journal_buffer(JournalArgs {
                    project_id: project.id,
                    path: path.into(),
                    text: "x".into(),
                    base_hash: None,
                })
                .unwrap_err()
                .code,
            f.workbench
                .rename_path(RenameArgs { project_id: project.id, from: "index.html".into(), to: path.into() })
                .unwrap_err()
                .code,
        ];
        assert!(codes.iter().all(|code| *code == Code::InvalidPath), "{path:?}: {codes:?}");
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "secret");
    assert!(Path::new(&project.root).join("index.html").exists());
}

#[test]
fn create_rename_move_and_delete_keep_unsaved_work_with_the_file() {
    let f = fixture();
    let project = f.new_project("static-site");
    f.workbench.create_dir(f.path(&project, "docs")).unwrap();
    f.workbench.create_file(f.path(&project, "docs/notes.md")).unwrap();
    assert_eq!(f.workbench.create_file(f.path(&project, "docs/notes.md")).unwrap_err().code, Code::AlreadyExists);
    f.workbench
        .journal_buffer(JournalArgs {
            project_id: project.id,
            path: "docs/notes.md".into(),
            text: "draft".into(),
            base_hash: None,
        })
        .unwrap();

    f.workbench
        .rename_path(RenameArgs { project_id: project.id, from: "docs".into(), to: "guide/docs".into() })
        .unwrap();
    assert!(Path::new(&project.root).join("guide/docs/notes.md").is_file());
    let journal = f.workbench.restore_journal(ProjectArgs { project_id: project.id }).unwrap();
    assert_eq!(journal.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["guide/docs/notes.md"]);

    f.workbench.delete_path(f.path(&project, "guide")).unwrap();
    assert!(!Path::new(&project.root).join("guide").exists());
    // The unsaved text outlives the file: a tab may still hold it.
    let journal = f.workbench.restore_journal(ProjectArgs { project_id: project.id }).unwrap();
    assert_eq!(journal.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(), ["draft"]);

    // Saving it again recreates the folder.
    f.workbench
        .save_file(SaveFileArgs {
            project_id: project.id,
            path: "guide/docs/notes.md".into(),
            text: "draft".into(),
            base_hash: None,
            force: false,
        })
        .unwrap();
    assert_eq!(std::fs::read_to_string(Path::new(&project.root).join("guide/docs/notes.md")).unwrap(), "draft");
    assert!(f.workbench.restore_journal(ProjectArgs { project_id: project.id }).unwrap().is_empty());
}

#[test]
fn changes_by_other_programs_are_reported() {
    let f = fixture();
    let project = f.new_project("static-site");
    // Let the watcher settle, then write as another program would.
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(Path::new(&project.root).join("index.html"), "<p>from outside</p>").unwrap();
    assert!(f.wait_for_change("index.html"), "no change event for an external write");

    std::fs::create_dir_all(Path::new(&project.root).join("node_modules/pkg")).unwrap();
    std::fs::write(Path::new(&project.root).join("node_modules/pkg/index.js"), "x").unwrap();
    std::fs::write(Path::new(&project.root).join("new.txt"), "x").unwrap();
    assert!(f.wait_for_change("new.txt"));
    assert!(!f.changes.try_iter().any(|c| c.paths.iter().any(|p| p.starts_with("node_modules"))));

    f.workbench.close_project(ProjectArgs { project_id: project.id }).unwrap();
    assert_eq!(f.workbench.read_file(f.path(&project, "new.txt")).unwrap_err().code, Code::InvalidInput);
}

#[test]
fn reading_files_and_listing_the_tree_is_not_reported_as_a_change() {
    let f = fixture();
    let project = f.new_project("static-site");
    std::thread::sleep(Duration::from_millis(300));
    while f.changes.try_recv().is_ok() {}

    for _ in 0..3 {
        f.workbench.read_file(f.path(&project, "index.html")).unwrap();
        f.workbench.file_hash(f.path(&project, "styles.css")).unwrap();
        f.workbench.list_tree(ProjectArgs { project_id: project.id }).unwrap();
    }
    let spurious = f.changes.recv_timeout(Duration::from_millis(600));
    assert!(spurious.is_err(), "reads were reported as changes: {spurious:?}");

    // Build output in a gitignored folder is not reported either, while an
    // ignored file at the root (people edit .env) is.
    std::fs::write(Path::new(&project.root).join(".gitignore"), "dist/\n.env\n").unwrap();
    std::fs::create_dir_all(Path::new(&project.root).join("dist")).unwrap();
    std::fs::write(Path::new(&project.root).join("dist/bundle.js"), "x").unwrap();
    std::fs::write(Path::new(&project.root).join(".env"), "KEY=1").unwrap();
    assert!(f.wait_for_change(".env"));
    assert!(!f.changes.try_iter().any(|c| c.paths.iter().any(|p| p.starts_with("dist/"))));
}

#[test]
fn settings_default_to_dark_and_persist() {
    let f = fixture();
    assert_eq!(f.workbench.settings().unwrap().theme, Theme::Dark);
    f.workbench.update_settings(Settings { theme: Theme::Light }).unwrap();
    assert_eq!(f.workbench.settings().unwrap().theme, Theme::Light);
}

#[test]
fn bad_project_names_and_relative_parents_are_refused() {
    let f = fixture();
    for (name, parent) in [("", "/tmp"), ("a/b", "/tmp"), ("..", "/tmp"), ("ok", "relative/dir")] {
        let error = f
            .workbench
            .create_project(CreateProjectArgs {
                template: "static-site".into(),
                name: name.into(),
                parent_dir: parent.into(),
            })
            .unwrap_err();
        assert_eq!(error.code, Code::InvalidInput, "{name:?} in {parent:?}");
    }
}
