//! The request's window on Cognito's clock: when a client made by a request can have been created.
//!
//! CreationDate is Cognito's clock, read to the second; the request's send and answer times are this machine's.
//! Each successful create or update brackets the offset between the two: the date it reports was stamped between
//! the request being sent and its answer. With the latest such bracket, a create's window on Cognito's clock is
//! known to about a second plus the round trip, and a client dated outside it was certainly made by another
//! request. Before any bracket there is no window: nothing is excluded by date, as the machine's clock may be off
//! by any amount.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

/// How far Cognito's clocks may disagree among themselves, on top of the measured offset.
const SLACK: f64 = 0.25;
/// The resolution of the dates as stored.
const DATE_RESOLUTION: f64 = 1.0;

/// The measured offset between Cognito's clock and this machine's, as bounds (seconds to add to local times).
#[derive(Debug, Default)]
pub struct Clock {
    offset: Mutex<Option<(f64, f64)>>,
}

/// Seconds since the epoch.
pub fn seconds(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH).map_or(0.0, |since| since.as_secs_f64())
}

/// A date as the provider keeps it (RFC 3339, e.g. `2026-01-01T00:00:01Z`), in seconds since the epoch.
pub fn parse_date(date: &str) -> Option<f64> {
    let parsed = DateTime::from_str(date, Format::DateTime).ok()?;
    Some(parsed.secs() as f64 + f64::from(parsed.subsec_nanos()) / 1e9)
}

impl Clock {
    /// A request sent at `sent` and answered at `answered` reported `date` (when Cognito stamped it).
    pub fn observe(&self, sent: SystemTime, answered: SystemTime, date: Option<&str>) {
        let Some(stamped) = date.and_then(parse_date) else {
            return;
        };
        let bounds = (stamped - seconds(answered), stamped + DATE_RESOLUTION - seconds(sent));
        *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(bounds);
    }

    /// Whether `date` certainly falls outside the window of a request sent at `sent` and failed at `answered`;
    /// false when no offset has been measured or the date is unknown.
    pub fn outside_window(&self, sent: SystemTime, answered: SystemTime, date: Option<&str>) -> bool {
        let offset = *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (Some((low, high)), Some(stamped)) = (offset, date.and_then(parse_date)) else {
            return false;
        };
        let earliest = seconds(sent) + low - DATE_RESOLUTION - SLACK;
        let latest = seconds(answered) + high + SLACK;
        stamped < earliest || stamped > latest
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(seconds: f64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs_f64(seconds)
    }

    #[test]
    fn dates_parse_to_seconds() {
        assert_eq!(parse_date("2026-01-01T00:00:01Z"), Some(1_767_225_601.0));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn without_a_measured_offset_nothing_is_outside() {
        let clock = Clock::default();
        assert!(!clock.outside_window(at(100.0), at(101.0), Some("1970-01-01T00:00:01Z")));
    }

    #[test]
    fn a_measured_offset_bounds_the_window_to_about_a_second() {
        let clock = Clock::default();
        // This machine is 1000 s behind Cognito: a request sent at 100.0 and answered at 100.2 was stamped 1100.
        clock.observe(at(100.0), at(100.2), Some("1970-01-01T00:18:20Z"));
        let (sent, answered) = (at(200.0), at(200.3));
        let date = |seconds: u64| DateTime::from_secs(seconds as i64).fmt(Format::DateTime).unwrap();
        assert!(!clock.outside_window(sent, answered, Some(&date(1200))));
        assert!(
            !clock.outside_window(sent, answered, Some(&date(1199))),
            "within a second and the slack"
        );
        assert!(
            clock.outside_window(sent, answered, Some(&date(1197))),
            "made before the request was sent"
        );
        assert!(
            clock.outside_window(sent, answered, Some(&date(1203))),
            "made after it was answered"
        );
        assert!(!clock.outside_window(sent, answered, None));
    }
}
