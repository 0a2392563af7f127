use super::*;
use flashfusion_core::ProjectId;

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    (dir, store)
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path).unwrap().query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap()
}

#[test]
fn a_new_database_is_migrated_to_the_latest_schema_in_wal_mode() {
    let (_dir, store) = temp_store();
    assert_eq!(user_version(store.path()), migrations::LATEST);
    let mode: String = store.connection().query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn reopening_keeps_data_and_does_not_rerun_migrations() {
    let (dir, store) = temp_store();
    let project = store.open_project_record("/p/one", "one", Some("static-site")).unwrap();
    drop(store);
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    assert_eq!(store.project(project.id).unwrap().template.as_deref(), Some("static-site"));
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    drop(Store::open(&path).unwrap());
    Connection::open(&path).unwrap().pragma_update(None, "user_version", migrations::LATEST + 5).unwrap();
    let before = std::fs::read(&path).unwrap();

    let error = Store::open(&path).err().unwrap();
    assert_eq!(error.code, Code::FutureDatabase);
    assert!(error.message.contains("newer FlashFusion"), "{}", error.message);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let garbage: Vec<u8> = (0..16_384u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();

    let error = Store::open(&path).err().unwrap();
    assert_eq!(error.code, Code::CorruptDatabase, "{error:?}");
    assert!(error.message.contains("was not changed"), "{}", error.message);
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}

#[test]
fn damaged_pages_inside_a_real_database_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        let project = store.open_project_record("/p", "p", None).unwrap();
        for index in 0..400 {
            store.journal_put(project.id, &format!("file{index}.txt"), &"x".repeat(500), None).unwrap();
        }
        store.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8 * 4096, "database too small to damage: {}", bytes.len());
    // Keep the 100-byte header and the schema page; scribble over b-tree pages.
    for byte in &mut bytes[4096 * 2..4096 * 6] {
        *byte = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();

    let error = Store::open(&path).err().unwrap();
    assert_eq!(error.code, Code::CorruptDatabase, "{error:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn the_journal_survives_an_unclean_exit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let store = Store::open(&path).unwrap();
    let project = store.open_project_record("/p", "p", None).unwrap();
    store.journal_put(project.id, "src/main.rs", "fn main() { draft }", Some("abc")).unwrap();
    store.journal_put(project.id, "src/main.rs", "fn main() { later draft }", Some("abc")).unwrap();
    store.journal_put(project.id, "notes.md", "# notes", None).unwrap();
    // No destructor runs on a killed process; leak the connection the same way.
    std::mem::forget(store);

    let store = Store::open(&path).unwrap();
    let entries = store.journal_entries(project.id).unwrap();
    let summary: Vec<_> = entries.iter().map(|e| (e.path.as_str(), e.text.as_str(), e.base_hash.as_deref())).collect();
    assert_eq!(summary, [("notes.md", "# notes", None), ("src/main.rs", "fn main() { later draft }", Some("abc"))]);

    store.journal_remove(project.id, "notes.md").unwrap();
    assert_eq!(store.journal_entries(project.id).unwrap().len(), 1);
}

#[test]
fn renames_carry_the_journal_of_nested_paths_only_and_replace_stale_rows() {
    let (_dir, store) = temp_store();
    let id = store.open_project_record("/p", "p", None).unwrap().id;
    for path in ["src/a.rs", "src/sub/b.rs", "srcs/c.rs", "src", "lib/a.rs"] {
        store.journal_put(id, path, path, None).unwrap();
        store.record_saved_file(id, path, "hash", 1).unwrap();
    }
    // lib/a.rs is stale (deleted outside the app): src/a.rs takes its place.
    store.rename_path(id, "src", "lib").unwrap();
    let journal =
        |store: &Store| store.journal_entries(id).unwrap().into_iter().map(|e| (e.path, e.text)).collect::<Vec<_>>();
    let expected =
        [("lib", "src"), ("lib/a.rs", "src/a.rs"), ("lib/sub/b.rs", "src/sub/b.rs"), ("srcs/c.rs", "srcs/c.rs")];
    assert_eq!(journal(&store), expected.map(|(p, t)| (p.to_owned(), t.to_owned())));
    assert_eq!(store.saved_file_hash(id, "lib/sub/b.rs").unwrap().as_deref(), Some("hash"));
    assert_eq!(store.saved_file_hash(id, "src/sub/b.rs").unwrap(), None);

    store.forget_saved_files(id, "lib/sub").unwrap();
    assert_eq!(store.saved_file_hash(id, "lib/sub/b.rs").unwrap(), None);
    assert_eq!(store.saved_file_hash(id, "lib/a.rs").unwrap().as_deref(), Some("hash"));
    assert_eq!(journal(&store).len(), 4, "forgetting saved files keeps unsaved text");
}

#[test]
fn clearing_the_journal_after_a_save_keeps_text_typed_meanwhile() {
    let (_dir, store) = temp_store();
    let id = store.open_project_record("/p", "p", None).unwrap().id;
    store.journal_put(id, "a.txt", "typed after the save began", None).unwrap();
    store.journal_remove_if_text(id, "a.txt", "what was saved").unwrap();
    assert_eq!(store.journal_entries(id).unwrap().len(), 1);
    store.journal_remove_if_text(id, "a.txt", "typed after the save began").unwrap();
    assert!(store.journal_entries(id).unwrap().is_empty());
}

#[test]
fn recent_projects_are_newest_first_and_report_missing_folders() {
    let (dir, store) = temp_store();
    let existing = dir.path().to_string_lossy().into_owned();
    store.open_project_record("/definitely/not/here", "gone", None).unwrap();
    store.open_project_record(&existing, "here", None).unwrap();
    let recent = store.recent_projects(10).unwrap();
    assert_eq!(
        recent.iter().map(|r| (r.name.as_str(), r.exists)).collect::<Vec<_>>(),
        [("here", true), ("gone", false)]
    );

    // Reopening moves a project to the top without duplicating it.
    std::thread::sleep(std::time::Duration::from_millis(2));
    store.open_project_record("/definitely/not/here", "gone", None).unwrap();
    let names: Vec<_> = store.recent_projects(10).unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["gone", "here"]);
    assert!(store.project(ProjectId(999)).is_err());
}

#[test]
fn settings_round_trip_as_json() {
    let (_dir, store) = temp_store();
    assert_eq!(store.setting::<String>("theme").unwrap(), None);
    store.set_setting("theme", &"dark").unwrap();
    store.set_setting("theme", &"light").unwrap();
    assert_eq!(store.setting::<String>("theme").unwrap().as_deref(), Some("light"));
}

#[test]
fn conversations_keep_messages_usage_and_truncate_on_edit() {
    let (_dir, store) = temp_store();
    let project = store.open_project_record("/p", "p", None).unwrap().id;
    let conversation = store.create_conversation(Some(project), "New chat").unwrap();
    let user = NewMessage { role: MessageRole::User, content: "hi", state: MessageState::Complete, model: None };
    let first = store.add_message(conversation, user).unwrap();
    let answer = store
        .add_message(
            conversation,
            NewMessage { role: MessageRole::Assistant, content: "", state: MessageState::Streaming, model: Some("m") },
        )
        .unwrap();
    store.update_message_text(answer, "Hel").unwrap();
    // An answer still streaming when the app stopped is partial afterwards.
    assert_eq!(store.mark_streaming_interrupted().unwrap(), 1);
    assert_eq!(store.message(answer).unwrap().state, MessageState::Interrupted);
    let usage = Usage { prompt_tokens: 10, completion_tokens: 2, estimated: false, cost_usd: Some(0.5) };
    store.finish_message(answer, "Hello", MessageState::Complete, Some(usage)).unwrap();
    let messages = store.messages(conversation).unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].content, "Hello");
    assert_eq!(messages[1].usage, Some(usage));
    assert_eq!(messages[0].usage, None);
    assert_eq!(store.user_messages_since(0).unwrap(), 1);
    assert_eq!(store.conversations(Some(project)).unwrap()[0].message_count, 2);
    store.truncate_conversation(conversation, first).unwrap();
    assert!(store.messages(conversation).unwrap().is_empty());
    store.rename_conversation(conversation, "Renamed").unwrap();
    assert_eq!(store.conversation_title(conversation).unwrap(), "Renamed");
    store.delete_conversation(conversation).unwrap();
    assert!(store.conversations(Some(project)).unwrap().is_empty());
    assert_eq!(store.rename_conversation(conversation, "x").unwrap_err().code, Code::NotFound);
}

#[test]
fn deployments_are_recorded_listed_newest_first_and_interrupted_after_a_crash() {
    let (_dir, store) = temp_store();
    let project = store.open_project_record("/p/site", "site", None).unwrap();
    let target = DeployTargetRecord { id: "t1".into(), project_id: project.id, config: "{}".into() };
    store.save_deploy_target(&target).unwrap();
    store.save_deploy_target(&DeployTargetRecord { config: r#"{"x":1}"#.into(), ..target.clone() }).unwrap();
    assert_eq!(store.deploy_targets(project.id).unwrap()[0].config, r#"{"x":1}"#);

    for id in ["d1", "d2"] {
        store
            .start_deployment(&NewDeployment { id, target_id: "t1", project_id: project.id, rollback_of: None })
            .unwrap();
    }
    store.save_deployment_log("d1", "building…\n").unwrap();
    let outcome = DeploymentOutcome {
        state: DeployState::Ready,
        commit_id: Some("abc"),
        platform_id: Some("p1"),
        url: Some("https://x"),
        error: None,
        uploaded_files: 3,
        uploaded_bytes: 30,
        log: "building…\ndone\n",
    };
    store.finish_deployment("d1", &outcome).unwrap();
    assert_eq!(store.mark_running_deployments_interrupted().unwrap(), 1);
    let listed = store.deployments(project.id, 10).unwrap();
    assert_eq!(listed.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["d2", "d1"]);
    assert_eq!(listed[0].state, DeployState::Interrupted);
    let first = store.deployment("d1").unwrap().unwrap();
    assert_eq!((first.state, first.platform_id.as_deref(), first.uploaded_files), (DeployState::Ready, Some("p1"), 3));
    assert_eq!(store.deployment_log("d1").unwrap().as_deref(), Some("building…\ndone\n"));

    store.set_deploy_env("t1", &[("API".into(), false), ("KEY".into(), true)]).unwrap();
    store.set_deploy_env("t1", &[("KEY".into(), true)]).unwrap();
    assert_eq!(store.deploy_env("t1").unwrap(), [("KEY".to_owned(), true)]);
    store.delete_deploy_target("t1").unwrap();
    assert!(store.deployments(project.id, 10).unwrap().is_empty(), "deleting a target deletes its history");
    assert!(store.deploy_env("t1").unwrap().is_empty());
}

#[test]
fn the_service_cache_keeps_the_last_answer_per_key() {
    let (_dir, store) = temp_store();
    assert!(store.cache_get::<Vec<u32>>("market:search:x").unwrap().is_none());
    store.cache_put("market:search:x", &vec![1, 2]).unwrap();
    store.cache_put("market:search:x", &vec![3]).unwrap();
    let (value, at) = store.cache_get::<Vec<u32>>("market:search:x").unwrap().unwrap();
    assert_eq!(value, [3]);
    assert!(at > 0);
    assert!(store.cache_get::<String>("market:search:x").unwrap().is_none(), "a shape that no longer parses is a miss");
}
