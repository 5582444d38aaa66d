//! Path scope: `detc validate PATH...` loads and checks the whole tree (references between
//! files need it) but reports only diagnostics whose file is one of the given files or lies
//! under one of the given folders, so CI can pass just the files a pull request changed.

use std::io;
use std::path::{Path, PathBuf};

/// Why the given paths cannot scope a run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// A path does not exist.
    #[error("`{path}` does not exist")]
    Missing {
        /// The path as given.
        path: String,
    },
    /// A path cannot be resolved (permissions, a link loop).
    #[error("cannot resolve `{path}`")]
    Io {
        /// The path as given.
        path: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// A path lies outside the content root.
    #[error(
        "`{path}` is not inside the content root `{root}` (the nearest folder above it holding \
         `contentctl.yml`, or `--content`)"
    )]
    OutsideRoot {
        /// The path as given.
        path: String,
        /// The root as given or found.
        root: String,
    },
}

/// The files and folders diagnostics are reported for.
#[derive(Clone, Debug)]
pub struct Scope {
    /// The content root as given: stored paths start with it.
    root: PathBuf,
    /// The content root, resolved.
    canonical_root: PathBuf,
    /// The given paths, resolved.
    paths: Vec<PathBuf>,
}

impl Scope {
    /// Resolves `paths` (relative to the current directory) and checks each exists and lies
    /// inside `root`.
    ///
    /// # Errors
    /// [`ScopeError`] for a path that does not exist or lies outside the root.
    pub fn new(root: &Path, paths: &[PathBuf]) -> Result<Scope, ScopeError> {
        let canonical_root = resolve(root)?;
        let mut resolved = Vec::with_capacity(paths.len());
        for path in paths {
            let canonical = resolve(path)?;
            if !canonical.starts_with(&canonical_root) {
                return Err(ScopeError::OutsideRoot {
                    path: path.display().to_string(),
                    root: root.display().to_string(),
                });
            }
            resolved.push(canonical);
        }
        Ok(Scope {
            root: root.to_path_buf(),
            canonical_root,
            paths: resolved,
        })
    }

    /// Whether a file the loader stored as `stored` (`root.join(relative)`) is in scope.
    #[must_use]
    pub fn contains(&self, stored: &Path) -> bool {
        let resolved = match stored.strip_prefix(&self.root) {
            Ok(relative) => self.canonical_root.join(relative),
            Err(_) => match stored.canonicalize() {
                Ok(resolved) => resolved,
                Err(_) => return false,
            },
        };
        self.paths.iter().any(|path| resolved.starts_with(path))
    }
}

fn resolve(path: &Path) -> Result<PathBuf, ScopeError> {
    path.canonicalize().map_err(|source| {
        let path = path.display().to_string();
        if source.kind() == io::ErrorKind::NotFound {
            ScopeError::Missing { path }
        } else {
            ScopeError::Io { path, source }
        }
    })
}

/// The content root for a run without `--content`: the nearest folder holding
/// `contentctl.yml`, starting at `start` (a file's folder when it is a file) and walking up,
/// the way cargo finds `Cargo.toml`. `None` when no folder above holds one.
#[must_use]
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    let mut folder = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    loop {
        if folder.join("contentctl.yml").is_file() {
            return Some(folder);
        }
        folder = folder.parent()?.to_path_buf();
    }
}

/// `target` written relative to `from` when `target` is `from` or one of its ancestors
/// (`..`, `../..`), so the paths detc prints stay short and openable from where it ran.
#[must_use]
pub fn relative_ancestor(target: &Path, from: &Path) -> Option<PathBuf> {
    let below = from.strip_prefix(target).ok()?;
    let depth = below.components().count();
    if depth == 0 {
        return Some(PathBuf::from("."));
    }
    Some(std::iter::repeat_n("..", depth).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_ancestors() {
        assert_eq!(
            relative_ancestor(Path::new("/r"), Path::new("/r/a/b")),
            Some(PathBuf::from("../.."))
        );
        assert_eq!(
            relative_ancestor(Path::new("/r"), Path::new("/r")),
            Some(PathBuf::from("."))
        );
        assert_eq!(relative_ancestor(Path::new("/r/a"), Path::new("/r")), None);
    }
}
