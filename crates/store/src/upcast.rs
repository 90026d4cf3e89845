//! Upcasters: functions that bring a payload stored at an old schema version up to the next,
//! keyed by (event type, schema version). The store applies them on every read path, so
//! readers only ever see current payloads, while the log keeps the bytes it hashed.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// One step: the payload at `(event type, from)` becomes the payload at `to`.
pub type Upcaster =
    Arc<dyn Fn(serde_json::Value) -> Result<serde_json::Value, String> + Send + Sync>;

/// The registry of upcasters.
#[derive(Clone, Default)]
pub struct Upcasters {
    steps: HashMap<(String, u32), (u32, Upcaster)>,
}

impl fmt::Debug for Upcasters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<_> = self
            .steps
            .iter()
            .map(|((t, from), (to, _))| format!("{t} {from}->{to}"))
            .collect();
        keys.sort();
        f.debug_struct("Upcasters").field("steps", &keys).finish()
    }
}

impl Upcasters {
    pub fn new() -> Self {
        Upcasters::default()
    }

    /// Registers the step from `from` to `to`. Steps only go forward, so applying them ends.
    pub fn register(
        &mut self,
        event_type: &str,
        from: u32,
        to: u32,
        step: impl Fn(serde_json::Value) -> Result<serde_json::Value, String> + Send + Sync + 'static,
    ) -> &mut Self {
        assert!(
            to > from,
            "an upcaster for {event_type} must go forward, not from {from} to {to}"
        );
        self.steps
            .insert((event_type.to_owned(), from), (to, Arc::new(step)));
        self
    }

    /// Applies every step from `version` on, and returns the payload and its final version.
    pub fn upcast(
        &self,
        event_type: &str,
        mut version: u32,
        mut payload: serde_json::Value,
    ) -> Result<(u32, serde_json::Value), String> {
        while let Some((to, step)) = self.steps.get(&(event_type.to_owned(), version)) {
            payload = step(payload).map_err(|problem| {
                format!("upcasting {event_type} from version {version}: {problem}")
            })?;
            version = *to;
        }
        Ok((version, payload))
    }
}
