//! Files linted on every core, output in input order.
//!
//! `ldic lint` hands whole files to a fixed set of scoped threads that draw the next one from the
//! directory walk (a work queue without a queue) and hands each result back, in input order, as
//! soon as it and those before it are done, so the output of N threads is byte-identical to one
//! thread's and is written while later files are linted. std only: a work item is a whole file,
//! coarse enough that rayon's work stealing would buy nothing over a shared iterator.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::panic::AssertUnwindSafe;
use std::sync::{Condvar, Mutex, PoisonError};

/// The number of threads: `requested` (`--threads` / `LDIC_THREADS`), else one per core.
pub fn threads(requested: Option<NonZeroUsize>) -> usize {
    requested
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get)
}

/// `work` applied to every item on up to `threads` threads, each result handed to `consume` on
/// the calling thread in the order of `items`, as soon as it and those before it are done.
/// `items` is drawn as the workers need them (a directory walk feeds the workers while they
/// lint). A worker starts an item only within `4 * threads` of the next one to consume, so a slow
/// item holds back at most that many finished results. A panic in `work` is resumed on the
/// calling thread.
pub fn for_each_in_order<I, R, F, C>(items: I, threads: usize, work: F, mut consume: C)
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync,
    C: FnMut(R),
{
    let items = items.into_iter();
    if threads <= 1 {
        items.for_each(|item| consume(work(item)));
        return;
    }
    let window = 4 * threads;
    let source = Mutex::new((items, 0usize));
    // How many results were consumed; `usize::MAX` once a worker panicked (everyone stops).
    let consumed = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = std::sync::mpsc::channel();
    let panic = std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (source, consumed, work) = (&source, &consumed, &work);
            scope.spawn(move || {
                while let Some((index, item)) = next_within(source, consumed, window) {
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
                let mut done = lock.lock().unwrap_or_else(PoisonError::into_inner);
                match result {
                    Ok(r) => {
                        wanted += 1;
                        *done = wanted;
                        drop(done);
                        turn.notify_all();
                        consume(r);
                    }
                    Err(panic) => {
                        *done = usize::MAX;
                        drop(done);
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

/// The next item and its index, once it is within `window` of the next result to consume;
/// `None` when the items are exhausted or a worker panicked.
fn next_within<I: Iterator>(
    source: &Mutex<(I, usize)>,
    consumed: &(Mutex<usize>, Condvar),
    window: usize,
) -> Option<(usize, I::Item)> {
    let (index, item) = {
        let mut source = source.lock().unwrap_or_else(PoisonError::into_inner);
        let item = source.0.next()?;
        let index = source.1;
        source.1 += 1;
        (index, item)
    };
    let (lock, turn) = consumed;
    let mut done = lock.lock().unwrap_or_else(PoisonError::into_inner);
    while *done != usize::MAX && index >= *done + window {
        done = turn.wait(done).unwrap_or_else(PoisonError::into_inner);
    }
    (*done != usize::MAX).then_some((index, item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work, so threads finish out of order.
        let work = |n: &u64| (0..(n % 7) * 1000).fold(*n, |a, b| a.wrapping_add(b) % 1_000_003);
        let one: Vec<u64> = items.iter().map(work).collect();
        let mut none = Vec::new();
        for_each_in_order(&[] as &[u64], 4, work, |r| none.push(r));
        assert!(none.is_empty());
        for threads in [1, 2, 3, 8, 1000] {
            let mut streamed = Vec::new();
            for_each_in_order(&items, threads, work, |r| streamed.push(r));
            let mut drawn = Vec::new();
            for_each_in_order(
                items.iter().copied(),
                threads,
                |n| work(&n),
                |r| drawn.push(r),
            );
            assert_eq!(drawn, one, "{threads} threads, drawn from an iterator");
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
