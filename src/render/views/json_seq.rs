//! A JSON array written item by item as it is made, so a long list is never held whole.

use serde::{Serialize, Serializer};

/// Serializes the items `make` yields as a sequence; `make` runs once per serialization.
pub(crate) struct Streamed<F>(pub F);

impl<F, I> Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}
