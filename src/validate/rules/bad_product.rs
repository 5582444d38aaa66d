//! `T006`: `tags.product` is required, non-empty, and each item one of the five products.
//!
//! ```yaml
//! product:
//! - Splunk SOAR
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{PRODUCTS, check_enum};

/// Reports missing, empty or unknown products.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.get() else {
            continue;
        };
        match tags.value.product.get() {
            None if tags.value.product.is_missing() => out.push(Diagnostic::new(
                Code::T006,
                tags.span,
                "`tags` has no `product`",
            )),
            Some(products) if products.value.is_empty() => out.push(Diagnostic::new(
                Code::T006,
                products.span,
                "`tags.product` needs at least one product",
            )),
            Some(products) => {
                for product in &products.value {
                    check_enum(Code::T006, "tags.product", product, PRODUCTS, out);
                }
            }
            None => {}
        }
    }
}
