//! The OpenAPI 3.1 description, generated from the handlers' `#[utoipa::path]`
//! attributes and the types they answer with, so it cannot drift from the code.
//! Here: the document's header and the value types whose JSON is a string with a
//! shape (accounts, amounts, hashes, cursors), each with the pattern it always has.

use crate::views::GoalReachedView;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{OpenApi, PartialSchema, ToSchema};

/// The document around the generated paths and schemas.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "livestars API",
        version = "1",
        description = "Tips, private shows, performers, leaderboards, live feed and rating audits mirrored \
            from the LIVE contract (live_token: token, tips and rating in one). Accounts are \
            SS58 (32-byte hex accepted in paths); amounts are decimal strings (u128); every \
            error is a JSON body `{\"error\": {\"code\", \"message\"}}`."
    ),
    // The goal feed's events are text/event-stream data: named here so clients get their type.
    components(schemas(Ss58, AccountInput, Amount, Hash32, BlockHash, TipPosition, RankCursor, GoalReachedView)),
    tags(
        (name = "performers", description = "Registered performers, their totals and ratings"),
        (name = "tips", description = "Settled tips, newest first, and the live feed"),
        (name = "ratings", description = "Rankings and the rating audit"),
        (name = "profiles", description = "Public profiles: published signed, bound to the on-chain commitment, erasable"),
        (name = "room", description = "The performer's room: tip menu and goal (signed), notes on tips (sealed messages), the overlay link"),
        (name = "shows", description = "Private shows: terms, sessions and sums, their live feed, and the signaling relay"),
        (name = "service", description = "Indexing status, chain, health and metrics"),
    )
)]
pub struct ApiDoc;

/// Declares a string type with a fixed shape as a named schema.
macro_rules! string_schema {
    ($(#[$doc:meta])* $name:ident, $pattern:expr, $description:expr, $example:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some($pattern))
                    .description(Some($description))
                    .examples([$example])
                    .into()
            }
        }

        impl ToSchema for $name {}
    };
}

string_schema!(
    /// An account as the API shows it.
    Ss58,
    "^[1-9A-HJ-NP-Za-km-z]{48}$",
    "An account in SS58 (generic substrate prefix 42)",
    "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
);

string_schema!(
    /// An account as a client may write it.
    AccountInput,
    "^((0x)?[0-9a-fA-F]{64}|[1-9A-HJ-NP-Za-km-z]{46,50})$",
    "An account in SS58 or as 32 bytes of hex (with or without 0x)",
    "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
);

string_schema!(
    /// A `u128` amount in base units.
    Amount,
    "^(0|[1-9][0-9]{0,38})$",
    "An amount in base units (LIVE has 12 decimals), as decimal digits (u128)",
    "10000000000000"
);

string_schema!(
    /// A 32-byte commitment or block hash.
    Hash32,
    "^[0-9a-f]{64}$",
    "32 bytes as lower-case hex, without 0x",
    "ab".repeat(32)
);

string_schema!(
    /// A block hash, as the node's RPCs write it.
    BlockHash,
    "^0x[0-9a-f]{64}$",
    "A block hash: 0x and 32 bytes of lower-case hex",
    format!("0x{}", "ab".repeat(32))
);

string_schema!(
    /// A tip's position on the chain: the id of a tip, the cursor of tip pages and
    /// the live feed's event id.
    TipPosition,
    "^[0-9]{1,10}-[0-9]{1,10}$",
    "A tip's position on the chain, BLOCK-EVENT",
    "1234-5"
);

string_schema!(
    /// The cursor of a leaderboard page.
    RankCursor,
    "^[0-9]{1,10}$",
    "next_cursor of the previous page: the rank it ended with",
    "50"
);

#[cfg(test)]
mod tests {
    use livestars_indexer::config::ss58;

    /// The patterns are checked where it matters (the e2e suite validates the spec);
    /// here, that the values we show fit the shapes we declare for them.
    #[test]
    fn shown_values_have_the_declared_lengths() {
        for account in [[0u8; 32], [0xff; 32], [0x2a; 32]] {
            let shown = ss58(&account);
            assert_eq!(shown.len(), 48, "{shown}");
            assert!(shown
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() && !b"0OIl".contains(&b)));
        }
        assert_eq!(u128::MAX.to_string().len(), 39);
    }
}
