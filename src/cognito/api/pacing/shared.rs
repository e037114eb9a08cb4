//! [`FileStore`]: buckets in files of the per-user runtime directory, so that the provider processes of one user on
//! one machine (several stacks, workspaces, a Terragrunt `run-all`, parallel CI jobs) pace against one quota
//! instead of each sending at the full rate.
//!
//! A bucket is a 32-byte file (see [`Bucket::to_bytes`]). A transaction takes each of its files' `flock` in a fixed
//! order (the pool's bucket, then the category's: every transaction names them in that order, so two never wait on
//! each other), reads, updates and writes the states back, and closes the files, which releases the locks. The
//! kernel releases a dead holder's lock with its descriptors, so a crashed run never blocks another. A holder that
//! hangs is waited for [`LOCK_PATIENCE`] at most; then, as on any I/O error, the transaction runs on this process's
//! own [`MemoryStore`] instead and a warning says so once: pacing degrades to per-process, it never stops. A file
//! cut short or garbled (say by a crash in mid-write) reads as a fresh bucket.
//!
//! Times are `CLOCK_MONOTONIC` seconds, one clock for every process on the machine.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::bucket::Bucket;
use super::store::{MemoryStore, Store};
use crate::cognito::api::runtime_dir;

/// The longest a transaction waits for another process's lock.
pub const LOCK_PATIENCE: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct FileStore {
    dir: PathBuf,
    patience: Duration,
    fallback: MemoryStore,
    warned: AtomicBool,
}

impl FileStore {
    /// The store in the per-user runtime directory's `limiter` subdirectory.
    pub fn in_runtime_dir() -> io::Result<FileStore> {
        runtime_dir::private_dir("limiter").map(FileStore::in_dir)
    }

    /// The store in `dir`, which must be private to this user.
    pub fn in_dir(dir: PathBuf) -> FileStore {
        FileStore {
            dir,
            patience: LOCK_PATIENCE,
            fallback: MemoryStore::default(),
            warned: AtomicBool::new(false),
        }
    }

    fn try_transact(
        &self,
        keys: &[String; 2],
        update: &mut dyn FnMut(f64, &mut [Option<Bucket>; 2]),
    ) -> io::Result<()> {
        let files = [self.open_locked(&keys[0])?, self.open_locked(&keys[1])?];
        let mut buckets = [read(&files[0])?, read(&files[1])?];
        update(monotonic_seconds(), &mut buckets);
        for (file, bucket) in files.iter().zip(buckets) {
            if let Some(bucket) = bucket {
                file.write_all_at(&bucket.to_bytes(), 0)?;
            }
        }
        Ok(())
    }

    fn open_locked(&self, key: &str) -> io::Result<File> {
        let file = runtime_dir::open_private_file(&self.dir.join(runtime_dir::file_name(key)))?;
        runtime_dir::lock(&file, self.patience)?;
        Ok(file)
    }
}

fn read(file: &File) -> io::Result<Option<Bucket>> {
    let mut bytes = [0u8; 33];
    let length = file.read_at(&mut bytes, 0)?;
    Ok(if length == 32 {
        Bucket::from_bytes(&bytes[..32])
    } else {
        None
    })
}

fn monotonic_seconds() -> f64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec it is given; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    now.tv_sec as f64 + now.tv_nsec as f64 / 1e9
}

impl Store for FileStore {
    fn transact(&self, keys: &[String; 2], update: &mut dyn FnMut(f64, &mut [Option<Bucket>; 2])) {
        if let Err(error) = self.try_transact(keys, update) {
            if !self.warned.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    dir = %self.dir.display(),
                    %error,
                    "the shared rate limiter is unavailable; pacing this run on its own"
                );
            }
            self.fallback.transact(keys, update);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> [String; 2] {
        [
            "acct/us-east-1/pool/CreateUserPoolClient".into(),
            "acct/us-east-1/UserPoolClientUpdate".into(),
        ]
    }

    fn take(store: &FileStore) -> bool {
        let mut taken = false;
        store.transact(&keys(), &mut |now, buckets| {
            let [pool, category] = buckets;
            let pool = pool.get_or_insert_with(|| Bucket::full(5.0, now));
            let category = category.get_or_insert_with(|| Bucket::full(15.0, now));
            pool.refill(5.0, now);
            category.refill(15.0, now);
            if pool.wait() == 0.0 && category.wait() == 0.0 {
                pool.take();
                category.take();
                taken = true;
            }
        });
        taken
    }

    #[test]
    fn two_stores_on_one_directory_share_the_buckets() {
        let dir = tempfile::tempdir().unwrap();
        let first = FileStore::in_dir(dir.path().to_path_buf());
        let second = FileStore::in_dir(dir.path().to_path_buf());
        assert!(take(&first));
        assert!(!take(&second), "the slot was taken by the other store");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "one file per bucket");
    }

    #[test]
    fn a_garbled_file_reads_as_a_fresh_bucket() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(dir.path().to_path_buf());
        assert!(take(&store));
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            std::fs::write(entry.unwrap().path(), b"half a bucket").unwrap();
        }
        assert!(take(&store));
    }

    #[test]
    fn a_missing_directory_falls_back_to_this_process() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(dir.path().join("gone"));
        assert!(take(&store));
        assert!(!take(&store), "the fallback paces too");
    }

    #[test]
    fn a_lock_held_too_long_falls_back_instead_of_waiting_forever() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore {
            patience: Duration::from_millis(30),
            ..FileStore::in_dir(dir.path().to_path_buf())
        };
        let path = dir.path().join(runtime_dir::file_name(&keys()[0]));
        let holder = runtime_dir::open_private_file(&path).unwrap();
        runtime_dir::lock(&holder, LOCK_PATIENCE).unwrap();
        let started = std::time::Instant::now();
        assert!(take(&store), "paced by this process alone");
        assert!(started.elapsed() >= Duration::from_millis(30));
        assert!(!take(&store), "and still paced");
        drop(holder);
        assert!(take(&store), "the shared bucket again, once its holder let go");
    }
}
