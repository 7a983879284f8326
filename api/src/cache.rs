//! Results that depend only on a key and the indexed block they were computed at
//! (rating audits): computed once per (key, block), however many clients ask, and
//! dropped as soon as the index moves to a later block.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// A block as the cache tells blocks apart: number and hash.
pub type Block = (u32, [u8; 32]);

/// Values of one block at a time, at most `capacity` of them.
pub struct PerBlock<K, V> {
    capacity: usize,
    current: Mutex<Current<K, V>>,
}

struct Current<K, V> {
    block: Option<Block>,
    values: HashMap<K, Arc<OnceCell<V>>>,
}

impl<K: Eq + Hash, V: Clone> PerBlock<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            current: Mutex::new(Current {
                block: None,
                values: HashMap::new(),
            }),
        }
    }

    /// The value of `key` at `block`: cached, or computed by `compute` (once for
    /// concurrent callers; an error is not cached, so the next caller tries again).
    /// The flag says whether it came from the cache.
    pub async fn get_or_try_compute<E, F, Fut>(
        &self,
        key: K,
        block: Block,
        compute: F,
    ) -> Result<(V, bool), E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let cell = {
            let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
            let newer = match current.block {
                None => true,
                Some((number, hash)) => block.0 > number || (block.0 == number && block.1 != hash),
            };
            if newer {
                current.block = Some(block);
                current.values.clear();
            }
            if current.block != Some(block) {
                // A reader behind the cache's block: compute, keep nothing.
                None
            } else if let Some(cell) = current.values.get(&key) {
                Some(cell.clone())
            } else if current.values.len() < self.capacity {
                Some(current.values.entry(key).or_default().clone())
            } else {
                None
            }
        };
        match cell {
            Some(cell) => {
                if let Some(value) = cell.get() {
                    return Ok((value.clone(), true));
                }
                let mut computed = false;
                let value = cell
                    .get_or_try_init(|| {
                        computed = true;
                        compute()
                    })
                    .await?;
                Ok((value.clone(), !computed))
            }
            None => compute().await.map(|value| (value, false)),
        }
    }

    /// Values cached now.
    pub fn len(&self) -> usize {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        current
            .values
            .values()
            .filter(|cell| cell.initialized())
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const A: Block = (7, [1; 32]);
    const B: Block = (8, [2; 32]);

    async fn get(
        cache: &PerBlock<&'static str, String>,
        key: &'static str,
        block: Block,
        runs: &AtomicUsize,
    ) -> (String, bool) {
        cache
            .get_or_try_compute(key, block, || async {
                runs.fetch_add(1, Ordering::SeqCst);
                Ok::<_, ()>(format!("{key}@{}", block.0))
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn computes_once_per_key_and_block_and_forgets_older_blocks() {
        let cache = PerBlock::new(100);
        let runs = AtomicUsize::new(0);
        assert_eq!(get(&cache, "bob", A, &runs).await, ("bob@7".into(), false));
        assert_eq!(get(&cache, "bob", A, &runs).await, ("bob@7".into(), true));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(get(&cache, "eve", A, &runs).await, ("eve@7".into(), false));
        assert_eq!(cache.len(), 2);
        // The index moves on: block 7's values go.
        assert_eq!(get(&cache, "bob", B, &runs).await, ("bob@8".into(), false));
        assert_eq!(cache.len(), 1);
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        // A late reader at block 7 gets block 7's value, computed, and evicts nothing.
        assert_eq!(get(&cache, "bob", A, &runs).await, ("bob@7".into(), false));
        assert_eq!(get(&cache, "bob", B, &runs).await, ("bob@8".into(), true));
        // Same number, another hash (a reset chain): a new block.
        let other = (8, [9; 32]);
        assert!(!get(&cache, "bob", other, &runs).await.1);
    }

    #[tokio::test]
    async fn errors_are_not_cached_and_capacity_is_kept() {
        let cache: PerBlock<u32, u32> = PerBlock::new(2);
        let failed = cache
            .get_or_try_compute(1, A, || async { Err::<u32, _>("node down") })
            .await;
        assert_eq!(failed, Err("node down"));
        let ok = cache
            .get_or_try_compute(1, A, || async { Ok::<_, &str>(10) })
            .await;
        assert_eq!(ok, Ok((10, false)));
        for key in 2..10 {
            cache
                .get_or_try_compute(key, A, || async { Ok::<_, &str>(key) })
                .await
                .unwrap();
        }
        assert_eq!(cache.len(), 2);
        let again = cache
            .get_or_try_compute(9, A, || async { Ok::<_, &str>(9) })
            .await;
        assert_eq!(again, Ok((9, false)), "beyond capacity nothing is kept");
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_computation() {
        let cache: Arc<PerBlock<u32, u32>> = Arc::new(PerBlock::new(10));
        let runs = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (cache, runs) = (cache.clone(), runs.clone());
                tokio::spawn(async move {
                    cache
                        .get_or_try_compute(1, A, || async {
                            runs.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                            Ok::<_, ()>(42)
                        })
                        .await
                        .unwrap()
                        .0
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), 42);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }
}
