//! The deployment model (`deployments/*.yml`): scheduling and alert actions. Detections and
//! baselines find theirs by the name `ESCU Default Configuration <type>` or inline.

use crate::diagnostic::{Code, Diagnostic};

use super::field::{Field, MapReader};
use super::header::{Header, Meta};
use super::story::finish_top;
use super::yaml::Node;

/// One deployment.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    /// Where it came from.
    pub meta: Meta,
    /// Common header (`version` optional).
    pub header: Header,
    /// `type`.
    pub deployment_type: Field<String>,
    /// `scheduling` mapping (`DP002`).
    pub scheduling: Field<Node>,
    /// `alert_action` mapping (`DP003`).
    pub alert_action: Field<Node>,
}

impl Deployment {
    /// Builds a deployment from its top-level mapping.
    pub(crate) fn read(meta: Meta, root: Node, diagnostics: &mut Vec<Diagnostic>) -> Deployment {
        let mut reader = MapReader::new(root, "", diagnostics);
        let header = Header::read(&mut reader);
        let deployment_type = reader.string("type", Code::DP001);
        let scheduling = reader.mapping("scheduling", Code::DP002);
        let alert_action = reader.mapping("alert_action", Code::DP003);
        finish_top(reader, &meta, "a deployment");
        Deployment {
            meta,
            header,
            deployment_type,
            scheduling,
            alert_action,
        }
    }

    /// Whether `alert_action.rba.enabled` is true (v5 detections need `rba:` then).
    #[must_use]
    pub fn is_rba_enabled(&self) -> bool {
        self.alert_action
            .value()
            .and_then(|action| action.value_of("rba"))
            .and_then(|rba| rba.value_of("enabled"))
            .and_then(|enabled| super::field::lax_bool(&enabled.value))
            .unwrap_or(false)
    }
}
