//! One fixture tree per mistake under `tests/fixtures/validate/<kind>/`; each is loaded and
//! validated, and every diagnostic is snapshotted as a plain sorted line
//! `SEVERITY CODE path:line:col: message` (path relative to the fixture root).

use std::path::Path;

use detc::diagnostic::sort_diagnostics;

#[allow(
    clippy::expect_used,
    reason = "test helper: a broken fixture must fail the test loudly"
)]
fn render(root: &Path) -> String {
    let loaded = detc::content::load(root).expect("fixture root loads");
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(detc::validate::validate(&loaded));
    sort_diagnostics(&mut diagnostics, &loaded.sources);
    let mut lines = Vec::new();
    for diagnostic in &diagnostics {
        let file = loaded
            .sources
            .get(diagnostic.primary.file)
            .expect("file of a diagnostic");
        let path = file.path().strip_prefix(root).unwrap_or(file.path());
        let path = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let position = loaded.sources.line_column(diagnostic.primary);
        lines.push(format!(
            "{} {} {path}:{}:{}: {}",
            diagnostic.severity.as_str(),
            diagnostic.code.as_str(),
            position.line,
            position.column,
            diagnostic.message
        ));
    }
    lines.join("\n")
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/validate/*", |dir| {
        if !dir.is_dir() {
            return;
        }
        let kind = dir
            .file_name()
            .expect("fixture dir name")
            .to_string_lossy()
            .into_owned();
        let rendered = render(dir);
        // `clean` is the twin every other fixture breaks, and `*_silent` fixtures pin
        // contentctl quirks that let a mistake through: those must stay silent.
        assert_eq!(
            rendered.is_empty(),
            kind == "clean" || kind.ends_with("_silent"),
            "fixture `{kind}`:\n{rendered}"
        );
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            snapshot_suffix => "",
        }, {
            insta::assert_snapshot!(format!("validate__{kind}"), rendered);
        });
    });
}
