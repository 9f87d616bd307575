//! Output folders written all at once: files go to a temporary folder beside the
//! destination, which replaces the destination only when everything is written. A
//! failed or interrupted run leaves the previous folder exactly as it was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Reading or writing a file or folder failed.
    #[error("cannot write output into {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The output folder's parent does not exist.
    #[error(
        "cannot write output into {path}: the folder {parent} does not exist: create it first, or choose another --out"
    )]
    MissingParent {
        /// The output folder.
        path: PathBuf,
        /// Its missing parent.
        parent: PathBuf,
    },
    /// The output path is a file.
    #[error("cannot write output into {path}: it is a file, not a folder: move it away, or choose another --out")]
    NotAFolder {
        /// The output path.
        path: PathBuf,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// A folder being filled; `commit` swaps it into place, dropping it removes it.
pub struct StagedDir {
    dest: PathBuf,
    temp: PathBuf,
    committed: bool,
}

fn sibling(dest: &Path, tag: &str) -> PathBuf {
    let name = dest.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{tag}-{}", std::process::id()))
}

/// The lock file beside `dest` that serialises swaps.
fn lock_path(dest: &Path) -> PathBuf {
    let name = dest.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".{name}.lock"))
}

/// Removes temporary folders left beside `dest` by runs that died (their process is gone),
/// and restores `dest` from a half-finished swap.
pub fn clean_stale(dest: &Path) {
    let Some(name) = dest.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else { continue };
        let Some((tag, pid)) = rest.rsplit_once('-') else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        match tag {
            "old" if !dest.exists() => {
                let _ = fs::rename(entry.path(), dest);
            }
            "tmp" | "old" => {
                let _ = fs::remove_dir_all(entry.path());
            }
            _ => {}
        }
    }
}

impl StagedDir {
    /// Creates the temporary folder beside `dest`, whose parent must exist: a mistyped
    /// `--out` should fail, not grow a new tree of folders.
    pub fn new(dest: &Path) -> Result<StagedDir, OutputError> {
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            match fs::metadata(parent) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(OutputError::MissingParent { path: dest.to_path_buf(), parent: parent.to_path_buf() })
                }
                Err(e) => return Err(OutputError::Io { path: dest.to_path_buf(), source: e }),
                Ok(m) if !m.is_dir() => {
                    return Err(OutputError::Io {
                        path: dest.to_path_buf(),
                        source: std::io::Error::other(format!("{} is a file, not a folder", parent.display())),
                    })
                }
                Ok(_) => {}
            }
        }
        if fs::symlink_metadata(dest).is_ok_and(|m| !m.is_dir()) {
            return Err(OutputError::NotAFolder { path: dest.to_path_buf() });
        }
        clean_stale(dest);
        let temp = sibling(dest, "tmp");
        if temp.exists() {
            fs::remove_dir_all(&temp).map_err(io_err(&temp))?;
        }
        fs::create_dir(&temp).map_err(io_err(&temp))?;
        Ok(StagedDir { dest: dest.to_path_buf(), temp, committed: false })
    }

    /// The temporary folder's path.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Writes one file into the temporary folder and syncs it.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.temp.join(name);
        let mut f = fs::File::create(&path).map_err(io_err(&path))?;
        f.write_all(bytes).map_err(io_err(&path))?;
        f.sync_all().map_err(io_err(&path))
    }

    /// Replaces the destination with the temporary folder. Concurrent writers of the same
    /// destination take turns through a lock file, so a folder is never mixed.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let lock_path = lock_path(&self.dest);
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        lock.lock().map_err(io_err(&lock_path))?;
        let old = sibling(&self.dest, "old");
        let had_old = self.dest.exists();
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            fs::rename(&self.dest, &old).map_err(io_err(&self.dest))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.dest) {
            if had_old {
                let _ = fs::rename(&old, &self.dest);
            }
            return Err(OutputError::Io { path: self.dest.clone(), source: e });
        }
        self.committed = true;
        if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        drop(lock);
        Ok(self.dest.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}
