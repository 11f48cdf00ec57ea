//! Files linted on every core, output in input order.
//!
//! `ldic lint` hands whole files to a fixed set of scoped threads that take the next index from
//! one shared counter (a work queue without a queue) and gives the results back in input order,
//! so the output of N threads is byte-identical to one thread's. std only: a work item is a whole
//! file, coarse enough that rayon's work stealing would buy nothing over a counter.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

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

/// `work` applied to every item on up to `threads` threads, each result handed to `consume` on
/// the calling thread in the order of `items`, as soon as it and those before it are done. A
/// worker starts an item only within `4 * threads` of the next one to consume, so a slow item
/// holds back at most that many finished results. A panic in `work` is resumed on the calling
/// thread.
pub fn for_each_in_order<T, R, F, C>(items: &[T], threads: usize, work: F, mut consume: C)
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    C: FnMut(R),
{
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        items.iter().for_each(|item| consume(work(item)));
        return;
    }
    let window = 4 * threads;
    let next = AtomicUsize::new(0);
    // How many results were consumed; `usize::MAX` once a worker panicked (everyone stops).
    let consumed = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = std::sync::mpsc::channel();
    let panic = std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, consumed, work) = (&next, &consumed, &work);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    let (lock, turn) = consumed;
                    let mut done = lock.lock().unwrap_or_else(PoisonError::into_inner);
                    while *done != usize::MAX && index >= *done + window {
                        done = turn.wait(done).unwrap_or_else(PoisonError::into_inner);
                    }
                    if *done == usize::MAX {
                        break;
                    }
                    drop(done);
                    let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                    if tx.send((index, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut finished = BTreeMap::new();
        let mut wanted = 0usize;
        for (index, result) in rx {
            finished.insert(index, result);
            while let Some(result) = finished.remove(&wanted) {
                let (lock, turn) = &consumed;
                match result {
                    Ok(r) => {
                        consume(r);
                        wanted += 1;
                        *lock.lock().unwrap_or_else(PoisonError::into_inner) = wanted;
                        turn.notify_all();
                    }
                    Err(panic) => {
                        *lock.lock().unwrap_or_else(PoisonError::into_inner) = usize::MAX;
                        turn.notify_all();
                        return Some(panic);
                    }
                }
            }
        }
        None
    });
    if let Some(panic) = panic {
        std::panic::resume_unwind(panic);
    }
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
        for threads in [1, 2, 3, 8] {
            let mut streamed = Vec::new();
            for_each_in_order(&items, threads, work, |r| streamed.push(r));
            assert_eq!(streamed, one, "{threads} threads, streamed");
        }
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller_without_a_deadlock() {
        let items: Vec<u64> = (0..200).collect();
        let caught = std::panic::catch_unwind(|| {
            for_each_in_order(&items, 3, |n| assert!(*n != 17, "boom"), |()| {});
        });
        assert!(caught.is_err());
    }
}
