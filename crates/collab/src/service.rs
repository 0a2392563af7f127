//! The app's collaboration service: which projects are shared, on which
//! server and room, as whom. Sharing creates a room and puts the project's
//! files in its document; joining redeems an invite into a local folder the
//! app opens as a project. Each live session mirrors the document to that
//! folder, keeps its token in the keyring and its record on disk, so a
//! restart (even offline) resumes it with nothing lost.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use flashfusion_core::secrets::SecretStore;
use flashfusion_core::{Code, Error, ProjectId, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::client::new_doc;
use crate::comments::Author;
use crate::history::{version_diff, FileDiff};
use crate::invite::{ws_url, InviteLink};
use crate::mirror;
use crate::presence::{color_for, User};
use crate::rest::{Admission, CollabRole, Invite, Participant, RoomApi, VersionInfo};
use crate::session::{EventSink, Session, SessionOptions};

/// What the window knows about a shared project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub project_id: ProjectId,
    pub server: String,
    pub room_id: String,
    /// Who we are in the room; comments we wrote carry it as `authorId`.
    #[ts(type = "number")]
    pub participant_id: i64,
    pub role: CollabRole,
    pub name: String,
    pub color: String,
    #[ts(type = "number")]
    pub client_id: u64,
    pub hosted_locally: bool,
}

/// A shared project as remembered between runs (the token is in the keyring).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    project_id: ProjectId,
    server: String,
    room_id: String,
    participant_id: i64,
    role: CollabRole,
    name: String,
    root: PathBuf,
    hosted_locally: bool,
}

struct Live {
    record: Record,
    session: Arc<Session>,
    api: RoomApi,
    mirror: tokio::task::JoinHandle<()>,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.mirror.abort();
    }
}

pub struct Collaboration {
    dir: PathBuf,
    secrets: Arc<dyn SecretStore>,
    live: Mutex<HashMap<ProjectId, Arc<Live>>>,
}

/// Where a project is shared from: a server and the token to act there.
pub struct Host {
    pub server: String,
    pub token: String,
    pub hosted_locally: bool,
}

/// The keyring entry of a shared project's token.
fn token_key(project_id: ProjectId) -> String {
    format!("collab.token.project-{}", project_id.0)
}

impl Collaboration {
    /// `dir` holds each session's record and local copy of the document.
    pub fn new(dir: PathBuf, secrets: Arc<dyn SecretStore>) -> Self {
        Self { dir, secrets, live: Mutex::new(HashMap::new()) }
    }

    fn live(&self) -> MutexGuard<'_, HashMap<ProjectId, Arc<Live>>> {
        self.live.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn record_path(&self, project_id: ProjectId) -> PathBuf {
        self.dir.join(format!("project-{}.json", project_id.0))
    }

    fn log_path(&self, project_id: ProjectId) -> PathBuf {
        self.dir.join(format!("project-{}.ylog", project_id.0))
    }

    /// Shares the project at `root` (its `files`) on `host`; we become the room's owner.
    pub async fn share(
        &self,
        project_id: ProjectId,
        root: &Path,
        project_name: &str,
        files: BTreeMap<String, String>,
        host: Host,
    ) -> Result<SessionInfo> {
        if let Some(live) = self.live().get(&project_id) {
            return Ok(self.info(&live.record, &live.session));
        }
        let api = RoomApi::new(&host.server, Some(host.token.clone()))?;
        let room = api.create_room(project_name).await?;
        let participants = api.participants(&room.id).await?;
        let me = participants
            .iter()
            .find(|participant| participant.role == CollabRole::Owner)
            .ok_or_else(|| Error::internal("the new room has no owner"))?;
        let record = Record {
            project_id,
            server: host.server.clone(),
            room_id: room.id,
            participant_id: me.participant_id,
            role: CollabRole::Owner,
            name: me.name.clone(),
            root: root.to_owned(),
            hosted_locally: host.hosted_locally,
        };
        self.secrets.set(&token_key(project_id), &host.token)?;
        let live = self.start(record, host.token, api)?;
        live.session.seed(&files);
        Ok(self.info(&live.record, &live.session))
    }

    /// Redeems an invite as a guest named `name`; also gives the room's name.
    pub async fn redeem(&self, link: &InviteLink, name: &str) -> Result<(Admission, String)> {
        let admission = RoomApi::new(&link.server, None)?.join(&link.code, name).await?;
        let room_name = RoomApi::new(&link.server, admission.token.clone())?.room_name(&admission.room_id).await?;
        Ok((admission, room_name))
    }

    /// Starts the session a redeemed invite admits to, mirrored into `root`
    /// (the folder the app opened as project `project_id`).
    pub fn start_joined(
        &self,
        project_id: ProjectId,
        root: &Path,
        link: &InviteLink,
        admission: Admission,
        name: &str,
    ) -> Result<SessionInfo> {
        let token =
            admission.token.ok_or_else(|| Error::internal("the server admitted us without a token to connect with"))?;
        let record = Record {
            project_id,
            server: link.server.clone(),
            room_id: admission.room_id,
            participant_id: admission.participant_id,
            role: admission.role,
            name: name.to_owned(),
            root: root.to_owned(),
            hosted_locally: false,
        };
        self.secrets.set(&token_key(project_id), &token)?;
        let api = RoomApi::new(&record.server, Some(token.clone()))?;
        let live = self.start(record, token, api)?;
        Ok(self.info(&live.record, &live.session))
    }

    /// The project's session, resumed from its record if it is not running.
    pub fn session(&self, project_id: ProjectId) -> Result<Option<SessionInfo>> {
        if let Some(live) = self.live().get(&project_id) {
            return Ok(Some(self.info(&live.record, &live.session)));
        }
        let Some(record) = self.load_record(project_id)? else { return Ok(None) };
        let token = self.secrets.get(&token_key(project_id))?.ok_or_else(|| {
            Error::new(Code::AuthFailed, "the session's access token is missing from the keyring: join it again")
        })?;
        let api = RoomApi::new(&record.server, Some(token.clone()))?;
        let live = self.start(record, token, api)?;
        Ok(Some(self.info(&live.record, &live.session)))
    }

    /// Whether the project was shared from this machine's own server.
    pub fn hosted_locally(&self, project_id: ProjectId) -> Result<Option<String>> {
        Ok(self.load_record(project_id)?.filter(|record| record.hosted_locally).map(|record| record.server))
    }

    fn load_record(&self, project_id: ProjectId) -> Result<Option<Record>> {
        match std::fs::read(self.record_path(project_id)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|error| Error::internal(format!("unreadable session record: {error}"))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(Error::new(Code::Io, format!("read the session record: {error}"))),
        }
    }

    fn save_record(&self, record: &Record) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|error| Error::new(Code::Io, error.to_string()))?;
        let json = serde_json::to_vec_pretty(record).map_err(|error| Error::internal(error.to_string()))?;
        let path = self.record_path(record.project_id);
        let temp = path.with_extension("tmp");
        std::fs::write(&temp, json)
            .and_then(|()| std::fs::rename(&temp, &path))
            .map_err(|error| Error::new(Code::Io, format!("save the session record: {error}")))
    }

    /// Starts the session, or returns the running one: checked and started
    /// under one lock, so two calls never open the same local copy twice.
    fn start(&self, record: Record, token: String, api: RoomApi) -> Result<Arc<Live>> {
        let mut live = self.live();
        if let Some(running) = live.get(&record.project_id) {
            return Ok(running.clone());
        }
        self.save_record(&record)?;
        let options = SessionOptions {
            url: ws_url(&record.server, &record.room_id, &token),
            user: User {
                name: record.name.clone(),
                color: color_for(record.participant_id.unsigned_abs()),
                participant_id: Some(record.participant_id),
            },
            author: Author { id: record.participant_id.to_string(), name: record.name.clone() },
            read_only: record.role == CollabRole::Viewer,
        };
        let session = Arc::new(Session::start(options, &self.log_path(record.project_id), new_doc())?);
        let mirror = tokio::spawn(mirror::run(session.clone(), record.root.clone()));
        let started = Arc::new(Live { record, session, api, mirror });
        live.insert(started.record.project_id, started.clone());
        Ok(started)
    }

    fn info(&self, record: &Record, session: &Session) -> SessionInfo {
        SessionInfo {
            project_id: record.project_id,
            server: record.server.clone(),
            room_id: record.room_id.clone(),
            participant_id: record.participant_id,
            role: record.role,
            name: record.name.clone(),
            color: color_for(record.participant_id.unsigned_abs()),
            client_id: session.doc().client_id().get(),
            hosted_locally: record.hosted_locally,
        }
    }

    fn get(&self, project_id: ProjectId) -> Result<Arc<Live>> {
        if let Some(live) = self.live().get(&project_id) {
            return Ok(live.clone());
        }
        self.session(project_id)?;
        self.live().get(&project_id).cloned().ok_or_else(|| Error::new(Code::NotFound, "this project is not shared"))
    }

    /// Our role in the project's room.
    pub fn role(&self, project_id: ProjectId) -> Result<CollabRole> {
        Ok(self.get(project_id)?.record.role)
    }

    /// The live session of a shared project.
    pub fn open(&self, project_id: ProjectId) -> Result<Arc<Session>> {
        Ok(self.get(project_id)?.session.clone())
    }

    /// The live session, if the project is shared and running.
    pub fn running(&self, project_id: ProjectId) -> Option<Arc<Session>> {
        self.live().get(&project_id).map(|live| live.session.clone())
    }

    pub fn subscribe(&self, project_id: ProjectId, sink: EventSink) -> Result<()> {
        self.open(project_id)?.subscribe(sink);
        Ok(())
    }

    pub async fn invite(
        &self,
        project_id: ProjectId,
        role: CollabRole,
        expires: &str,
        max_uses: Option<u32>,
    ) -> Result<Invite> {
        let live = self.get(project_id)?;
        live.api.create_invite(&live.record.room_id, role, expires, max_uses).await
    }

    pub async fn invites(&self, project_id: ProjectId) -> Result<Vec<Invite>> {
        let live = self.get(project_id)?;
        live.api.invites(&live.record.room_id).await
    }

    pub async fn revoke_invite(&self, project_id: ProjectId, invite_id: &str) -> Result<()> {
        let live = self.get(project_id)?;
        live.api.revoke_invite(&live.record.room_id, invite_id).await
    }

    pub async fn participants(&self, project_id: ProjectId) -> Result<Vec<Participant>> {
        let live = self.get(project_id)?;
        live.api.participants(&live.record.room_id).await
    }

    pub async fn set_role(&self, project_id: ProjectId, participant_id: i64, role: CollabRole) -> Result<()> {
        let live = self.get(project_id)?;
        live.api.set_role(&live.record.room_id, participant_id, role).await
    }

    pub async fn remove_participant(&self, project_id: ProjectId, participant_id: i64) -> Result<()> {
        let live = self.get(project_id)?;
        live.api.remove_participant(&live.record.room_id, participant_id).await
    }

    pub async fn versions(&self, project_id: ProjectId) -> Result<Vec<VersionInfo>> {
        let live = self.get(project_id)?;
        live.api.versions(&live.record.room_id).await
    }

    pub async fn save_version(&self, project_id: ProjectId, message: &str) -> Result<VersionInfo> {
        let live = self.get(project_id)?;
        live.session.flush()?;
        live.api.save_version(&live.record.room_id, message).await
    }

    /// What changed from version `version_id` to the document now.
    pub async fn version_diff(&self, project_id: ProjectId, version_id: i64) -> Result<Vec<FileDiff>> {
        let live = self.get(project_id)?;
        let version = live.api.version_files(&live.record.room_id, version_id).await?;
        Ok(version_diff(&version, &live.session.files()))
    }

    pub async fn restore(&self, project_id: ProjectId, version_id: i64) -> Result<()> {
        let live = self.get(project_id)?;
        live.api.restore(&live.record.room_id, version_id).await
    }

    /// Writes the session (files, comments, every version) to a zip at `destination`.
    pub async fn export(&self, project_id: ProjectId, destination: &Path) -> Result<()> {
        let live = self.get(project_id)?;
        let mut history = Vec::new();
        for version in live.api.versions(&live.record.room_id).await? {
            let files = live.api.version_files(&live.record.room_id, version.id).await?;
            history.push((version, files));
        }
        crate::export::export_session(destination, &live.session.files(), &live.session.threads(), &history)
    }

    /// Stops sharing on this machine: the session ends, the files stay.
    pub fn leave(&self, project_id: ProjectId) -> Result<()> {
        let live = self.live().remove(&project_id);
        let record = match &live {
            Some(live) => Some(live.record.clone()),
            None => self.load_record(project_id)?,
        };
        drop(live);
        if let Some(record) = record {
            self.secrets.delete(&token_key(record.project_id))?;
            let _gone = std::fs::remove_file(self.log_path(record.project_id));
            std::fs::remove_file(self.record_path(project_id))
                .map_err(|error| Error::new(Code::Io, format!("forget the session: {error}")))?;
        }
        Ok(())
    }
}
