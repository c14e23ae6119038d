//! Work on every core: map a slice on a pool of threads, put back in order, so results (and so
//! every output) never depend on the number of threads.

use std::sync::OnceLock;

use rayon::prelude::*;

/// Threads to use: the cores (at most 8), or `TRACKER_THREADS` (the tests compare 1 with many);
/// a value that is not 1–64 is said to be ignored, once, when the threads start.
pub(crate) fn threads() -> usize {
    let cores = || std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let Some(given) = std::env::var_os("TRACKER_THREADS") else {
        return cores();
    };
    match given.to_str().and_then(|v| v.trim().parse().ok()) {
        Some(n @ 1..=64) => n,
        _ => {
            let shown = crate::text::clip(given.to_string_lossy().into_owned(), 40);
            eprintln!("注意：TRACKER_THREADS「{shown}」不是 1–64 之间的整数，已忽略，按处理器核数运行。");
            cores()
        }
    }
}

/// `items.iter().map(f).collect()`, on `threads()` threads, in the items' order.
///
/// The threads are one pool for the whole run, split the work finely and take from each other as
/// each runs out (a unit group leading hundreds of tasks makes some files far bigger than others).
/// They are not spawned per call: each new thread had its own allocator heap, and the memory a
/// finished thread's heap held went unused while new threads zeroed fresh pages, call after call.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    match pool() {
        Some(pool) => pool.install(|| items.par_iter().map(&f).collect()),
        None => items.iter().map(f).collect(),
    }
}

/// `(a(), b())`, the two side by side on the pool (one after the other without one).
pub(crate) fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    match pool() {
        Some(pool) => pool.install(|| rayon::join(a, b)),
        None => (a(), b()),
    }
}

/// Runs `f` on one of the pool's threads, so that what it allocates and frees between the work it
/// hands out shares the workers' allocator heaps.
pub(crate) fn within<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// The run's worker threads, made on first use; none if the system would not start them (then
/// the work runs on the calling thread).
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads())
            .thread_name(|i| format!("tracker-{i}"))
            // The command itself runs on one of them (see `within`): the main thread's stack.
            .stack_size(8 << 20)
            .build()
            .ok()
    })
    .as_ref()
}

/// A thread's result, its panic (if any) carried on to the thread that joined it.
pub(crate) fn joined<T>(result: std::thread::Result<T>) -> T {
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
