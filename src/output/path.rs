//! How a file path is shown in every rendering: joined to the content root when the loader
//! stored it relative to that root, made relative to the current directory when it is
//! absolute and under it, and without `./` components. So a path in any output can be opened
//! from where the user ran `detc`, and GitHub can attach an annotation to the right file.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// The rule for turning a stored path into the text users see.
///
/// The default shows paths as stored, which is what snapshot tests want.
///
/// # Example
/// ```
/// use std::path::Path;
/// use detc::output::PathDisplay;
///
/// let display = PathDisplay::new(Some(Path::new("corpus")), Some(Path::new("/repo")));
/// assert_eq!(display.show(Path::new("detections/a.yml")), "corpus/detections/a.yml");
/// assert_eq!(display.show(Path::new("/repo/corpus/b.yml")), "corpus/b.yml");
/// ```
#[derive(Clone, Debug, Default)]
pub struct PathDisplay {
    root: Option<PathBuf>,
    cwd: Option<PathBuf>,
}

impl PathDisplay {
    /// Paths stored relative to `root` are shown under it; absolute paths under `cwd` are
    /// shown relative to it.
    #[must_use]
    pub fn new(root: Option<&Path>, cwd: Option<&Path>) -> PathDisplay {
        PathDisplay {
            root: root.map(Path::to_path_buf),
            cwd: cwd.map(Path::to_path_buf),
        }
    }

    /// The text shown for `path`.
    #[must_use]
    pub fn show(&self, path: &Path) -> String {
        // A loader may store paths relative to the root or already joined to it; join only
        // in the first case so a path is never doubled.
        let joined: Cow<'_, Path> = match &self.root {
            Some(root) if path.is_relative() && !starts_with_root(path, root) => {
                Cow::Owned(root.join(path))
            }
            _ => Cow::Borrowed(path),
        };
        let relative = match &self.cwd {
            Some(cwd) if joined.is_absolute() => joined.strip_prefix(cwd).unwrap_or(&joined),
            _ => &joined,
        };
        let cleaned: PathBuf = relative
            .components()
            .filter(|component| !matches!(component, Component::CurDir))
            .collect();
        if cleaned.as_os_str().is_empty() {
            return ".".to_owned();
        }
        cleaned.to_string_lossy().into_owned()
    }
}

/// Whether `path` already begins with `root` (ignoring `./`, which `.` as a root adds).
fn starts_with_root(path: &Path, root: &Path) -> bool {
    let root: PathBuf = root
        .components()
        .filter(|component| !matches!(component, Component::CurDir))
        .collect();
    !root.as_os_str().is_empty() && path.starts_with(&root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_paths_are_shown_as_is_by_default() {
        let display = PathDisplay::default();
        assert_eq!(display.show(Path::new("stories/a.yml")), "stories/a.yml");
        assert_eq!(display.show(Path::new("/abs/a.yml")), "/abs/a.yml");
    }

    #[test]
    fn dot_root_adds_nothing() {
        let display = PathDisplay::new(Some(Path::new(".")), Some(Path::new("/repo")));
        assert_eq!(display.show(Path::new("stories/a.yml")), "stories/a.yml");
        assert_eq!(display.show(Path::new("./stories/a.yml")), "stories/a.yml");
    }

    #[test]
    fn relative_root_is_joined_once() {
        let display = PathDisplay::new(Some(Path::new("../corpus")), Some(Path::new("/repo")));
        assert_eq!(
            display.show(Path::new("macros/m.yml")),
            "../corpus/macros/m.yml"
        );
        assert_eq!(
            display.show(Path::new("../corpus/macros/m.yml")),
            "../corpus/macros/m.yml"
        );
    }

    #[test]
    fn absolute_paths_outside_cwd_stay_absolute() {
        let display = PathDisplay::new(Some(Path::new("/data/c")), Some(Path::new("/repo")));
        assert_eq!(display.show(Path::new("m.yml")), "/data/c/m.yml");
        let display = PathDisplay::new(Some(Path::new("/repo/c")), Some(Path::new("/repo")));
        assert_eq!(display.show(Path::new("m.yml")), "c/m.yml");
    }
}
