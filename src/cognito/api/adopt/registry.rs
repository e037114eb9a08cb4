//! What the runs on this machine tell each other about their creates, through the per-user runtime directory:
//! which creates of a name are under way, and which clients each run made or adopted.
//!
//! - A create under way holds a marker file, `<key>.creating.<pid>.<n>`, locked (`flock`) for as long as the create
//!   lives. A marker whose lock nobody holds belongs to a run that died: it is ignored and removed, so a crash
//!   never makes others wait.
//! - A client made or adopted is appended to `<key>.claims`, one id a line, before the marker goes. Another run
//!   whose own create failed without a verdict thus never adopts it.
//!
//! The key is the endpoint, pool and client name. Runs on other machines are not seen; for them the listing,
//! the date and the configuration are all adoption has to go on.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::cognito::api::runtime_dir;

/// The runs of this user on this machine, as seen through the runtime directory; or none (`dir` is `None`).
#[derive(Debug, Default)]
pub struct Registry {
    dir: Option<PathBuf>,
    origin: String,
}

/// This run's marker of one create under way; removing it on drop, so a dropped create future removes it too.
#[derive(Debug)]
pub struct Marker {
    path: PathBuf,
    /// Holds the lock.
    _file: File,
}

impl Drop for Marker {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

static MARKERS: AtomicU64 = AtomicU64::new(0);

impl Registry {
    /// The registry in the runtime directory's `adoption` subdirectory, for calls to `origin` (the endpoint);
    /// none, with a warning, when the directory cannot be used.
    pub fn on_this_machine(origin: &str) -> Registry {
        match runtime_dir::private_dir("adoption") {
            Ok(dir) => Registry::in_dir(dir, origin),
            Err(error) => {
                tracing::warn!(%error, "creates cannot be coordinated with other runs on this machine");
                Registry::default()
            }
        }
    }

    pub fn in_dir(dir: PathBuf, origin: &str) -> Registry {
        Registry {
            dir: Some(dir),
            origin: origin.to_string(),
        }
    }

    fn key(&self, user_pool_id: &str, name: &str) -> String {
        runtime_dir::file_name(&format!("{}/{user_pool_id}/{name}", self.origin))
    }

    /// Marks a create of `name` in the pool as under way; `None` without a registry or when the file cannot be
    /// made (then other runs do not see this create, as if they ran on another machine).
    pub fn enter(&self, user_pool_id: &str, name: &str) -> Option<Marker> {
        let dir = self.dir.as_ref()?;
        let path = dir.join(format!(
            "{}.creating.{}.{}",
            self.key(user_pool_id, name),
            std::process::id(),
            MARKERS.fetch_add(1, Ordering::Relaxed)
        ));
        let file = runtime_dir::open_private_file(&path).ok()?;
        runtime_dir::lock(&file, Duration::from_secs(1)).ok()?;
        Some(Marker { path, _file: file })
    }

    /// Whether another run on this machine is creating `name` in the pool now. Markers of runs that died are
    /// removed on the way.
    pub fn others_creating(&self, user_pool_id: &str, name: &str, mine: Option<&Marker>) -> bool {
        let Some(dir) = &self.dir else {
            return false;
        };
        let prefix = format!("{}.creating.", self.key(user_pool_id, name));
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        let mut others = false;
        for entry in entries.flatten() {
            let path = entry.path();
            let is_marker = entry.file_name().to_str().is_some_and(|file| file.starts_with(&prefix));
            if !is_marker || mine.is_some_and(|marker| marker.path == path) {
                continue;
            }
            match runtime_dir::open_private_file(&path) {
                Ok(file) if runtime_dir::is_locked(&file) => others = true,
                Ok(_) => {
                    let _ = std::fs::remove_file(&path);
                }
                Err(_) => {}
            }
        }
        others
    }

    /// Records that this run made or adopted `client_id` as `name` in the pool.
    pub fn claim(&self, user_pool_id: &str, name: &str, client_id: &str) {
        let Some(dir) = &self.dir else {
            return;
        };
        let path = dir.join(format!("{}.claims", self.key(user_pool_id, name)));
        let appended = runtime_dir::append_line(&path, client_id);
        if let Err(error) = appended {
            tracing::warn!(%error, client_id, "could not record the client for other runs on this machine");
        }
    }

    /// The clients runs on this machine made or adopted as `name` in the pool.
    pub fn claimed(&self, user_pool_id: &str, name: &str) -> BTreeSet<String> {
        let Some(dir) = &self.dir else {
            return BTreeSet::new();
        };
        let path = dir.join(format!("{}.claims", self.key(user_pool_id, name)));
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_under_way_are_seen_by_other_runs_until_they_end() {
        let dir = tempfile::tempdir().unwrap();
        let one = Registry::in_dir(dir.path().to_path_buf(), "local");
        let other = Registry::in_dir(dir.path().to_path_buf(), "local");
        let marker = one.enter("pool", "app").unwrap();
        assert!(other.others_creating("pool", "app", None));
        assert!(!one.others_creating("pool", "app", Some(&marker)), "not its own");
        assert!(!other.others_creating("pool", "web", None), "another name");
        assert!(!Registry::in_dir(dir.path().to_path_buf(), "elsewhere").others_creating("pool", "app", None));
        drop(marker);
        assert!(!other.others_creating("pool", "app", None));
    }

    #[test]
    fn a_marker_left_by_a_dead_run_is_ignored_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::in_dir(dir.path().to_path_buf(), "local");
        let dead = dir
            .path()
            .join(format!("{}.creating.999999.0", registry.key("pool", "app")));
        std::fs::write(&dead, b"").unwrap();
        assert!(!registry.others_creating("pool", "app", None));
        assert!(!dead.exists());
    }

    #[test]
    fn claims_are_shared() {
        let dir = tempfile::tempdir().unwrap();
        let one = Registry::in_dir(dir.path().to_path_buf(), "local");
        let other = Registry::in_dir(dir.path().to_path_buf(), "local");
        one.claim("pool", "app", "c1");
        one.claim("pool", "app", "c2");
        assert_eq!(other.claimed("pool", "app"), BTreeSet::from(["c1".into(), "c2".into()]));
        assert!(other.claimed("pool", "web").is_empty());
        assert!(Registry::default().claimed("pool", "app").is_empty());
    }
}
