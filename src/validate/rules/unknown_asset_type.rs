//! `T001`: `tags.asset_type` must be one of contentctl's 44 asset types.
//!
//! ```yaml
//! tags:
//!   asset_type: Laptop
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::check_enum;

const ASSET_TYPES: &[&str] = &[
    "AWS Account",
    "AWS EKS Kubernetes cluster",
    "AWS Federated Account",
    "AWS Instance",
    "Account",
    "Amazon EKS Kubernetes cluster",
    "Amazon EKS Kubernetes cluster Pod",
    "Amazon Elastic Container Registry",
    "Azure Tenant",
    "Azure AKS Kubernetes cluster",
    "Azure Active Directory",
    "CircleCI",
    "Cloud Compute Instance",
    "Cloud Instance",
    "DNS Servers",
    "Database Server",
    "Domain Server",
    "EC2 Snapshot",
    "Endpoint",
    "GCP",
    "GCP Account",
    "GCP GKE EKS Kubernetes cluster",
    "GCP GKE Kubernetes cluster",
    "GCP Kubernetes cluster",
    "GCP Storage Bucket",
    "GDrive",
    "GSuite",
    "GitHub",
    "Google Cloud Platform tenant",
    "Identity",
    "Infrastructure",
    "Instance",
    "Kubernetes",
    "Network",
    "O365 Tenant",
    "Okta Tenant",
    "Proxy",
    "S3 Bucket",
    "Splunk Server",
    "VPN Appliance",
    "Web Server",
    "Web Proxy",
    "Web Application",
    "Windows",
];

/// Reports a missing or unknown asset type.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.get() else {
            continue;
        };
        match tags.value.asset_type.get() {
            Some(value) => check_enum(Code::T001, "tags.asset_type", value, ASSET_TYPES, out),
            None if tags.value.asset_type.is_missing() => out.push(Diagnostic::new(
                Code::T001,
                tags.span,
                "`tags` has no `asset_type`",
            )),
            None => {}
        }
    }
}
