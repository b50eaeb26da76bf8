//! The run-time explanations of res_parking live next to what they explain (the parkcall action, the
//! ParkedCall application, the timeout); their codes and summaries are [`super::CODES`]. This module
//! checks that list against what the code emits.

#[cfg(test)]
mod tests {
    use super::super::{codes, CODES};

    #[test]
    fn every_code_is_listed_once() {
        let all = [
            codes::ONE_TOUCH_NO_PARKEXT,
            codes::ONE_TOUCH_NOT_PARK,
            codes::ONE_TOUCH_ALONE,
            codes::ONE_TOUCH_MULTIPARTY,
            codes::EMPTY_SPACE,
            codes::PARK_GET_CHANNEL_ERROR,
            codes::PARK_DIAL_T_UNREACHABLE,
        ];
        assert_eq!(CODES.len(), all.len());
        for code in all {
            assert_eq!(
                CODES.iter().filter(|c| c.code == code).count(),
                1,
                "{}",
                code.0
            );
            assert!(code.0.starts_with("parking/"));
        }
    }
}
