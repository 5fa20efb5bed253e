//! Ingest: find input files, give each a document id, and decode them
//! (UTF-8, UTF-16, or GBK / GB18030).
//!
//! A document's id is its path relative to the input root it was found under,
//! without extension (`a/report.txt` → `a/report`); a file named directly keeps
//! its bare stem. Every problem with one input (a missing path, an unreadable
//! folder, a symbolic-link loop, an id taken twice, a file that is not text) is
//! collected, and the other inputs go on.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A problem with one input. The build reports it and goes on with the others.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The path does not exist.
    #[error("{}: no such file or folder", path.display())]
    Missing {
        /// The path.
        path: PathBuf,
    },
    /// The file or folder could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A symbolic link leads back to a folder that contains it.
    #[error("{}: symbolic link loop (leads back to {}), not followed", path.display(), target.display())]
    Loop {
        /// The link.
        path: PathBuf,
        /// The folder it leads back to.
        target: PathBuf,
    },
    /// Two different files give the same document id.
    #[error("{}: document id {id:?} is already taken by {}, not built", path.display(), first.display())]
    Collision {
        /// The file left out.
        path: PathBuf,
        /// The id.
        id: String,
        /// The file that has the id.
        first: PathBuf,
    },
    /// The file is not text in a supported encoding.
    #[error("{}: {reason}", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// How to treat a file with a few bytes that are invalid in its encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decoding {
    /// Replace them by U+FFFD and report their byte offsets.
    #[default]
    Lenient,
    /// Reject the file.
    Strict,
}

/// A decoded source document.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    /// Document id, which names the document's graph.
    pub id: String,
    /// File name (for labels and messages).
    pub file_name: String,
    /// The file's path, absolute when it could be made so (empty for text not read from a file).
    pub source_path: String,
    /// The decoded text, exactly as in the file (BOM removed, invalid bytes replaced by U+FFFD).
    pub text: String,
    /// The encoding that was detected: `UTF-8`, `UTF-16LE`, `UTF-16BE` or `GB18030`.
    pub encoding: &'static str,
    /// What was repaired while decoding (invalid bytes replaced, empty file).
    pub warnings: Vec<String>,
}

impl SourceDocument {
    /// A document made from text that was not read from a file.
    pub fn from_text(id: &str, text: &str) -> Self {
        SourceDocument {
            id: id.to_string(),
            file_name: format!("{id}.txt"),
            source_path: String::new(),
            text: text.to_string(),
            encoding: "UTF-8",
            warnings: Vec::new(),
        }
    }
}

/// One input file and the id of its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path, as reached from the input root.
    pub path: PathBuf,
    /// The document id.
    pub id: String,
    /// What to do with invalid bytes.
    pub decoding: Decoding,
}

impl InputFile {
    /// Reads and decodes the file.
    pub fn read(&self) -> Result<SourceDocument, IngestError> {
        let mut doc = read_with(&self.path, self.decoding)?;
        doc.id = self.id.clone();
        Ok(doc)
    }
}

/// The files found under the inputs of a build, and the problems met on the way.
#[derive(Debug, Default)]
pub struct InputScan {
    /// The files, sorted by path within each input, inputs in the order given.
    pub files: Vec<InputFile>,
    /// Inputs that cannot be built, one entry each.
    pub problems: Vec<IngestError>,
    /// Things worth knowing that cost no document (a folder reached twice).
    pub warnings: Vec<String>,
}

/// Expands files and folders into the `.txt` files they hold (folders recursively,
/// following symbolic links but never round a loop), with their document ids.
pub fn scan_inputs(roots: &[PathBuf], decoding: Decoding) -> InputScan {
    let mut scanner = Scanner {
        decoding,
        scan: InputScan::default(),
        folders: HashMap::new(),
        files: HashSet::new(),
        ids: HashMap::new(),
    };
    for root in roots {
        scanner.root(root);
    }
    scanner.scan
}

/// Expands files and folders into the `.txt` files they hold, or fails at the first problem.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut scan = scan_inputs(paths, Decoding::Lenient);
    match scan.problems.drain(..).next() {
        Some(problem) => Err(problem),
        None => Ok(scan.files.into_iter().map(|f| f.path).collect()),
    }
}

struct Scanner {
    decoding: Decoding,
    scan: InputScan,
    /// Folders read, by canonical path → the path they were first reached by.
    folders: HashMap<PathBuf, PathBuf>,
    /// Files taken, by canonical path.
    files: HashSet<PathBuf>,
    /// Ids taken → the file that has each.
    ids: HashMap<String, PathBuf>,
}

impl Scanner {
    fn root(&mut self, root: &Path) {
        match fs::metadata(root) {
            Err(e) => self.scan.problems.push(missing_or_unreadable(root, e)),
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                self.walk(root, root, &mut Vec::new(), &mut found);
                found.sort();
                for path in found {
                    let id = relative_id(&path, root);
                    self.add(path, id);
                }
            }
            Ok(_) => {
                let id = stem(root);
                self.add(root.to_path_buf(), id);
            }
        }
    }

    /// Collects the `.txt` files under `dir`; `ancestors` are the canonical
    /// paths of the folders being walked (to see loops).
    fn walk(
        &mut self,
        dir: &Path,
        root: &Path,
        ancestors: &mut Vec<PathBuf>,
        found: &mut Vec<PathBuf>,
    ) {
        let canonical = match fs::canonicalize(dir) {
            Ok(c) => c,
            Err(source) => {
                return self.scan.problems.push(IngestError::Io {
                    path: dir.to_path_buf(),
                    source,
                });
            }
        };
        if ancestors.contains(&canonical) {
            let target = self.folders.get(&canonical).cloned().unwrap_or_default();
            return self.scan.problems.push(IngestError::Loop {
                path: dir.to_path_buf(),
                target,
            });
        }
        if let Some(first) = self.folders.get(&canonical) {
            return self.scan.warnings.push(format!(
                "{}: the same folder as {}, read once",
                dir.display(),
                first.display()
            ));
        }
        self.folders.insert(canonical.clone(), dir.to_path_buf());
        let entries = match fs::read_dir(dir).and_then(|it| it.collect::<Result<Vec<_>, _>>()) {
            Ok(entries) => entries,
            Err(source) => {
                return self.scan.problems.push(IngestError::Io {
                    path: dir.to_path_buf(),
                    source,
                });
            }
        };
        ancestors.push(canonical);
        let mut paths: Vec<PathBuf> = entries.iter().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            self.entry(&path, root, ancestors, found);
        }
        ancestors.pop();
    }

    fn entry(
        &mut self,
        path: &Path,
        root: &Path,
        ancestors: &mut Vec<PathBuf>,
        found: &mut Vec<PathBuf>,
    ) {
        let is_txt = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => self.walk(path, root, ancestors, found),
            Ok(meta) if is_txt && !meta.is_file() => {
                self.scan.problems.push(IngestError::NotText {
                    path: path.to_path_buf(),
                    reason: "not a regular file".into(),
                })
            }
            Ok(_) if is_txt => found.push(path.to_path_buf()),
            Ok(_) => {}
            Err(e) if is_txt || fs::symlink_metadata(path).is_err() => {
                self.scan.problems.push(missing_or_unreadable(path, e))
            }
            // A dangling link without the .txt extension is no input.
            Err(_) => {}
        }
    }

    fn add(&mut self, path: PathBuf, id: String) {
        let canonical = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !self.files.insert(canonical) {
            return;
        }
        if let Some(first) = self.ids.get(&id) {
            return self.scan.problems.push(IngestError::Collision {
                path,
                id,
                first: first.clone(),
            });
        }
        self.ids.insert(id.clone(), path.clone());
        self.scan.files.push(InputFile {
            path,
            id,
            decoding: self.decoding,
        });
    }
}

fn missing_or_unreadable(path: &Path, source: std::io::Error) -> IngestError {
    let dangling = fs::symlink_metadata(path).is_ok();
    match source.kind() {
        std::io::ErrorKind::NotFound if dangling => IngestError::NotText {
            path: path.to_path_buf(),
            reason: "symbolic link to nothing".into(),
        },
        std::io::ErrorKind::NotFound => IngestError::Missing {
            path: path.to_path_buf(),
        },
        _ => IngestError::Io {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// The file stem (the whole name when it has none).
fn stem(path: &Path) -> String {
    path.file_stem()
        .or_else(|| path.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// The path of `file` relative to `root`, components joined by `/`, without extension.
fn relative_id(file: &Path, root: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let mut parts: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.push(stem(file));
    parts.join("/")
}

/// Reads and decodes one file; its document id is the file stem.
pub fn read_document(path: &Path) -> Result<SourceDocument, IngestError> {
    read_with(path, Decoding::Lenient)
}

fn read_with(path: &Path, decoding: Decoding) -> Result<SourceDocument, IngestError> {
    let bytes = fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let decoded = decode(&bytes, decoding).map_err(|reason| IngestError::NotText {
        path: path.to_path_buf(),
        reason,
    })?;
    let mut warnings = Vec::new();
    if let Some(note) = decoded.replacement_note() {
        warnings.push(format!("{}: {note}", path.display()));
    }
    if decoded.text.trim().is_empty() {
        warnings.push(format!("{}: no text (empty file)", path.display()));
    }
    let file_name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source_path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(SourceDocument {
        id: stem(path),
        file_name,
        source_path: source_path.to_string_lossy().into_owned(),
        text: decoded.text,
        encoding: decoded.encoding,
        warnings,
    })
}

/// Text decoded from bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE` or `GB18030`.
    pub encoding: &'static str,
    /// Byte offsets (in the file) of the invalid sequences replaced by U+FFFD.
    pub replaced: Vec<usize>,
}

impl Decoded {
    /// A one-line note on the replaced bytes, if any.
    pub fn replacement_note(&self) -> Option<String> {
        let (first, rest) = self.replaced.split_first()?;
        let mut offsets = first.to_string();
        for o in rest.iter().take(9) {
            offsets.push_str(&format!(", {o}"));
        }
        if rest.len() > 9 {
            offsets.push_str(", …");
        }
        Some(format!(
            "{} invalid {} sequence{} replaced by U+FFFD at byte offset{} {offsets}",
            self.replaced.len(),
            self.encoding,
            if self.replaced.len() == 1 { "" } else { "s" },
            if self.replaced.len() == 1 { "" } else { "s" },
        ))
    }
}

/// At most one in this many of a file's bytes may be replaced (and at least
/// [`MIN_REPLACEABLE`], but never more than a quarter of its characters).
const MAX_REPLACED_SHARE: usize = 100;
/// Replacements always allowed, however short the file.
const MIN_REPLACEABLE: usize = 8;

/// Decodes bytes: UTF-8 (with or without BOM), UTF-16 LE / BE (with BOM, or
/// without one when NUL bytes fall on one side of every pair), else GB18030 (a
/// superset of GBK and GB2312). A few invalid sequences are replaced by U+FFFD
/// ([`Decoding::Lenient`]) or rejected ([`Decoding::Strict`]); binary data and text
/// in no supported encoding are errors.
pub fn decode(bytes: &[u8], decoding: Decoding) -> Result<Decoded, String> {
    let decoded = if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8(body, 3)
    } else if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(body, 2, false)
    } else if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(body, 2, true)
    } else if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        match utf16_without_bom(bytes) {
            Some(d) => d,
            None => {
                return Err(format!(
                    "binary data (NUL byte at offset {nul}): not a text file"
                ));
            }
        }
    } else {
        guess_utf8_or_gb18030(bytes)
    };
    if decoded.text.contains('\0') {
        return Err("binary data (NUL characters): not a text file".into());
    }
    let allowed = (bytes.len() / MAX_REPLACED_SHARE)
        .max(MIN_REPLACEABLE)
        .min(decoded.text.chars().count() / 4);
    match decoded.replaced.first() {
        None => Ok(decoded),
        Some(first) if decoding == Decoding::Strict => Err(format!(
            "{} invalid {} sequence(s), the first at byte offset {first} (--strict)",
            decoded.replaced.len(),
            decoded.encoding
        )),
        Some(first) if decoded.replaced.len() > allowed => Err(format!(
            "not text in a supported encoding (UTF-8, UTF-16, GBK/GB18030): {} invalid sequences, the first at byte offset {first}",
            decoded.replaced.len()
        )),
        Some(_) => Ok(decoded),
    }
}

/// UTF-8, or GB18030 when the bytes read better so. UTF-8 wins when its only
/// fault is a character cut at the end, or when its invalid bytes are few
/// beside its valid multi-byte characters.
fn guess_utf8_or_gb18030(bytes: &[u8]) -> Decoded {
    let as_utf8 = utf8(bytes, 0);
    if as_utf8.replaced.is_empty() {
        return as_utf8;
    }
    let (valid_multibyte, invalid, cut_at_end) = utf8_shape(bytes);
    if cut_at_end || valid_multibyte >= 10 * invalid {
        return as_utf8;
    }
    let as_gb = gb18030(bytes);
    if as_gb.replaced.len() <= as_utf8.replaced.len() {
        as_gb
    } else {
        as_utf8
    }
}

/// Bytes in valid multi-byte UTF-8 characters, invalid bytes, and whether the
/// only invalid bytes are an incomplete character at the very end.
fn utf8_shape(bytes: &[u8]) -> (usize, usize, bool) {
    let mut valid_multibyte = 0;
    let mut invalid = 0;
    let mut chunks = bytes.utf8_chunks().peekable();
    let mut cut_at_end = false;
    while let Some(chunk) = chunks.next() {
        valid_multibyte += chunk.valid().bytes().filter(|b| *b >= 0x80).count();
        invalid += chunk.invalid().len();
        if chunks.peek().is_none() {
            cut_at_end = invalid == chunk.invalid().len() && invalid > 0 && valid_multibyte > 0;
        }
    }
    (valid_multibyte, invalid, cut_at_end)
}

fn utf8(body: &[u8], skipped: usize) -> Decoded {
    let mut text = String::with_capacity(body.len());
    let mut replaced = Vec::new();
    let mut offset = skipped;
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push('\u{FFFD}');
            replaced.push(offset);
            offset += chunk.invalid().len();
        }
    }
    Decoded {
        text,
        encoding: "UTF-8",
        replaced,
    }
}

fn utf16(body: &[u8], skipped: usize, big_endian: bool) -> Decoded {
    let units = body.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(body.len());
    let mut replaced = Vec::new();
    let mut unit_index = 0;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                text.push(c);
                unit_index += c.len_utf16();
            }
            Err(_) => {
                text.push('\u{FFFD}');
                replaced.push(skipped + 2 * unit_index);
                unit_index += 1;
            }
        }
    }
    if body.len() % 2 == 1 {
        text.push('\u{FFFD}');
        replaced.push(skipped + body.len() - 1);
    }
    Decoded {
        text,
        encoding: if big_endian { "UTF-16BE" } else { "UTF-16LE" },
        replaced,
    }
}

/// UTF-16 without a byte-order mark: the NUL bytes of ASCII characters all fall
/// on one side of the byte pairs, and the text read so is plausible: at most one
/// character in twenty is a control character (but white space), private-use
/// or a replacement, and none is NUL.
fn utf16_without_bom(bytes: &[u8]) -> Option<Decoded> {
    let nul_at_even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    let nul_at_odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let big_endian = match (nul_at_even, nul_at_odd) {
        (e, o) if o > 0 && e * 20 <= o => false,
        (e, o) if e > 0 && o * 20 <= e => true,
        _ => return None,
    };
    let decoded = utf16(bytes, 0, big_endian);
    let implausible = |c: &char| {
        (c.is_control() && !c.is_whitespace())
            || ('\u{E000}'..='\u{F8FF}').contains(c)
            || *c == '\u{FFFD}'
    };
    let total = decoded.text.chars().count();
    let odd = decoded.text.chars().filter(implausible).count();
    (!decoded.text.contains('\0') && odd * 20 <= total).then_some(decoded)
}

fn gb18030(bytes: &[u8]) -> Decoded {
    use encoding_rs::DecoderResult;
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut replaced = Vec::new();
    let mut pos = 0;
    loop {
        let rest = &bytes[pos..];
        if let Some(need) = decoder.max_utf8_buffer_length_without_replacement(rest.len()) {
            text.reserve(need);
        }
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        pos += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(rest.len() * 3 + 4),
            DecoderResult::Malformed(bad, after) => {
                replaced.push(pos - usize::from(after) - usize::from(bad));
                text.push('\u{FFFD}');
            }
        }
    }
    Decoded {
        text,
        encoding: "GB18030",
        replaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "随州高新区新增高新技术企业12家。\n";

    fn lenient(bytes: &[u8]) -> Decoded {
        decode(bytes, Decoding::Lenient).unwrap()
    }

    #[test]
    fn decodes_utf8_and_gbk() {
        assert_eq!(lenient(TEXT.as_bytes()).text, TEXT);
        let (gbk, _, _) = encoding_rs::GBK.encode(TEXT);
        let d = lenient(&gbk);
        assert_eq!((d.text.as_str(), d.encoding), (TEXT, "GB18030"));
    }

    #[test]
    fn decodes_utf16_with_and_without_bom() {
        for big_endian in [false, true] {
            let units: Vec<u8> = TEXT
                .encode_utf16()
                .flat_map(|u| {
                    if big_endian {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect();
            let bom: &[u8] = if big_endian { b"\xFE\xFF" } else { b"\xFF\xFE" };
            for bytes in [units.clone(), [bom, &units].concat()] {
                let d = lenient(&bytes);
                assert_eq!(d.text, TEXT, "big endian {big_endian}");
                assert!(d.replaced.is_empty());
            }
        }
    }

    #[test]
    fn replaces_a_few_invalid_bytes_with_their_offsets() {
        let mut bytes = TEXT.repeat(3).into_bytes();
        bytes.insert(6, 0xFF);
        let d = lenient(&bytes);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, vec![6]);
        assert!(d.replacement_note().unwrap().contains("offset 6"));
        assert!(decode(&bytes, Decoding::Strict).is_err());
        let cut = &TEXT.as_bytes()[..TEXT.len() - 2];
        assert_eq!(lenient(cut).replaced, vec![cut.len() - 2]);
    }

    #[test]
    fn rejects_binary() {
        assert!(decode(b"\x00\x01\x02", Decoding::Lenient).is_err());
        assert!(decode(&[0xFF; 64], Decoding::Lenient).is_err());
    }

    #[test]
    fn ids_are_paths_below_the_root_without_extension() {
        let root = Path::new("in");
        assert_eq!(relative_id(Path::new("in/a/report.txt"), root), "a/report");
        assert_eq!(relative_id(Path::new("in/w_news01.txt"), root), "w_news01");
    }
}
