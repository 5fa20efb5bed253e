//! The store's folder: the marker that says a folder is an ikg store, the
//! record of the process writing it, and the checks made before opening it.
//!
//! A folder is an ikg store when it holds the marker file [`MARKER`] (or, made
//! by an older ikg, RocksDB's `CURRENT` file and an `OPTIONS-*` file). Anything
//! else that exists is refused rather than turned into a database.

use crate::store::StoreError;
use oxigraph::store::StorageError;
use std::fs;
use std::path::Path;
use std::time::Duration;

/// The marker file in every store folder.
pub const MARKER: &str = "IKG_STORE";
/// The file in which a writing process records its id while it has the store
/// open (left behind only by a process that was killed).
pub const WRITER: &str = "IKG_WRITER";
/// What the marker file says.
const MARKER_TEXT: &str = "This folder is an ikg knowledge-graph store (oxigraph / RocksDB).\n";

/// Makes sure `path` may be opened for writing: creates it (and its marker) when
/// it does not exist or is an empty folder; refuses a file or a folder that is not a store.
pub fn prepare_for_writing(path: &Path) -> Result<(), StoreError> {
    if !path.exists() {
        fs::create_dir_all(path).map_err(StorageError::Io)?;
    } else {
        refuse_non_store(path, true)?;
    }
    if !path.join(MARKER).exists() {
        fs::write(path.join(MARKER), MARKER_TEXT).map_err(StorageError::Io)?;
    }
    Ok(())
}

/// Makes sure a build may write `path` later: it does not exist, or it is an
/// empty folder or a store that no running ikg build is writing now.
pub fn check_writable(path: &Path) -> Result<(), StoreError> {
    if !path.exists() {
        return Ok(());
    }
    refuse_non_store(path, true)?;
    if writer_running(path) {
        let pid = fs::read_to_string(path.join(WRITER)).unwrap_or_default();
        return Err(StoreError::Busy {
            pid: pid.trim().to_string(),
        });
    }
    Ok(())
}

/// Whether the store folder holds a database yet (a build has opened it).
pub fn has_database(path: &Path) -> bool {
    path.join("CURRENT").is_file()
}

/// Makes sure `path` is an existing store.
pub fn check_readable(path: &Path) -> Result<(), StoreError> {
    if !path.exists() {
        return Err(not_a_store(
            path,
            "no store here (run `ikg build` first, or give --store)",
        ));
    }
    refuse_non_store(path, false)
}

fn refuse_non_store(path: &Path, empty_is_fine: bool) -> Result<(), StoreError> {
    if !path.is_dir() {
        return Err(not_a_store(path, "is a file, not an ikg store"));
    }
    if path.join(MARKER).is_file() || made_by_older_ikg(path) {
        return Ok(());
    }
    let empty = fs::read_dir(path)
        .map_err(StorageError::Io)?
        .next()
        .is_none();
    if empty && empty_is_fine {
        return Ok(());
    }
    Err(not_a_store(
        path,
        &format!("exists and is not an ikg store (no {MARKER} file); give a new or empty folder"),
    ))
}

/// A RocksDB folder without the marker, as older versions of ikg left it.
fn made_by_older_ikg(path: &Path) -> bool {
    path.join("CURRENT").is_file()
        && fs::read_dir(path).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("OPTIONS-"))
        })
}

fn not_a_store(path: &Path, reason: &str) -> StoreError {
    StoreError::NotAStore {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Turns RocksDB's lock failure into "being written by another ikg build (pid …)".
pub fn explain_open_error(path: &Path, error: StorageError) -> StoreError {
    let text = error.to_string();
    let locked = text.contains("lock")
        && (text.contains("temporarily unavailable") || text.contains("hold by current process"));
    if !locked {
        return error.into();
    }
    let pid = fs::read_to_string(path.join(WRITER))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into());
    StoreError::Busy { pid }
}

/// Turns the failure of a read-only open of a database whose creation was cut
/// short (a build killed before oxigraph created its column families or wrote
/// its version key, which only a writer can add) into a message that says so.
pub fn explain_read_only_error(path: &Path, error: StorageError) -> StoreError {
    let text = error.to_string();
    if text.contains("only possible on read-write instances")
        || text.contains("Column family not found")
    {
        return StoreError::Unfinished {
            path: path.to_path_buf(),
        };
    }
    error.into()
}

/// Records this process as the store's writer (best effort: only messages use it).
pub fn record_writer(path: &Path) {
    let _ = fs::write(path.join(WRITER), format!("{}\n", std::process::id()));
}

/// Removes this process's record as the store's writer, when it closes the store.
pub fn forget_writer(path: &Path) {
    let own = std::process::id().to_string();
    if fs::read_to_string(path.join(WRITER)).is_ok_and(|pid| pid.trim() == own) {
        let _ = fs::remove_file(path.join(WRITER));
    }
}

/// Whether the process recorded as the store's writer still runs (known on
/// systems with `/proc`; elsewhere, and when no writer is recorded, false).
pub fn writer_running(path: &Path) -> bool {
    let Ok(pid) = fs::read_to_string(path.join(WRITER)) else {
        return false;
    };
    let pid = pid.trim();
    !pid.is_empty()
        && pid.chars().all(|c| c.is_ascii_digit())
        && pid != std::process::id().to_string()
        && Path::new("/proc").join(pid).is_dir()
}

/// Runs `open` again a few times when it fails: a writer that is creating the
/// store or replacing its manifest makes a read-only open fail for a moment.
pub fn retry_transient<T>(
    mut open: impl FnMut() -> Result<T, StorageError>,
) -> Result<T, StorageError> {
    let mut wait = Duration::from_millis(50);
    for _ in 0..5 {
        match open() {
            Ok(v) => return Ok(v),
            Err(_) => std::thread::sleep(wait),
        }
        wait *= 2;
    }
    open()
}
