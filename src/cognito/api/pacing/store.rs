//! Where the pacer's buckets live: [`MemoryStore`] for one process, or the file-backed store shared by the
//! processes of one user on one machine ([`super::shared`]).

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::time::Instant;

use super::bucket::Bucket;

/// A place for buckets, each named by a key.
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Runs `update` on the buckets named by `keys` (`None` for one never used), with no other user of them in
    /// between, and keeps what it leaves. `update` gets the current time on the store's clock, in seconds.
    fn transact(&self, keys: &[String; 2], update: &mut dyn FnMut(f64, &mut [Option<Bucket>; 2]));
}

/// Buckets in this process's memory, timed by tokio's clock (which tests can pause).
#[derive(Debug)]
pub struct MemoryStore {
    origin: Instant,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore {
            origin: Instant::now(),
            buckets: Mutex::new(HashMap::new()),
        }
    }
}

impl Store for MemoryStore {
    fn transact(&self, keys: &[String; 2], update: &mut dyn FnMut(f64, &mut [Option<Bucket>; 2])) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut pair = [buckets.get(&keys[0]).copied(), buckets.get(&keys[1]).copied()];
        update(self.origin.elapsed().as_secs_f64(), &mut pair);
        for (key, bucket) in keys.iter().zip(pair) {
            if let Some(bucket) = bucket {
                buckets.insert(key.clone(), bucket);
            }
        }
    }
}
