//! A small generic discrete-event queue. It knows nothing of chips: events are popped
//! in the total order (time, kind rank, file order, scheduling sequence).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<E> {
    time: f64,
    kind_rank: u8,
    file_order: u32,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    fn key_cmp(&self, other: &Self) -> Ordering {
        self.time
            .total_cmp(&other.time)
            .then(self.kind_rank.cmp(&other.kind_rank))
            .then(self.file_order.cmp(&other.file_order))
            .then(self.seq.cmp(&other.seq))
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key_cmp(other) == Ordering::Equal
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed: BinaryHeap is a max-heap and we pop the earliest event.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key_cmp(self)
    }
}

/// A priority queue of events ordered by (time, kind rank, file order, sequence).
/// The sequence number makes the order total: equal keys pop in scheduling order.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue { heap: BinaryHeap::new(), next_seq: 0 }
    }
}

impl<E> EventQueue<E> {
    /// Empties the queue, keeping its memory for the next run.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.next_seq = 0;
    }

    /// Schedules `event` at `time`; ties are broken by `kind_rank`, then `file_order`,
    /// then the order of scheduling.
    pub fn push(&mut self, time: f64, kind_rank: u8, file_order: u32, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, kind_rank, file_order, seq, event });
    }

    /// Removes and returns the earliest event if its time is at most `limit`.
    pub fn pop_until(&mut self, limit: f64) -> Option<(f64, E)> {
        if self.heap.peek()?.time <= limit {
            self.heap.pop().map(|e| (e.time, e.event))
        } else {
            None
        }
    }

    /// Number of scheduled events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_kind_file_sequence_order() {
        let mut q = EventQueue::default();
        q.push(2.0, 0, 0, "late");
        q.push(1.0, 7, 0, "arrival");
        q.push(1.0, 0, 5, "tick");
        q.push(1.0, 7, 0, "arrival again");
        q.push(1.0, 2, 1, "ready b");
        q.push(1.0, 2, 0, "ready a");
        let mut order = Vec::new();
        while let Some((_, e)) = q.pop_until(f64::INFINITY) {
            order.push(e);
        }
        assert_eq!(order, ["tick", "ready a", "ready b", "arrival", "arrival again", "late"]);
    }

    #[test]
    fn pop_until_respects_the_limit() {
        let mut q = EventQueue::default();
        q.push(1.5, 0, 0, ());
        assert!(q.pop_until(1.0).is_none());
        assert!(q.pop_until(1.5).is_some());
        assert!(q.is_empty());
    }
}
