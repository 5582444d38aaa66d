//! `X009` (lint): `tags.risk_score` as written differs from the score contentctl computes,
//! `round(confidence * impact / 100)` with Python's round-half-to-even. contentctl silently
//! uses the computed value, so the written one misleads readers.
//!
//! ```yaml
//! confidence: 50
//! impact: 50
//! risk_score: 30      # computed: 25
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Python's `round(c * i / 100)`: integer division, remainder above 50 rounds up, exactly
/// 50 rounds to the even quotient.
#[must_use]
pub(crate) fn computed_risk_score(confidence: i64, impact: i64) -> i64 {
    let product = confidence * impact;
    let quotient = product.div_euclid(100);
    let remainder = product.rem_euclid(100);
    if remainder > 50 || (remainder == 50 && quotient % 2 == 1) {
        quotient + 1
    } else {
        quotient
    }
}

/// Reports written risk scores that differ from the computed one.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.value() else {
            continue;
        };
        let (Some(confidence), Some(impact), Some(written)) = (
            tags.confidence.value(),
            tags.impact.value(),
            tags.risk_score.get(),
        ) else {
            continue;
        };
        let computed = computed_risk_score(*confidence, *impact);
        if written.value != computed {
            out.push(
                Diagnostic::new(
                    Code::X009,
                    written.span,
                    format!(
                        "`tags.risk_score` is {}, but confidence {confidence} × impact {impact} / 100 gives {computed}",
                        written.value
                    ),
                )
                .with_note("contentctl ignores the written value and uses the computed one"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::computed_risk_score;

    #[test]
    fn rounds_half_to_even() {
        assert_eq!(computed_risk_score(90, 30), 27);
        assert_eq!(computed_risk_score(50, 5), 2); // 2.5 -> 2
        assert_eq!(computed_risk_score(70, 5), 4); // 3.5 -> 4
        assert_eq!(computed_risk_score(51, 1), 1); // 0.51 -> 1
    }
}
