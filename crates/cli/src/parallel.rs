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

/// `work` applied to every item on up to `threads` threads, each result handed to `consume` in
/// the order of `items` as soon as it and those before it are done (by whichever worker finished
/// the last of them; the calling thread is one of the workers, so no thread only waits). `items`
/// is drawn as the workers need them (a directory walk feeds the workers while they lint). A
/// worker starts an item only within `4 * threads` of the next one to consume, so a slow item
/// holds back at most that many finished results. A panic in `work` is resumed on the calling
/// thread.
pub fn for_each_in_order<I, R, F, C>(items: I, threads: usize, work: F, mut consume: C)
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    R: Send,
    F: Fn(I::Item) -> R + Sync,
    C: FnMut(R) + Send,
{
    let items = items.into_iter();
    if threads <= 1 {
        items.for_each(|item| consume(work(item)));
        return;
    }
    let shared = Shared {
        source: Mutex::new((items, 0usize)),
        order: Mutex::new(Order {
            finished: BTreeMap::new(),
            wanted: 0,
            waiting: 0,
            panic: None,
            consume,
        }),
        turn: Condvar::new(),
        window: 4 * threads,
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|| shared.work(&work));
        }
        shared.work(&work);
    });
    let order = shared
        .order
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(panic) = order.panic {
        std::panic::resume_unwind(panic);
    }
}

/// `items` drawn on a thread of their own, in batches, ahead of the consumer: a directory walk
/// keeps reading (and sorting large directories) while the workers lint, instead of the worker
/// drawing the next file doing it while the others wait for theirs. A panic on that thread is
/// resumed on the consumer's.
pub fn prefetch<I>(items: I) -> impl Iterator<Item = I::Item> + Send
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
{
    const BATCH: usize = 256;
    // How far the walk may run ahead: 256 batches, 65,536 paths (a few MB). A sorted walk reads and
    // sorts a whole directory before it yields its first entry, so a directory of 45,000 files
    // took the walk ~200 ms during which 16 batches (4,096 files, ~35 ms of linting on two
    // workers) ran dry and the workers waited (a `perf` timeline of a 100,000-file run); with
    // this lead the next directory is read while the workers lint the last one.
    const AHEAD: usize = 256;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<I::Item>>(AHEAD);
    let walker = std::thread::spawn(move || {
        let mut items = items.peekable();
        while items.peek().is_some() {
            if tx.send(items.by_ref().take(BATCH).collect()).is_err() {
                break;
            }
        }
    });
    let mut walker = Some(walker);
    rx.into_iter()
        .chain(std::iter::from_fn(move || {
            // The walk ended: resume its panic, if it panicked.
            if let Some(Err(panic)) = walker.take().map(std::thread::JoinHandle::join) {
                std::panic::resume_unwind(panic);
            }
            None
        }))
        .flatten()
}

/// What the workers of [`for_each_in_order`] share.
struct Shared<S, R, C> {
    /// The items and the index of the next one.
    source: Mutex<(S, usize)>,
    order: Mutex<Order<R, C>>,
    /// Signalled when results are consumed (for workers waiting for the window).
    turn: Condvar,
    window: usize,
}

/// The results waiting for those before them, and who consumes them.
struct Order<R, C> {
    finished: BTreeMap<usize, std::thread::Result<R>>,
    /// The index of the next result to consume; `usize::MAX` after a panic (everyone stops).
    wanted: usize,
    /// Workers waiting for the window to move.
    waiting: usize,
    panic: Option<Box<dyn std::any::Any + Send>>,
    consume: C,
}

impl<S: Iterator, R, C: FnMut(R)> Shared<S, R, C> {
    /// One worker: draw, work, hand over in order, until the items run out.
    fn work(&self, work: &(impl Fn(S::Item) -> R + Sync)) {
        while let Some((index, item)) = self.next_within() {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(item)));
            let mut guard = self.order.lock().unwrap_or_else(PoisonError::into_inner);
            let order = &mut *guard;
            order.finished.insert(index, result);
            let before = order.wanted;
            while let Some(result) = order.finished.remove(&{ order.wanted }) {
                match result {
                    Ok(r) => {
                        (order.consume)(r);
                        order.wanted += 1;
                    }
                    Err(panic) => {
                        order.panic = Some(panic);
                        order.wanted = usize::MAX;
                        break;
                    }
                }
            }
            if order.wanted != before && order.waiting > 0 {
                self.turn.notify_all();
            }
        }
    }

    /// The next item and its index, once it is within the window of the next result to
    /// consume; `None` when the items are exhausted or a worker panicked.
    fn next_within(&self) -> Option<(usize, S::Item)> {
        let (index, item) = {
            let mut source = self.source.lock().unwrap_or_else(PoisonError::into_inner);
            let item = source.0.next()?;
            let index = source.1;
            source.1 += 1;
            (index, item)
        };
        let mut order = self.order.lock().unwrap_or_else(PoisonError::into_inner);
        while order.wanted != usize::MAX && index >= order.wanted + self.window {
            order.waiting += 1;
            order = self
                .turn
                .wait(order)
                .unwrap_or_else(PoisonError::into_inner);
            order.waiting -= 1;
        }
        (order.wanted != usize::MAX).then_some((index, item))
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
    fn prefetched_items_come_in_order_and_a_panic_is_resumed() {
        let items: Vec<u64> = prefetch(0..1000u64).collect();
        assert_eq!(items, (0..1000).collect::<Vec<_>>());
        let caught = std::panic::catch_unwind(|| {
            prefetch((0..10u64).inspect(|n| assert!(*n != 5, "walk failed"))).count()
        });
        assert!(caught.is_err());
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
