//! A list-append history checker in the manner of Elle: each stream is a list, each append adds
//! one unique value to it, and each read returns the whole list. Because every value is
//! written once, a read names exactly which appends it saw and in which order, so lost,
//! duplicated, reordered, aborted and stale writes can each be found from the history alone.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::Instant;

/// What an operation did, as the client saw it.
#[derive(Clone, Debug)]
pub(crate) enum Outcome {
    /// The append was acknowledged.
    Appended,
    /// The append was refused (a version conflict): it must never be seen.
    Refused,
    /// The client cannot know (an error after the request left it): it may be seen, once.
    Unknown,
    /// A read, with the values it returned in order.
    Read(Vec<u64>),
}

/// One operation of the history: invoked and completed at these instants.
#[derive(Clone, Debug)]
pub(crate) struct Op {
    pub(crate) client: usize,
    pub(crate) key: String,
    /// The value appended; none for a read.
    pub(crate) value: Option<u64>,
    pub(crate) outcome: Outcome,
    pub(crate) invoked: Instant,
    pub(crate) completed: Instant,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// An acknowledged append missing from the final state.
    LostWrite,
    /// A value seen twice in one list.
    Duplicate,
    /// A value no append ever wrote.
    Garbage,
    /// A refused append's value seen.
    AbortedRead,
    /// Two reads of a key whose lists are not one a prefix of the other, or a read that is not
    /// a prefix of the final list.
    IncompatibleOrder,
    /// A read that misses an append acknowledged before the read began.
    StaleRead,
    /// A read that sees an append invoked after the read completed.
    FutureRead,
    /// Two appends in an order that contradicts real time: one acknowledged before the other
    /// began, yet later in the list.
    RealTimeOrder,
}

#[derive(Clone, Debug)]
pub(crate) struct Anomaly {
    pub(crate) kind: Kind,
    pub(crate) key: String,
    pub(crate) what: String,
}

impl fmt::Display for Anomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} on {}: {}", self.kind, self.key, self.what)
    }
}

/// Checks a history against the final state of each key (read after every client stopped).
pub(crate) fn check(history: &[Op], last: &HashMap<String, Vec<u64>>) -> Vec<Anomaly> {
    let mut anomalies = Vec::new();
    let mut found = |kind, key: &str, what: String| {
        anomalies.push(Anomaly {
            kind,
            key: key.to_owned(),
            what,
        })
    };
    let appends: HashMap<u64, &Op> = history
        .iter()
        .filter_map(|op| op.value.map(|v| (v, op)))
        .collect();
    let reads = history.iter().filter_map(|op| match &op.outcome {
        Outcome::Read(values) => Some((op, values)),
        _ => None,
    });

    // Each list on its own: every value once, written by an append to this key that was not
    // refused.
    let lists = reads
        .clone()
        .map(|(op, values)| (op.key.as_str(), values, Some(op)))
        .chain(
            last.iter()
                .map(|(key, values)| (key.as_str(), values, None)),
        );
    for (key, values, _) in lists.clone() {
        let mut seen = HashSet::new();
        for value in values {
            if !seen.insert(value) {
                found(Kind::Duplicate, key, format!("{value} twice in {values:?}"));
            }
            match appends.get(value) {
                None => found(Kind::Garbage, key, format!("{value} was never appended")),
                Some(append) if append.key != key => found(
                    Kind::Garbage,
                    key,
                    format!("{value} was appended to {}", append.key),
                ),
                Some(append) if matches!(append.outcome, Outcome::Refused) => found(
                    Kind::AbortedRead,
                    key,
                    format!("{value} was refused to client {}", append.client),
                ),
                Some(_) => {}
            }
        }
    }

    // Every read a prefix of the final list: one order for each key, and nothing read that
    // was later undone.
    for (key, values, read) in lists {
        let final_list = last.get(key).map(Vec::as_slice).unwrap_or_default();
        if read.is_some() && !final_list.starts_with(values) {
            found(
                Kind::IncompatibleOrder,
                key,
                format!("read {values:?} is not a prefix of the final {final_list:?}"),
            );
        }
    }

    // Acknowledged appends are in the final list.
    for op in history {
        if let (Some(value), Outcome::Appended) = (op.value, &op.outcome)
            && !last.get(&op.key).is_some_and(|list| list.contains(&value))
        {
            found(
                Kind::LostWrite,
                &op.key,
                format!("{value}, acknowledged to client {}", op.client),
            );
        }
    }

    // Real time: what was acknowledged before a read began is in it; what began after the read
    // ended is not; and appends keep the order in which they were acknowledged and begun.
    for (read, values) in reads {
        let seen: HashSet<u64> = values.iter().copied().collect();
        for append in history.iter().filter(|op| op.key == read.key) {
            let Some(value) = append.value else { continue };
            if matches!(append.outcome, Outcome::Appended)
                && append.completed < read.invoked
                && !seen.contains(&value)
            {
                found(
                    Kind::StaleRead,
                    &read.key,
                    format!(
                        "a read by client {} misses {value}, acknowledged before it began",
                        read.client
                    ),
                );
            }
            if append.invoked > read.completed && seen.contains(&value) {
                found(
                    Kind::FutureRead,
                    &read.key,
                    format!(
                        "a read by client {} sees {value}, appended after it ended",
                        read.client
                    ),
                );
            }
        }
    }
    for (key, list) in last {
        let index: HashMap<u64, usize> = list.iter().enumerate().map(|(i, v)| (*v, i)).collect();
        let acknowledged: Vec<&Op> = history
            .iter()
            .filter(|op| &op.key == key && matches!(op.outcome, Outcome::Appended))
            .filter(|op| op.value.is_some_and(|v| index.contains_key(&v)))
            .collect();
        for a in &acknowledged {
            for b in &acknowledged {
                let (Some(va), Some(vb)) = (a.value, b.value) else {
                    continue;
                };
                if a.completed < b.invoked && index[&va] > index[&vb] {
                    found(
                        Kind::RealTimeOrder,
                        key,
                        format!("{va} was acknowledged before {vb} began, yet comes after it"),
                    );
                }
            }
        }
    }
    anomalies
}
