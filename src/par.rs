//! Work on every core: map a slice in small pieces on scoped threads, put back in order, so results
//! (and so every output) never depend on the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads to use: the cores (at most 8), or `TRACKER_THREADS` (the tests compare 1 with many).
pub fn threads() -> usize {
    std::env::var("TRACKER_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(8))
}

/// `items.iter().map(f).collect()`, on `threads()` threads, in the items' order.
///
/// The items are cut into many small pieces that the threads take in turn as each finishes one:
/// cut into one half per thread, a half holding the big files (a unit group leading hundreds of
/// tasks) kept one core busy long after the other was done.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads();
    let pieces: Vec<&[T]> = items.chunks(items.len().div_ceil(threads * 32).max(1)).collect();
    let next = AtomicUsize::new(0);
    let (f, pieces, next) = (&f, &pieces, &next);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.min(pieces.len()))
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(piece) = pieces.get(i) else { break done };
                        done.push((i, piece.iter().map(f).collect::<Vec<R>>()));
                    }
                })
            })
            .collect();
        let mut done: Vec<(usize, Vec<R>)> = handles.into_iter().flat_map(|h| joined(h.join())).collect();
        done.sort_unstable_by_key(|(i, _)| *i);
        let mut out = Vec::with_capacity(items.len());
        done.into_iter().for_each(|(_, results)| out.extend(results));
        out
    })
}

/// A thread's result, its panic (if any) carried on to the thread that joined it.
pub fn joined<T>(result: std::thread::Result<T>) -> T {
    result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(
            super::map(&items, |x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        assert!(super::map(&[] as &[u32], |x| *x).is_empty());
    }
}
