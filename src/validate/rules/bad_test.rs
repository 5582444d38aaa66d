//! `D011`: each `tests` item must be a unit test: `name`, and `attack_data` items with
//! `data` (an http(s) URL or an existing file, relative to the content root), `source`
//! and `sourcetype`; `custom_index`, `host`, `earliest_time`, `latest_time` optional
//! strings. Wrong types are reported while loading (the model is typed); this rule reports
//! what is missing and a `data` that names nothing.
//!
//! ```yaml
//! tests:
//! - name: True Positive Test
//!   attack_data:
//!   - data: not a url
//!     sourcetype: xmlwineventlog     # no source
//! ```

use crate::content::Field;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;
use crate::validate::patterns::is_http_url;

/// Reports malformed tests.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tests) = detection.tests.value() else {
            continue;
        };
        for (index, test) in tests.iter().enumerate() {
            let Some(test) = test.value() else {
                continue;
            };
            let prefix = format!("tests.{index}.");
            require(&test.name, test.span, &prefix, "name", out);
            require(&test.attack_data, test.span, &prefix, "attack_data", out);
            let Some(items) = test.attack_data.value() else {
                continue;
            };
            for (item_index, item) in items.iter().enumerate() {
                let Some(item) = item.value() else {
                    continue;
                };
                let prefix = format!("tests.{index}.attack_data.{item_index}.");
                require(&item.data, item.span, &prefix, "data", out);
                if let Some(data) = item.data.get()
                    && !is_http_url(&data.value)
                    && !context.content.root.join(&data.value).is_file()
                {
                    out.push(Diagnostic::new(
                        Code::D011,
                        data.span,
                        format!("`{prefix}data` is neither an http(s) URL nor an existing file"),
                    ));
                }
                require(&item.source, item.span, &prefix, "source", out);
                require(&item.sourcetype, item.span, &prefix, "sourcetype", out);
            }
        }
    }
}

/// A required key, reported at its mapping when absent.
fn require<T>(field: &Field<T>, mapping: Span, prefix: &str, key: &str, out: &mut Vec<Diagnostic>) {
    if field.is_missing() {
        out.push(Diagnostic::new(
            Code::D011,
            mapping,
            format!("`{prefix}{key}` is missing"),
        ));
    }
}
