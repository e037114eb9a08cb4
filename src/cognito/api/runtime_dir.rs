//! The per-user runtime directory that provider processes on one machine share: the pacer's buckets
//! ([`super::pacing`]) and adoption's record of creates ([`super::adopt`]) live there.
//!
//! It is `$XDG_RUNTIME_DIR/terraform-provider-cognito` when the session has a runtime directory (a per-user tmpfs,
//! mode 0700, emptied at log-out), else `terraform-provider-cognito-<uid>` in the temporary directory. Whatever is
//! found there is trusted only if it is a real directory (not a symlink) owned by this user with no access for
//! anyone else; files in it are created 0600. Another user can therefore neither read nor tamper with a run's
//! pacing or claims, nor plant a directory for it.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const NAME: &str = "terraform-provider-cognito";

/// The directory (created if needed) and its subdirectory `sub`, both checked as private to this user.
pub fn private_dir(sub: &str) -> io::Result<PathBuf> {
    let base = match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(runtime) if runtime.is_absolute() && checked(&runtime).is_ok() => runtime.join(NAME),
        _ => std::env::temp_dir().join(format!("{NAME}-{}", current_uid())),
    };
    let dir = ensure_private(&base)?;
    ensure_private(&dir.join(sub))
}

/// Creates `dir` (mode 0700) if it is missing, and checks it.
pub fn ensure_private(dir: &Path) -> io::Result<PathBuf> {
    match DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    checked(dir)?;
    Ok(dir.to_path_buf())
}

/// A directory that only this user can use: not a symlink, owned by us, nothing for group or others.
fn checked(dir: &Path) -> io::Result<()> {
    let metadata = std::fs::symlink_metadata(dir)?;
    let refuse = |why: &str| {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{}: {why}", dir.display()),
        ))
    };
    if !metadata.file_type().is_dir() {
        return refuse("not a directory");
    }
    if metadata.uid() != current_uid() {
        return refuse("owned by another user");
    }
    if metadata.permissions().mode() & 0o077 != 0 {
        return refuse("accessible to other users");
    }
    Ok(())
}

/// Opens (creating with mode 0600) a file in a checked directory for reading and writing; never follows a symlink.
pub fn open_private_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// Appends `line` and a newline to a file in a checked directory (created with mode 0600, never through a
/// symlink), in one write, so that lines of concurrent writers never interleave.
pub fn append_line(path: &Path, line: &str) -> io::Result<()> {
    use std::io::Write;
    OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)?
        .write_all(format!("{line}\n").as_bytes())
}

fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// A file name for `key`: its safe characters (for whoever looks into the directory), then a hash of the whole key
/// (so that different keys never share a file).
pub fn file_name(key: &str) -> String {
    let readable: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    format!("{readable}-{:016x}", fnv1a(key.as_bytes()))
}

/// FNV-1a, 64 bits: stable across builds and versions, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Takes `file`'s exclusive lock, giving up after `patience`. The lock goes with the file's descriptor: the kernel
/// releases it when the holder closes the file or dies, so a crashed holder never leaves it taken; and a holder
/// that hangs (stopped, say) is waited for only so long.
pub fn lock(file: &File, patience: std::time::Duration) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let started = std::time::Instant::now();
    loop {
        // SAFETY: flock on a descriptor this File owns for the duration of the call.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        if error.raw_os_error() != Some(libc::EWOULDBLOCK) && error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
        if started.elapsed() >= patience {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "the lock is held for too long"));
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
}

/// Whether someone holds `file`'s lock now (without waiting, and without keeping it).
pub fn is_locked(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: as in `lock`; the lock taken here is released at once.
    unsafe {
        if libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 {
            libc::flock(file.as_raw_fd(), libc::LOCK_UN);
            false
        } else {
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_directory_is_created_0700_and_others_are_refused() {
        let root = tempfile::tempdir().unwrap();
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let dir = ensure_private(&root.path().join("mine")).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        assert!(ensure_private(&dir).is_ok(), "found again");

        let open = root.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(
            ensure_private(&open).unwrap_err().kind(),
            io::ErrorKind::PermissionDenied
        );

        let link = root.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert_eq!(
            ensure_private(&link).unwrap_err().kind(),
            io::ErrorKind::PermissionDenied
        );
    }

    #[test]
    fn files_are_0600_and_symlinks_are_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("bucket");
        open_private_file(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(open_private_file(&link).is_err());
    }

    #[test]
    fn file_names_are_readable_distinct_and_safe() {
        let a = file_name("123456789012@https://x/us-east-1/us-east-1_abc/CreateUserPoolClient");
        assert!(
            a.starts_with("123456789012_https___x_us-east-1_us-east-1_abc_CreateUserPoolClient-"),
            "{a}"
        );
        assert_ne!(file_name("a/b"), file_name("a_b"));
        assert!(!file_name("../../etc").contains('/'));
        assert!(file_name(&"x".repeat(500)).len() < 100);
    }

    #[test]
    fn a_lock_is_exclusive_until_its_holder_closes_the_file() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("lock");
        let holder = open_private_file(&path).unwrap();
        lock(&holder, std::time::Duration::from_secs(1)).unwrap();
        let other = open_private_file(&path).unwrap();
        assert!(is_locked(&other));
        assert_eq!(
            lock(&other, std::time::Duration::from_millis(20)).unwrap_err().kind(),
            io::ErrorKind::TimedOut
        );
        drop(holder);
        assert!(!is_locked(&other), "closing releases it, as dying does");
        lock(&other, std::time::Duration::from_millis(20)).unwrap();
    }
}
