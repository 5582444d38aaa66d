//! `D011`: each `tests` item must be a unit test: `name`, and `attack_data` items with
//! `data` (an http(s) URL or an existing file, relative to the content root), `source`
//! and `sourcetype`; `custom_index`, `host`, `earliest_time`, `latest_time` optional
//! strings.
//!
//! ```yaml
//! tests:
//! - name: True Positive Test
//!   attack_data:
//!   - data: not a url
//!     sourcetype: xmlwineventlog     # no source
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::patterns::is_http_url;
use crate::validate::shape::ShapeCheck;

use super::push_problems;

/// Reports malformed tests.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tests) = detection.tests.value() else {
            continue;
        };
        for (index, test) in tests.iter().enumerate() {
            let mut check = ShapeCheck::new(test, &format!("tests.{index}."));
            check.required_str("name", 0);
            check.optional_str("earliest_time", 0);
            check.optional_str("latest_time", 0);
            let mut bad_data = Vec::new();
            if let Some(items) = check.required_list("attack_data") {
                for (item_index, item) in items.iter().enumerate() {
                    let prefix = format!("tests.{index}.attack_data.{item_index}.");
                    let mut item_check = ShapeCheck::new(item, &prefix);
                    if let Some(data) = item_check.required_str("data", 0)
                        && !is_http_url(data)
                        && !context.content.root.join(data).is_file()
                        && let Some(node) = item_check.value("data")
                    {
                        bad_data.push(Diagnostic::new(
                            Code::D011,
                            node.span,
                            format!(
                                "`{prefix}data` is neither an http(s) URL nor an existing file"
                            ),
                        ));
                    }
                    item_check.required_str("source", 0);
                    item_check.required_str("sourcetype", 0);
                    item_check.optional_str("custom_index", 0);
                    item_check.optional_str("host", 0);
                    push_problems(Code::D011, item_check.problems, out);
                }
            }
            push_problems(Code::D011, check.problems, out);
            out.append(&mut bad_data);
        }
    }
}
