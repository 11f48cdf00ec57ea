//! Files linted on every core, output in input order.
//!
//! `ldic lint` hands whole files to a fixed set of scoped threads that take the next index from
//! one shared counter (a work queue without a queue) and gives the results back in input order,
//! so the output of N threads is byte-identical to one thread's. std only: a work item is a whole
//! file, coarse enough that rayon's work stealing would buy nothing over a counter.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The number of threads: `requested` (`--threads` / `LDIC_THREADS`), else one per core.
pub fn threads(requested: Option<NonZeroUsize>) -> usize {
    requested
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get)
}

/// `work` applied to every item on up to `threads` threads; the results in the order of `items`.
/// A panic in `work` is resumed on the calling thread.
pub fn map_in_order<T, R, F>(items: &[T], threads: usize, work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(&work).collect();
    }
    let next = AtomicUsize::new(0);
    let finished: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            break;
                        };
                        done.push((index, work(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (index, result) in finished.into_iter().flatten() {
        slots[index] = Some(result);
    }
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work, so threads finish out of order.
        let work = |n: &u64| (0..(n % 7) * 1000).fold(*n, |a, b| a.wrapping_add(b) % 1_000_003);
        let one = map_in_order(&items, 1, work);
        for threads in [2, 3, 8, 1000] {
            assert_eq!(
                map_in_order(&items, threads, work),
                one,
                "{threads} threads"
            );
        }
        assert!(map_in_order(&[] as &[u64], 4, work).is_empty());
    }
}
