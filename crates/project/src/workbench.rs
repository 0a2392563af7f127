//! The API behind the desktop app's commands: one method per command, the
//! argument and result types shared with the UI through generated
//! TypeScript. Holds the store and the open projects (root + watcher).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use flashfusion_core::{highlight, Code, Error, ProjectId, Result};
use flashfusion_store::{JournalEntry, ProjectRecord, RecentProject, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::confine::ProjectRoot;
use crate::files;
use crate::templates::{self, TemplateInfo};
use crate::tree::{self, TreeEntry};
use crate::watch::{ChangeSink, ProjectWatcher};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectInfo {
    pub id: ProjectId,
    pub name: String,
    pub root: String,
    pub template: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileContent {
    pub path: String,
    pub text: String,
    /// The editor language id (see `flashfusion_core::highlight::language_id`).
    pub language: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SaveResult {
    pub hash: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    #[default]
    Dark,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Settings {
    pub theme: Theme,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreateProjectArgs {
    pub template: String,
    pub name: String,
    pub parent_dir: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct OpenProjectArgs {
    pub root: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectArgs {
    pub project_id: ProjectId,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PathArgs {
    pub project_id: ProjectId,
    pub path: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenameArgs {
    pub project_id: ProjectId,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveFileArgs {
    pub project_id: ProjectId,
    pub path: String,
    pub text: String,
    /// Hash of the disk content the buffer started from; `None` for a file
    /// that did not exist.
    pub base_hash: Option<String>,
    /// Save even if the file changed on disk since (the user chose "Overwrite").
    pub force: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalArgs {
    pub project_id: ProjectId,
    pub path: String,
    pub text: String,
    pub base_hash: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct HighlightArgs {
    pub path: String,
    pub text: String,
}

const THEME_SETTING: &str = "theme";
const RECENT_LIMIT: usize = 20;

struct OpenProject {
    root: ProjectRoot,
    /// `None` when watching failed; the project works, without live updates.
    _watcher: Option<ProjectWatcher>,
}

pub struct Workbench {
    store: Arc<Store>,
    sink: ChangeSink,
    open: Mutex<HashMap<ProjectId, OpenProject>>,
}

impl Workbench {
    /// `sink` receives file-change batches for every open project.
    pub fn new(store: Arc<Store>, sink: ChangeSink) -> Self {
        Self { store, sink, open: Mutex::new(HashMap::new()) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn open_projects(&self) -> MutexGuard<'_, HashMap<ProjectId, OpenProject>> {
        self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The root of an open project.
    pub fn root(&self, id: ProjectId) -> Result<ProjectRoot> {
        self.open_projects()
            .get(&id)
            .map(|project| project.root.clone())
            .ok_or_else(|| Error::new(Code::InvalidInput, format!("project {} is not open", id.0)))
    }

    fn resolve(&self, id: ProjectId, path: &str) -> Result<(ProjectRoot, PathBuf)> {
        let root = self.root(id)?;
        let absolute = root.resolve(path)?;
        if absolute == root.path() {
            return Err(Error::new(Code::InvalidPath, "the project folder itself cannot be changed here"));
        }
        Ok((root, absolute))
    }

    pub fn recent_projects(&self) -> Result<Vec<RecentProject>> {
        self.store.recent_projects(RECENT_LIMIT)
    }

    pub fn templates(&self) -> Vec<TemplateInfo> {
        templates::list()
    }

    pub fn create_project(&self, args: CreateProjectArgs) -> Result<ProjectInfo> {
        let name = args.name.trim();
        if name.is_empty() || name.contains(['/', '\\', '\0']) || name == "." || name == ".." {
            return Err(Error::new(Code::InvalidInput, format!("{name:?} is not a usable folder name")));
        }
        let parent = Path::new(args.parent_dir.trim());
        if !parent.is_absolute() {
            return Err(Error::new(Code::InvalidInput, "choose a full folder path for the new project"));
        }
        let target = parent.join(name);
        templates::instantiate(&args.template, name, &target)?;
        self.open_at(&target, Some(&args.template))
    }

    /// Opens a project made elsewhere (from a marketplace template),
    /// remembering where it came from.
    pub fn adopt_project(&self, root: &Path, origin: &str) -> Result<ProjectInfo> {
        self.open_at(root, Some(origin))
    }

    pub fn open_project(&self, args: OpenProjectArgs) -> Result<ProjectInfo> {
        self.open_at(Path::new(args.root.trim()), None)
    }

    fn open_at(&self, root: &Path, template: Option<&str>) -> Result<ProjectInfo> {
        let root = ProjectRoot::new(root)?;
        if root.path().parent().is_none() {
            return Err(Error::new(Code::InvalidInput, "the root of the file system cannot be opened as a project"));
        }
        let root_text = root.path().to_string_lossy().into_owned();
        let default_name =
            root.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| root_text.clone());
        let record = self.store.open_project_record(&root_text, &default_name, template)?;
        if self.open_projects().contains_key(&record.id) {
            return Ok(project_info(record));
        }
        // Watching a big tree takes a while: do it without holding the lock,
        // and open the project even if watching fails (e.g. inotify limits).
        let watcher = ProjectWatcher::start(record.id, root.clone(), self.sink.clone())
            .inspect_err(|error| tracing::warn!(%error, root = %root_text, "opened without watching for changes"))
            .ok();
        self.open_projects().entry(record.id).or_insert(OpenProject { root, _watcher: watcher });
        Ok(project_info(record))
    }

    pub fn close_project(&self, args: ProjectArgs) -> Result<()> {
        self.open_projects().remove(&args.project_id);
        Ok(())
    }

    pub fn list_tree(&self, args: ProjectArgs) -> Result<Vec<TreeEntry>> {
        tree::list_tree(&self.root(args.project_id)?)
    }

    pub fn list_dir(&self, args: PathArgs) -> Result<Vec<TreeEntry>> {
        tree::list_dir(&self.root(args.project_id)?, &args.path)
    }

    pub fn read_file(&self, args: PathArgs) -> Result<FileContent> {
        let (_, absolute) = self.resolve(args.project_id, &args.path)?;
        let (text, hash) = files::read_text(&absolute)?;
        let language = highlight::language_id(&absolute).to_owned();
        Ok(FileContent { path: args.path, text, language, hash })
    }

    /// Saves atomically unless the file changed on disk since the buffer was
    /// loaded (`Code::Conflict`), then clears the buffer's journal entry.
    pub fn save_file(&self, args: SaveFileArgs) -> Result<SaveResult> {
        let (_, absolute) = self.resolve(args.project_id, &args.path)?;
        if !args.force {
            let on_disk = files::current_hash(&absolute)?;
            if on_disk != args.base_hash {
                return Err(Error::new(Code::Conflict, format!("{} changed on disk since it was opened", args.path)));
            }
        }
        let bytes = args.text.as_bytes();
        files::atomic_write(&absolute, bytes)?;
        let hash = files::content_hash(bytes);
        // The file is saved; bookkeeping failures must not report otherwise.
        if let Err(error) = self.store.record_saved_file(args.project_id, &args.path, &hash, bytes.len() as u64) {
            tracing::warn!(%error, path = %args.path, "could not record a saved file");
        }
        // Text typed while saving may already be journalled: keep that.
        if let Err(error) = self.store.journal_remove_if_text(args.project_id, &args.path, &args.text) {
            tracing::warn!(%error, path = %args.path, "could not clear the journal of a saved file");
        }
        Ok(SaveResult { hash })
    }

    pub fn create_file(&self, args: PathArgs) -> Result<()> {
        let (_, absolute) = self.resolve(args.project_id, &args.path)?;
        files::create_file(&absolute)
    }

    pub fn create_dir(&self, args: PathArgs) -> Result<()> {
        let (_, absolute) = self.resolve(args.project_id, &args.path)?;
        files::create_dir(&absolute)
    }

    pub fn rename_path(&self, args: RenameArgs) -> Result<()> {
        let (root, from) = self.resolve(args.project_id, &args.from)?;
        let (_, to) = self.resolve(args.project_id, &args.to)?;
        files::rename(&from, &to)?;
        let to_relative = root.relative(&to).unwrap_or(args.to);
        // The rename happened; if its bookkeeping fails, say so in the log
        // rather than report a rename that did take place as failed.
        if let Err(error) = self.store.rename_path(args.project_id, &args.from, &to_relative) {
            tracing::warn!(%error, from = %args.from, to = %to_relative, "could not move file records");
        }
        Ok(())
    }

    pub fn delete_path(&self, args: PathArgs) -> Result<()> {
        let (_, absolute) = self.resolve(args.project_id, &args.path)?;
        files::delete(&absolute)?;
        // Unsaved text of deleted files stays journalled: an open tab may
        // still hold it, and the user may save it again.
        if let Err(error) = self.store.forget_saved_files(args.project_id, &args.path) {
            tracing::warn!(%error, path = %args.path, "could not forget deleted file records");
        }
        Ok(())
    }

    /// The hash of the file's bytes on disk, `None` if it does not exist:
    /// lets the UI check a watcher event without transferring the file.
    pub fn file_hash(&self, args: PathArgs) -> Result<Option<String>> {
        let (_, absolute) = self.resolve(args.project_id, &args.path)?;
        files::current_hash(&absolute)
    }

    pub fn journal_buffer(&self, args: JournalArgs) -> Result<()> {
        self.resolve(args.project_id, &args.path)?;
        self.store.journal_put(args.project_id, &args.path, &args.text, args.base_hash.as_deref())
    }

    pub fn discard_journal(&self, args: PathArgs) -> Result<()> {
        self.store.journal_remove(args.project_id, &args.path)
    }

    pub fn restore_journal(&self, args: ProjectArgs) -> Result<Vec<JournalEntry>> {
        self.root(args.project_id)?;
        self.store.journal_entries(args.project_id)
    }

    pub fn settings(&self) -> Result<Settings> {
        Ok(Settings { theme: self.store.setting(THEME_SETTING)?.unwrap_or_default() })
    }

    pub fn update_settings(&self, settings: Settings) -> Result<Settings> {
        self.store.set_setting(THEME_SETTING, &settings.theme)?;
        Ok(settings)
    }

    pub fn highlight(&self, args: HighlightArgs) -> Result<String> {
        highlight::to_html(Path::new(&args.path), &args.text)
    }
}

fn project_info(record: ProjectRecord) -> ProjectInfo {
    ProjectInfo { id: record.id, name: record.name, root: record.root, template: record.template }
}

#[cfg(test)]
mod tests;
