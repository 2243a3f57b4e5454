//! Windows Security Center states, from its two sources.
//!
//! Two decoders live here and must stay apart, because the same number means
//! different things in each:
//!
//! * WMI `root\SecurityCenter2` gives `productState`, a bit field that Microsoft
//!   has **never documented**. The layout below is the community decoding that
//!   every source agrees on (see `../shared/reference/kaspersky.md` §B.6):
//!   bits 12–15 are the state (0 off, 1 on, 2 snoozed, 3 expired), bit 4 is set
//!   when signatures are out of date. Treat it as best effort.
//! * The documented `IWscProduct` COM interface gives enums where ON is 0.

use crate::snapshot::ProductState;

/// Decodes WMI `productState` into (state, signatures up to date).
///
/// Undocumented field: see the module docs. Unknown state nibbles (4..=15)
/// decode to `Unknown` rather than a guess.
pub fn decode_product_state(raw: u32) -> (ProductState, bool) {
    let state = match raw & 0xF000 {
        0x0000 => ProductState::Off,
        0x1000 => ProductState::On,
        0x2000 => ProductState::Snoozed,
        0x3000 => ProductState::Expired,
        _ => ProductState::Unknown,
    };
    let up_to_date = raw & 0x10 == 0;
    (state, up_to_date)
}

/// Maps the documented `WSC_SECURITY_PRODUCT_STATE` enum (ON=0, OFF=1,
/// SNOOZED=2, EXPIRED=3).
pub fn from_wsc_product_state(value: i32) -> ProductState {
    match value {
        0 => ProductState::On,
        1 => ProductState::Off,
        2 => ProductState::Snoozed,
        3 => ProductState::Expired,
        _ => ProductState::Unknown,
    }
}

/// Maps the documented `WSC_SECURITY_SIGNATURE_STATUS` enum (OUT_OF_DATE=0, UP_TO_DATE=1).
pub fn from_wsc_signature_status(value: i32) -> Option<bool> {
    match value {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProductState::*;

    /// The worked values from the reference (Get-AntiVirus.ps1 and neophob).
    #[test]
    fn decodes_every_reference_value() {
        let cases = [
            (262144, Off, true),
            (262160, Off, false),
            (266240, On, true),
            (266256, On, false),
            (393216, Off, true),
            (393232, Off, false),
            (393488, Off, false),
            (397312, On, true),
            (397328, On, false),
            (397568, On, true),
            (397584, On, false),
            (393472, Off, true),
        ];
        for (raw, state, fresh) in cases {
            assert_eq!(
                decode_product_state(raw),
                (state, fresh),
                "productState {raw} ({raw:#x})"
            );
        }
    }

    #[test]
    fn decodes_snoozed_expired_and_unknown() {
        assert_eq!(decode_product_state(0x042000).0, Snoozed);
        assert_eq!(decode_product_state(0x043010), (Expired, false));
        assert_eq!(decode_product_state(0x04F000).0, Unknown);
    }

    #[test]
    fn com_enums_differ_from_wmi_nibble() {
        assert_eq!(from_wsc_product_state(0), On);
        assert_eq!(from_wsc_product_state(1), Off);
        assert_eq!(from_wsc_product_state(2), Snoozed);
        assert_eq!(from_wsc_product_state(3), Expired);
        assert_eq!(from_wsc_product_state(9), Unknown);
        assert_eq!(from_wsc_signature_status(0), Some(false));
        assert_eq!(from_wsc_signature_status(1), Some(true));
        assert_eq!(from_wsc_signature_status(5), None);
    }
}
