//! One fixture tree per mistake under `tests/fixtures/validate/<kind>/`; each is loaded and
//! validated as `detc validate` does (content rules, then the diagnostics of every compiled
//! search), and every diagnostic is snapshotted in its full human rendering: message, source
//! window, labels, notes and help, with paths relative to the fixture root.

use std::path::Path;

use detc::diagnostic::sort_diagnostics;
use detc::output::{PathDisplay, RenderOptions, human};

#[allow(
    clippy::expect_used,
    reason = "test helper: a broken fixture must fail the test loudly"
)]
fn render(root: &Path) -> String {
    let loaded = detc::content::load(root).expect("fixture root loads");
    let mut diagnostics = detc::validate::validate(&loaded);
    let compiled = detc::compile::compile(&loaded);
    let from_searches = detc::compile::search_diagnostics(&compiled, &diagnostics);
    diagnostics.extend(from_searches);
    diagnostics.extend(loaded.diagnostics.iter().cloned());
    sort_diagnostics(&mut diagnostics, &loaded.sources);
    let options = RenderOptions {
        paths: PathDisplay::new(None, Some(root)),
        ..RenderOptions::default()
    };
    let mut rendered = Vec::new();
    human::render(&diagnostics, &loaded.sources, &options, &mut rendered).expect("render");
    String::from_utf8(rendered).expect("utf-8")
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
