//! One adaptive token bucket: the arithmetic of pacing, on plain numbers so that the in-process and the file-backed
//! stores share it and tests can drive it with any clock.
//!
//! The bucket holds at most one token, so calls are spaced evenly rather than sent in bursts (Cognito's own
//! buckets hold about a second's worth of requests; never bursting leaves them that much headroom for jitter).
//! Its rate adapts the way the AWS SDKs' adaptive retry mode does: a throttling answer cuts it (multiplicative
//! decrease, at most once per [`DECREASE_WINDOW`], so a burst of answers to requests sent at the old rate counts
//! once), and it climbs back linearly to the configured rate over [`RECOVERY`] (gradual recovery), never below a
//! floor. Independent processes that share a quota without sharing a bucket converge this way on splitting it.

/// What one throttle leaves of the rate.
pub const DECREASE: f64 = 0.7;
/// The lowest rate, as a share of the configured one.
pub const FLOOR: f64 = 0.1;
/// Seconds after a decrease in which further throttles do not lower the rate again.
pub const DECREASE_WINDOW: f64 = 1.0;
/// Seconds the rate takes to climb from zero back to the configured rate.
pub const RECOVERY: f64 = 10.0;

const CAPACITY: f64 = 1.0;

/// The state of one bucket. Times are seconds on a clock every user of the bucket shares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// The current rate, in requests per second.
    pub rate: f64,
    /// Whole tokens are slots; below zero is debt.
    pub tokens: f64,
    /// When `rate` and `tokens` were brought up to date.
    pub updated: f64,
    /// When the rate was last lowered.
    pub lowered: f64,
}

impl Bucket {
    /// A full bucket at the configured rate.
    pub fn full(configured: f64, now: f64) -> Bucket {
        Bucket {
            rate: configured,
            tokens: CAPACITY,
            updated: now,
            lowered: f64::NEG_INFINITY,
        }
    }

    /// Brings the bucket up to `now` for a caller configured with `configured` requests per second: the rate
    /// recovers, then tokens accrue at it. A bucket shared with callers configured differently keeps to the
    /// lower configuration.
    pub fn refill(&mut self, configured: f64, now: f64) {
        let elapsed = (now - self.updated).max(0.0);
        let floor = configured * FLOOR;
        self.rate = (self.rate + configured * elapsed / RECOVERY).clamp(floor, configured);
        self.tokens = (self.tokens + elapsed * self.rate).min(CAPACITY);
        self.updated = self.updated.max(now);
    }

    /// Seconds until a whole token is there (zero when it is there now, give or take floating-point noise).
    pub fn wait(&self) -> f64 {
        let missing = 1.0 - self.tokens;
        if missing <= 1e-9 { 0.0 } else { missing / self.rate }
    }

    pub fn take(&mut self) {
        self.tokens -= 1.0;
    }

    /// A throttling answer, after [`refill`](Self::refill): the next call waits a whole interval, and the rate is
    /// cut unless it was cut within the last [`DECREASE_WINDOW`].
    pub fn throttled(&mut self, configured: f64, now: f64) {
        self.tokens = self.tokens.min(0.0);
        if now - self.lowered >= DECREASE_WINDOW {
            self.rate = (self.rate * DECREASE).max(configured * FLOOR);
            self.lowered = now;
        }
    }

    /// The state as bytes, for the file-backed store.
    pub fn to_bytes(self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        for (chunk, value) in bytes
            .chunks_exact_mut(8)
            .zip([self.rate, self.tokens, self.updated, self.lowered])
        {
            chunk.copy_from_slice(&value.to_le_bytes());
        }
        bytes
    }

    /// The state from [`to_bytes`](Self::to_bytes); `None` for anything that is not a sane bucket (a file cut
    /// short by a crash, or from another program).
    pub fn from_bytes(bytes: &[u8]) -> Option<Bucket> {
        let values: Vec<f64> = bytes
            .chunks_exact(8)
            .map(|chunk| f64::from_le_bytes(chunk.try_into().unwrap_or_default()))
            .collect();
        let [rate, tokens, updated, lowered] = values.as_slice() else {
            return None;
        };
        let sane = rate.is_finite()
            && *rate > 0.0
            && tokens.is_finite()
            && *tokens <= CAPACITY
            && updated.is_finite()
            && !lowered.is_nan();
        sane.then_some(Bucket {
            rate: *rate,
            tokens: *tokens,
            updated: *updated,
            lowered: *lowered,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_full_bucket_gives_one_slot_then_spaces_calls_at_the_rate() {
        let mut bucket = Bucket::full(5.0, 0.0);
        assert_eq!(bucket.wait(), 0.0);
        bucket.take();
        assert!(close(bucket.wait(), 0.2));
        bucket.refill(5.0, 0.15);
        assert!(close(bucket.wait(), 0.05));
        // Idle for a minute: still one token only.
        bucket.refill(5.0, 60.0);
        assert!(close(bucket.tokens, 1.0));
    }

    #[test]
    fn a_throttle_cuts_the_rate_once_per_window_down_to_the_floor() {
        let mut bucket = Bucket::full(5.0, 0.0);
        bucket.take();
        bucket.throttled(5.0, 0.0);
        assert!(close(bucket.rate, 3.5));
        assert!(close(bucket.wait(), 1.0 / 3.5), "a whole interval at the new rate");
        // Answers to requests sent at the old rate arrive within the window: one cut only.
        bucket.throttled(5.0, 0.5);
        assert!(close(bucket.rate, 3.5));
        for second in 1..40 {
            bucket.throttled(5.0, f64::from(second));
        }
        assert!(close(bucket.rate, 0.5), "never below a tenth of the configured rate");
    }

    #[test]
    fn the_rate_recovers_gradually() {
        let mut bucket = Bucket::full(5.0, 0.0);
        bucket.throttled(5.0, 0.0);
        bucket.refill(5.0, 1.0);
        assert!(close(bucket.rate, 4.0), "half a request per second per second");
        bucket.refill(5.0, 3.0);
        assert!(close(bucket.rate, 5.0), "and no higher than configured");
    }

    #[test]
    fn a_shared_bucket_keeps_to_the_lower_configuration_and_a_clock_going_back() {
        let mut bucket = Bucket::full(5.0, 10.0);
        bucket.refill(2.0, 10.0);
        assert!(close(bucket.rate, 2.0));
        bucket.refill(2.0, 9.0);
        assert!(close(bucket.updated, 10.0), "time never runs backwards for the bucket");
    }

    #[test]
    fn the_state_round_trips_and_garbage_is_refused() {
        let mut bucket = Bucket::full(5.0, 123.5);
        bucket.throttled(5.0, 124.0);
        assert_eq!(Bucket::from_bytes(&bucket.to_bytes()), Some(bucket));
        let fresh = Bucket::full(5.0, 1.0);
        assert_eq!(
            Bucket::from_bytes(&fresh.to_bytes()),
            Some(fresh),
            "a never-lowered bucket"
        );
        assert_eq!(Bucket::from_bytes(&[]), None);
        assert_eq!(Bucket::from_bytes(&[0u8; 32]), None, "a zero rate");
        assert_eq!(Bucket::from_bytes(&bucket.to_bytes()[..20]), None, "cut short");
        let mut nan = bucket.to_bytes();
        nan[8..16].copy_from_slice(&f64::NAN.to_le_bytes());
        assert_eq!(Bucket::from_bytes(&nan), None);
    }
}
