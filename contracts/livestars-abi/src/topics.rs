//! ink! 5's topics, and why an event could not be decoded.

use scale::Decode;

/// A field that can be an event topic, as ink! 5 emits it: an account is its 32
/// bytes; an `Option` is its value's topic, or 32 zero bytes for `None` (ink!
/// unwraps options before it encodes a topic).
pub trait Topic {
    fn topic(&self) -> [u8; 32];
}

impl Topic for [u8; 32] {
    fn topic(&self) -> [u8; 32] {
        *self
    }
}

#[cfg(feature = "ink")]
impl Topic for ink::primitives::AccountId {
    fn topic(&self) -> [u8; 32] {
        *self.as_ref()
    }
}

impl<T: Topic> Topic for Option<T> {
    fn topic(&self) -> [u8; 32] {
        self.as_ref().map_or([0; 32], Topic::topic)
    }
}

/// Why an event could not be decoded; the indexer keeps the raw event regardless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The event has no topics at all.
    NoTopic,
    /// The signature topic is none of ours.
    UnknownTopic([u8; 32]),
    /// The data does not decode as the event's fields.
    Malformed {
        event: &'static str,
        source: scale::Error,
    },
    /// The fields decoded and bytes were left over.
    Trailing { event: &'static str, extra: usize },
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NoTopic => write!(f, "no signature topic"),
            Self::UnknownTopic(topic) => {
                write!(f, "unknown signature topic 0x")?;
                topic.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
            }
            Self::Malformed { event, source } => write!(f, "{event}: {source}"),
            Self::Trailing { event, extra } => write!(f, "{event}: {extra} trailing bytes"),
        }
    }
}

impl core::error::Error for DecodeError {}

/// Decodes `T` and insists on consuming every byte of `data`.
pub(crate) fn exact<T: Decode>(event: &'static str, data: &[u8]) -> Result<T, DecodeError> {
    let mut input = data;
    let value = T::decode(&mut input).map_err(|source| DecodeError::Malformed { event, source })?;
    if input.is_empty() {
        Ok(value)
    } else {
        Err(DecodeError::Trailing {
            event,
            extra: input.len(),
        })
    }
}

/// A 32-byte value from 64 lower-case hex digits, at compile time, so the event
/// table reads like the metadata it mirrors.
// Compile-time only, on indices bounded by the asserted length.
#[allow(clippy::arithmetic_side_effects)]
pub(crate) const fn hex(digits: &str) -> [u8; 32] {
    let digits = digits.as_bytes();
    assert!(digits.len() == 64, "a topic is 32 bytes");
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(digits[2 * i]) << 4) | nibble(digits[2 * i + 1]);
        i += 1;
    }
    out
}

#[allow(clippy::arithmetic_side_effects)]
const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("lower-case hex only"),
    }
}
