//! `events!`: one declaration per event becomes everything the contract and the
//! indexer need to agree on.
//!
//! For each event it writes the struct (SCALE-encoded in declaration order, as
//! ink! 5 lays out an event's data), under the `ink` feature the `ink::Event` and
//! metadata derives with `[topic]` fields as `#[ink(topic)]`, the signature topic
//! as a constant (`tests` checks it against the one ink! computes), the topics the
//! event is emitted with, and its arm in [`LiveEvent`](crate::LiveEvent) with
//! `decode`, `encode` and `name`.

/// Runs its body only for fields marked `[topic]` (and refuses any other mark).
macro_rules! if_topic {
    (topic, $($body:tt)*) => { $($body)* };
}

macro_rules! events {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $signature:literal {
            $(
                $(#[doc = $field_doc:literal])*
                $([$mark:ident])? $field:ident : $ty:ty
            ),* $(,)?
        }
    )*) => {
        $(
            $(#[doc = $doc])*
            #[derive(Debug, Clone, PartialEq, Eq, scale::Encode, scale::Decode)]
            #[codec(crate = scale)]
            #[cfg_attr(feature = "ink", derive(ink::Event))]
            #[cfg_attr(all(feature = "ink", feature = "std"), derive(ink::EventMetadata))]
            pub struct $name {
                $(
                    $(#[doc = $field_doc])*
                    $(#[cfg_attr(feature = "ink", ink($mark))])?
                    pub $field: $ty,
                )*
            }

            impl $name {
                /// The event's name, as the contract's metadata spells it.
                pub const NAME: &'static str = stringify!($name);
                /// The signature topic ink! 5 gives this event (its first topic).
                pub const SIGNATURE: [u8; 32] = $crate::topics::hex($signature);

                /// The topics the contract emits this event with: the signature,
                /// then one per `[topic]` field in declaration order.
                pub fn topics(&self) -> alloc::vec::Vec<[u8; 32]> {
                    #[allow(unused_mut)]
                    let mut topics = alloc::vec![Self::SIGNATURE];
                    $($(if_topic!($mark, topics.push($crate::Topic::topic(&self.$field)););)?)*
                    topics
                }
            }

            impl From<$name> for LiveEvent {
                fn from(event: $name) -> Self {
                    Self::$name(event)
                }
            }

            #[cfg(feature = "sample")]
            impl $crate::Sample for $name {
                fn sample(rng: &mut $crate::Rng) -> Self {
                    Self { $($field: $crate::Sample::sample(rng),)* }
                }
            }
        )*

        /// Any event of the LIVE contract.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum LiveEvent {
            $($name($name),)*
        }

        impl LiveEvent {
            /// Every event's name with its signature topic.
            pub const ALL: &'static [(&'static str, [u8; 32])] =
                &[$(($name::NAME, $name::SIGNATURE),)*];

            /// The event's name, as the contract's metadata spells it.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Self::$name(_) => $name::NAME,)*
                }
            }

            /// Decodes an event from the topics and data of a `ContractEmitted`,
            /// recognised by its signature topic. Every byte of `data` must be
            /// consumed, so a layout drift is an error instead of a wrong value.
            pub fn decode(topics: &[[u8; 32]], data: &[u8]) -> Result<Self, $crate::DecodeError> {
                let signature = *topics.first().ok_or($crate::DecodeError::NoTopic)?;
                match signature {
                    $($name::SIGNATURE => $crate::topics::exact($name::NAME, data).map(Self::$name),)*
                    other => Err($crate::DecodeError::UnknownTopic(other)),
                }
            }

            /// The topics and data the contract emits this event with.
            pub fn encode(&self) -> (alloc::vec::Vec<[u8; 32]>, alloc::vec::Vec<u8>) {
                match self {
                    $(Self::$name(event) => (event.topics(), scale::Encode::encode(event)),)*
                }
            }

            /// One arbitrary event of every kind, in declaration order.
            #[cfg(feature = "sample")]
            pub fn samples(rng: &mut $crate::Rng) -> alloc::vec::Vec<Self> {
                alloc::vec![$(Self::$name($crate::Sample::sample(rng)),)*]
            }
        }
    };
}
