-- Vouchers (issue 22): the desks' keys with their terms, and how many vouchers each
-- order paid for, so a desk signs exactly that many. Written through from events;
-- a purchase names its buyer on chain, but no row here does.

CREATE TABLE voucher_keys (
    key_id BIGINT PRIMARY KEY,
    desk TEXT NOT NULL,
    public_key TEXT NOT NULL,
    denomination TEXT NOT NULL,
    relay_fee TEXT NOT NULL,
    stipend TEXT NOT NULL,
    price_live TEXT NOT NULL,
    price_native TEXT NOT NULL,
    redeem_until_ms BIGINT NOT NULL,
    registered_block BIGINT NOT NULL,
    closed_block BIGINT
);
CREATE INDEX voucher_keys_by_public_key ON voucher_keys (public_key);

CREATE TABLE voucher_orders (
    order_ref TEXT NOT NULL,
    key_id BIGINT NOT NULL,
    paid_count BIGINT NOT NULL,
    PRIMARY KEY (order_ref, key_id)
);
