//! The directory walk and the parallel read-and-parse of a content tree.
//!
//! contentctl reads fixed folders under the root, recursively, only `*.yml`, in sorted path
//! order. We do the same, on every core: files are read in parallel, registered in the
//! [`SourceMap`] in walk order (so file ids and output never depend on thread timing), then
//! parsed and typed in parallel, and the results merged back in walk order.
//!
//! One bad file never stops the others: each problem is a diagnostic on that file.
//!
//! [`load_files`] takes the files from memory instead (the fuzz target's route): the same
//! classification of paths and the same [`assemble`] step, so both routes produce the same
//! tree for the same bytes.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::parallel::parallel_map;
use crate::source::{FileId, SourceMap, Span};

use super::baseline::Baseline;
use super::data_source::DataSource;
use super::deployment::Deployment;
use super::detection::Detection;
use super::header::{Format, Kind, Meta};
use super::investigation::Investigation;
use super::lookup::{Lookup, LookupDataFile};
use super::macro_def::Macro;
use super::story::Story;
use super::yaml::{self, Node, Parsed, Value};
use super::{Content, LoadError, Loaded};

/// The content folders, in contentctl's load order, with the kind each holds.
/// `playbooks` and `dashboards` are walked for YAML problems but not modelled.
const FOLDERS: &[(&str, Option<Kind>)] = &[
    ("deployments", Some(Kind::Deployment)),
    ("lookups", Some(Kind::Lookup)),
    ("macros", Some(Kind::Macro)),
    ("stories", Some(Kind::Story)),
    ("baselines", Some(Kind::Baseline)),
    ("investigations", Some(Kind::Investigation)),
    ("data_sources", Some(Kind::DataSource)),
    ("playbooks", None),
    ("detections", Some(Kind::Detection)),
    ("dashboards", None),
];

/// Nesting limit of the duplicate-key walk (the YAML parser has its own limits).
const MAX_DEPTH: usize = 512;

/// What the walk found, each path relative to the root and `/`-separated.
#[derive(Debug, Default)]
struct Walk {
    /// `.yml` files with the kind of their folder (None for unmodelled folders).
    documents: Vec<(Option<Kind>, String)>,
    /// Non-`.yml` files under `lookups/`.
    lookup_files: Vec<String>,
    /// `.yaml` files outside `lookups/` (skipped, warned).
    yaml_files: Vec<String>,
    /// Directories that could not be listed, with the reason.
    unreadable_dirs: Vec<(String, String)>,
    /// Links to a folder that encloses them, skipped.
    link_loops: Vec<String>,
}

/// What reading one path produced.
enum Read {
    Text(String),
    /// Not UTF-8: the lossy text and the offset of the first bad byte.
    NotUtf8(String, usize),
    Failed(String),
}

pub(super) fn load(root: &Path) -> Result<Loaded, LoadError> {
    let metadata = fs::metadata(root).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => LoadError::NotFound {
            path: root.display().to_string(),
        },
        _ => LoadError::Io {
            path: root.display().to_string(),
            source,
        },
    })?;
    if !metadata.is_dir() {
        return Err(LoadError::NotADirectory {
            path: root.display().to_string(),
        });
    }
    let walk = walk(root);
    if walk.documents.is_empty() && walk.lookup_files.is_empty() && walk.yaml_files.is_empty() {
        return Err(LoadError::NoContent {
            path: root.display().to_string(),
            hint: nearby_root(root).map_or_else(String::new, |near| {
                format!("; did you mean `--content {}`?", near.display())
            }),
        });
    }
    Ok(assemble(root, &walk, |path| read_file(&root.join(path))))
}

/// A folder next to `root` that looks like a content root (holds one of the content
/// folders): an ancestor, for `--content detections/endpoint`, or a child, for the folder
/// above the root.
fn nearby_root(root: &Path) -> Option<PathBuf> {
    let is_root = |dir: &Path| FOLDERS.iter().any(|(folder, _)| dir.join(folder).is_dir());
    let absolute = fs::canonicalize(root).ok()?;
    if let Some(ancestor) = absolute.ancestors().skip(1).find(|dir| is_root(dir)) {
        // Said relative to the root as given (`detections/endpoint` -> `.`, `.` -> `../..`)
        // when the root is a plain relative path, else as the absolute path.
        let up = absolute.strip_prefix(ancestor).ok()?.components().count();
        let names: Vec<Component<'_>> = root
            .components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect();
        if !names.iter().all(|c| matches!(c, Component::Normal(_))) {
            return Some(ancestor.to_path_buf());
        }
        let kept = names.len().saturating_sub(up);
        let mut shown: PathBuf = names.iter().take(kept).collect();
        for _ in names.len()..up {
            shown.push("..");
        }
        return Some(if shown.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            shown
        });
    }
    let mut children: Vec<PathBuf> = fs::read_dir(root)
        .ok()?
        .flatten()
        .map(|entry| {
            root.components()
                .filter(|c| !matches!(c, Component::CurDir))
                .collect::<PathBuf>()
                .join(entry.file_name())
        })
        .filter(|child| is_root(child))
        .collect();
    children.sort();
    children.into_iter().next()
}

/// Loads a tree from in-memory files, each path relative to `root` (which only names the
/// files). Paths are sorted into folders as the directory walk sorts them; a path given twice
/// keeps its last bytes.
pub(super) fn load_files(root: &Path, files: Vec<(PathBuf, Vec<u8>)>) -> Loaded {
    let files: BTreeMap<String, Vec<u8>> = files
        .into_iter()
        .map(|(path, bytes)| (to_slash(&path), bytes))
        .collect();
    let mut walk = Walk::default();
    for (folder, kind) in FOLDERS {
        let in_folder: Vec<String> = files
            .keys()
            .filter(|path| {
                path.split_once('/')
                    .is_some_and(|(first, rest)| first == *folder && !rest.is_empty())
            })
            .cloned()
            .collect();
        sort_into(&mut walk, folder, *kind, in_folder);
    }
    assemble(root, &walk, |path| {
        files.get(path).map_or_else(
            || Read::Failed(io::ErrorKind::NotFound.to_string()),
            |bytes| decode(bytes.clone()),
        )
    })
}

/// Reads (with `read`, on all cores), registers, parses and types the files `walk` found.
fn assemble(root: &Path, walk: &Walk, read: impl Fn(&str) -> Read + Sync) -> Loaded {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();

    // Phase 1: read every document and CSV on all cores. Each read comes back with the
    // path it was read from, so a text can never be registered under another file's path.
    let to_read: Vec<&str> = walk
        .documents
        .iter()
        .map(|(_, path)| path.as_str())
        .chain(
            walk.lookup_files
                .iter()
                .filter(|path| path.ends_with(".csv"))
                .map(String::as_str),
        )
        .collect();
    let mut reads: BTreeMap<&str, Read> = parallel_map(&to_read, |path| (*path, read(path)))
        .into_iter()
        .collect();
    let mut take = |path: &str| {
        reads
            .remove(path)
            .unwrap_or_else(|| Read::Failed("not read".into()))
    };

    // Phase 2: register in walk order, so file ids are deterministic.
    let mut parse_jobs = Vec::with_capacity(walk.documents.len());
    for (kind, path) in &walk.documents {
        let (text, problem) = match take(path) {
            Read::Text(text) => (text, None),
            Read::NotUtf8(text, at) => (text, Some((Code::L007, at, String::new()))),
            Read::Failed(message) => (String::new(), Some((Code::L006, 0, message))),
        };
        let file = sources.add(root.join(path), text);
        match problem {
            None => parse_jobs.push((*kind, file, path.clone())),
            Some((Code::L007, at, _)) => diagnostics.push(not_utf8(&sources, file, at)),
            Some((code, _, message)) => diagnostics.push(Diagnostic::new(
                code,
                Span::file_start(file),
                format!("cannot read `{path}`: {message}"),
            )),
        }
    }
    let mut lookup_files = Vec::with_capacity(walk.lookup_files.len());
    for path in &walk.lookup_files {
        let file = if path.ends_with(".csv") {
            match take(path) {
                Read::Text(text) => sources.add(root.join(path), text),
                // Lookups are matched against event values, so a lossy decode would change
                // them silently: reported like any other content file.
                Read::NotUtf8(text, at) => {
                    let file = sources.add(root.join(path), text);
                    diagnostics.push(not_utf8(&sources, file, at));
                    file
                }
                Read::Failed(message) => {
                    let file = sources.add(root.join(path), String::new());
                    diagnostics.push(Diagnostic::new(
                        Code::L006,
                        Span::file_start(file),
                        format!("cannot read `{path}`: {message}"),
                    ));
                    file
                }
            }
        } else {
            // Registered without text so diagnostics can name it.
            sources.add(root.join(path), String::new())
        };
        lookup_files.push(LookupDataFile {
            relative_path: path.clone(),
            file: Some(file),
        });
    }
    for path in &walk.yaml_files {
        let file = sources.add(root.join(path), String::new());
        diagnostics.push(
            Diagnostic::new(
                Code::L002,
                Span::file_start(file),
                format!("`{path}` is skipped: only `.yml` files are read"),
            )
            .with_help("rename it to `.yml`"),
        );
    }
    for (path, reason) in &walk.unreadable_dirs {
        let file = sources.add(root.join(path), String::new());
        diagnostics.push(Diagnostic::new(
            Code::L006,
            Span::file_start(file),
            format!("cannot list directory `{path}`: {reason}"),
        ));
    }
    for path in &walk.link_loops {
        let file = sources.add(root.join(path), String::new());
        diagnostics.push(
            Diagnostic::new(
                Code::L016,
                Span::file_start(file),
                format!(
                    "`{path}` is skipped: the symbolic link leads back to a folder that holds it"
                ),
            )
            .with_note("following it would list the same files again and again")
            .with_help("remove the link, or point it outside the content folders"),
        );
    }

    // Phase 3: parse and type on all cores, merge in walk order.
    let parsed = parallel_map(&parse_jobs, |(kind, file, path)| {
        let text = sources.get(*file).map_or("", |source| source.text());
        load_document(*kind, *file, path, text)
    });
    let mut content = Content {
        root: root.to_path_buf(),
        lookup_files,
        ..Content::default()
    };
    for (object, mut file_diagnostics) in parsed {
        diagnostics.append(&mut file_diagnostics);
        match object {
            Some(Object::Deployment(o)) => content.deployments.push(o),
            Some(Object::Lookup(o)) => content.lookups.push(o),
            Some(Object::Macro(o)) => content.macros.push(o),
            Some(Object::Story(o)) => content.stories.push(o),
            Some(Object::Baseline(o)) => content.baselines.push(o),
            Some(Object::Investigation(o)) => content.investigations.push(o),
            Some(Object::DataSource(o)) => content.data_sources.push(o),
            Some(Object::Detection(o)) => content.detections.push(*o),
            None => {}
        }
    }
    Loaded {
        sources,
        content,
        diagnostics,
    }
}

fn read_file(path: &Path) -> Read {
    match fs::read(path) {
        Ok(bytes) => decode(bytes),
        Err(error) => Read::Failed(error_text(&error, path)),
    }
}

/// A file's bytes as text, or the lossy text and the first bad byte (`L007`).
fn decode(bytes: Vec<u8>) -> Read {
    match String::from_utf8(bytes) {
        Ok(text) => Read::Text(text),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            Read::NotUtf8(String::from_utf8_lossy(error.as_bytes()).into_owned(), at)
        }
    }
}

fn error_text(error: &io::Error, path: &Path) -> String {
    if path.is_dir() {
        return "it is a directory".to_string();
    }
    if let Ok(target) = fs::read_link(path)
        && !path.exists()
    {
        return format!(
            "it is a symbolic link to `{}`, which does not exist",
            target.display()
        );
    }
    os_reason(error)
}

/// The operating system's reason, as a lowercase clause: `permission denied (os error 13)`.
fn os_reason(error: &io::Error) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    chars.next().map_or(text.clone(), |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn not_utf8(sources: &SourceMap, file: FileId, at: usize) -> Diagnostic {
    // The lossy text equals the original up to the first bad byte, so `at` is exact.
    Diagnostic::new(
        Code::L007,
        Span::new(file, at, at + 1),
        "the file is not valid UTF-8",
    )
    .with_primary_label("first invalid byte")
    .with_note(format!(
        "{} bytes decode before it",
        sources
            .get(file)
            .map_or(at, |source| source.text().len().min(at))
    ))
}

/// One typed object, before it is sorted into [`Content`].
enum Object {
    Deployment(Deployment),
    Lookup(Lookup),
    Macro(Macro),
    Story(Story),
    Baseline(Baseline),
    Investigation(Investigation),
    DataSource(DataSource),
    Detection(Box<Detection>),
}

fn load_document(
    kind: Option<Kind>,
    file: FileId,
    path: &str,
    text: &str,
) -> (Option<Object>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let root = match yaml::parse(file, text) {
        Err(error) => {
            let mut diagnostic = Diagnostic::new(
                Code::L001,
                error.span,
                format!("invalid YAML: {}", error.message),
            );
            if let Some(help) = error.help {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostics.push(diagnostic);
            return (None, diagnostics);
        }
        Ok(Parsed::Empty) => {
            diagnostics.push(Diagnostic::new(
                Code::L008,
                Span::file_start(file),
                "the file holds no YAML document",
            ));
            return (None, diagnostics);
        }
        Ok(Parsed::MultipleDocuments(first, second)) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::L012,
                    second,
                    "the file holds more than one YAML document",
                )
                .with_note(
                    "contentctl's loader expects a single document; only the first is checked",
                ),
            );
            first
        }
        Ok(Parsed::Document(root)) => root,
    };
    if root.as_map().is_none() {
        diagnostics.push(Diagnostic::new(
            Code::L011,
            Span::new(file, root.span.start as usize, root.span.end as usize),
            format!(
                "the document must be a mapping, found {}",
                root.value.type_name()
            ),
        ));
        return (None, diagnostics);
    }
    report_duplicate_keys(&root, &mut diagnostics);
    let Some(kind) = kind else {
        return (None, diagnostics);
    };
    let meta = Meta {
        file,
        relative_path: path.to_string(),
        anchor: Span::new(file, root.span.start as usize, root.span.start as usize),
        format: Format::V4,
    };
    let object = match kind {
        Kind::Deployment => Object::Deployment(Deployment::read(meta, root, &mut diagnostics)),
        Kind::Lookup => Object::Lookup(Lookup::read(meta, root, &mut diagnostics)),
        Kind::Macro => Object::Macro(Macro::read(meta, root, &mut diagnostics)),
        Kind::Story => Object::Story(Story::read(meta, root, &mut diagnostics)),
        Kind::Baseline => Object::Baseline(Baseline::read(meta, root, &mut diagnostics)),
        Kind::Investigation => {
            Object::Investigation(Investigation::read(meta, root, &mut diagnostics))
        }
        Kind::DataSource => Object::DataSource(DataSource::read(meta, root, &mut diagnostics)),
        Kind::Detection => {
            Object::Detection(Box::new(Detection::read(meta, root, &mut diagnostics)))
        }
    };
    (Some(object), diagnostics)
}

/// `X014`: a key repeated in one mapping, at the second occurrence; an error, as yamllint's
/// `key-duplicates` makes it, since one of the two values is silently lost. Walks on the heap.
fn report_duplicate_keys(root: &Node, diagnostics: &mut Vec<Diagnostic>) {
    let mut stack: Vec<(&Node, usize)> = vec![(root, 0)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            continue;
        }
        match &node.value {
            Value::Map(entries) => {
                for (index, entry) in entries.iter().enumerate() {
                    if let Some(key) = entry.key.as_str()
                        && let Some(first) = entries
                            .iter()
                            .take(index)
                            .find(|earlier| earlier.key.as_str() == Some(key))
                    {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::X014,
                                entry.key.span,
                                format!("duplicate key `{key}`"),
                            )
                            .with_label(first.key.span, "first written here")
                            .with_note(
                                "YAML requires the keys of a mapping to be unique; PyYAML (used \
                                 by contentctl) silently drops the first value, and so does detc",
                            )
                            .with_help("remove one of the two, or merge their values"),
                        );
                    }
                    stack.push((&entry.value, depth + 1));
                }
            }
            Value::Seq(items) => stack.extend(items.iter().map(|item| (item, depth + 1))),
            _ => {}
        }
    }
}

/// Lists the content folders. Symbolic links are followed, to folders as to files; a link
/// to a folder that is already being walked (a loop) is skipped and reported (`L016`).
fn walk(root: &Path) -> Walk {
    let mut found = Walk::default();
    for (folder, kind) in FOLDERS {
        let dir = root.join(folder);
        if !dir.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        // Each folder to list, with the real paths of the folders above it (for loops).
        let mut stack = vec![(PathBuf::from(folder), Vec::new())];
        while let Some((relative, mut ancestors)) = stack.pop() {
            let absolute = root.join(&relative);
            let real = fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone());
            if ancestors.contains(&real) {
                found.link_loops.push(to_slash(&relative));
                continue;
            }
            let entries = match fs::read_dir(&absolute) {
                Ok(entries) => entries,
                Err(error) => {
                    found
                        .unreadable_dirs
                        .push((to_slash(&relative), os_reason(&error)));
                    continue;
                }
            };
            ancestors.push(real);
            let mut entry_error = None;
            for entry in entries {
                // An entry that cannot be read is reported with its directory (`L006`), not
                // dropped: a file missing from the run must never pass unnoticed.
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(error) => {
                        entry_error.get_or_insert_with(|| os_reason(&error));
                        continue;
                    }
                };
                let child = relative.join(entry.file_name());
                // `file_type` does not follow links; `metadata` does (a dangling link is
                // kept as a file, so reading it reports why).
                let is_dir = entry.file_type().is_ok_and(|t| {
                    t.is_dir()
                        || (t.is_symlink() && fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()))
                });
                let name = entry.file_name().to_string_lossy().into_owned();
                // A directory named like `x.yml` is still a `.yml` path to contentctl.
                if is_dir && !name.ends_with(".yml") {
                    stack.push((child, ancestors.clone()));
                } else {
                    files.push(to_slash(&child));
                }
            }
            if let Some(reason) = entry_error {
                found.unreadable_dirs.push((to_slash(&relative), reason));
            }
        }
        sort_into(&mut found, folder, *kind, files);
    }
    found.link_loops.sort();
    found
}

/// Sorts the files of one content folder (paths relative to the root) into `found`.
fn sort_into(found: &mut Walk, folder: &str, kind: Option<Kind>, mut files: Vec<String>) {
    files.sort();
    for path in files {
        let name = path.rsplit('/').next().unwrap_or(&path);
        if name.ends_with(".yml") {
            found.documents.push((kind, path));
        } else if folder == "lookups" {
            found.lookup_files.push(path);
        } else if name.ends_with(".yaml") {
            found.yaml_files.push(path);
        }
    }
}

fn to_slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_reasons_are_lowercase_clauses() {
        // Issue 11 point 3: "cannot read" and "cannot list directory" say why; permissions
        // cannot be tested end to end when tests run as root.
        let denied = io::Error::from_raw_os_error(13);
        assert_eq!(os_reason(&denied), "permission denied (os error 13)");
    }
}
