//! `DS001`: a data source needs `source` and `sourcetype`.
//!
//! ```yaml
//! name: Sysmon EventID 1
//! source: XmlWinEventLog:Microsoft-Windows-Sysmon/Operational     # no sourcetype
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports data sources without `source` or `sourcetype`.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for data_source in &context.content.data_sources {
        for (key, field) in [
            ("source", &data_source.source),
            ("sourcetype", &data_source.sourcetype),
        ] {
            if field.is_missing() {
                out.push(missing(
                    Code::DS001,
                    data_source.meta.anchor,
                    key,
                    Kind::DataSource,
                ));
            }
        }
    }
}
