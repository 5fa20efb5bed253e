//! Ingest: find input files and decode them (UTF-8, or GBK / GB18030).

use std::fs;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A problem with one input file. The build reports it and goes on with the others.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not text in a supported encoding.
    #[error("{path}: {reason}")]
    NotText {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// A decoded source document.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    /// Document id: the file stem, which names the document's graph.
    pub id: String,
    /// File name as given (for labels and messages).
    pub file_name: String,
    /// The decoded text, exactly as in the file (BOM removed).
    pub text: String,
    /// The encoding that was detected: `UTF-8` or `GB18030`.
    pub encoding: &'static str,
}

/// Expands the given files and folders into the list of `.txt` files they hold,
/// sorted, so that builds are deterministic. Folders are walked recursively.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files, true)?;
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn collect(path: &Path, files: &mut Vec<PathBuf>, explicit: bool) -> Result<(), IngestError> {
    let meta = fs::metadata(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        let entries = fs::read_dir(path).map_err(|source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| IngestError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            collect(&entry.path(), files, false)?;
        }
    } else if explicit
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
    {
        files.push(path.to_path_buf());
    }
    Ok(())
}

/// Reads and decodes one file.
pub fn read_document(path: &Path) -> Result<SourceDocument, IngestError> {
    let bytes = fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let (text, encoding) = decode(&bytes).map_err(|reason| IngestError::NotText {
        path: path.to_path_buf(),
        reason,
    })?;
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| IngestError::NotText {
            path: path.to_path_buf(),
            reason: "file has no name to use as document id".into(),
        })?;
    let file_name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| id.clone());
    Ok(SourceDocument {
        id,
        file_name,
        text,
        encoding,
    })
}

/// Decodes bytes as UTF-8 (with or without BOM), falling back to GB18030
/// (a superset of GBK and GB2312). Binary data and undecodable bytes are errors.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if bytes.contains(&0) {
        return Err("binary data (NUL bytes): not a text file".into());
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok((s.to_string(), "UTF-8"));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("neither valid UTF-8 nor GBK/GB18030 text".into());
    }
    Ok((text.into_owned(), "GB18030"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_and_gbk() {
        let text = "随州高新区新增高新技术企业12家。";
        assert_eq!(
            decode(text.as_bytes()).unwrap(),
            (text.to_string(), "UTF-8")
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk).unwrap(), (text.to_string(), "GB18030"));
    }

    #[test]
    fn rejects_binary() {
        assert!(decode(b"\x00\x01\x02").is_err());
        assert!(decode(&[0xFF, 0xFF, 0xFF]).is_err());
    }
}
