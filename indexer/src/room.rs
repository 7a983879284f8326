//! The performer's room, off-chain and bound to the chain the way profiles are:
//!
//! - the **room document** (tip menu and goal), signed by the performer with their
//!   wallet (no transaction per edit) and stored by the API;
//! - the **tip note** a viewer attaches to a tip: the menu item tipped for and a
//!   message sealed to the performer's key (`message_key` in the signed profile).
//!   The tip's on-chain `memo` is the note's blake2-256, so a note matches its tip and
//!   nothing else, and costs the tip nothing beyond the memo it already carries;
//! - the statements a performer signs to set the room and to make or revoke the
//!   overlay link.
//!
//! Canonical bytes, as for profiles: `serde_json` of the struct (fields declared in
//! alphabetical order, no whitespace, absent optional fields as `null`), which a
//! browser reproduces with `JSON.stringify` of an object built in the same key order.

use crate::config::ss58;
use crate::decode::{AccountId, Commitment};
use crate::profile::{blake2_256, parse_hash};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Most tips a goal's progress reads back (a busy evening's worth); beyond, the
/// progress is reported incomplete.
pub const GOAL_SCAN: u32 = 100_000;
/// Most items on a menu.
pub const MAX_MENU_ITEMS: usize = 30;
/// A sealed message's bytes beyond its padded plaintext: the sender's ephemeral
/// x25519 key (32), the nonce (24) and the authentication tag (16).
pub const SEAL_OVERHEAD: usize = 32 + 24 + 16;
/// The padded plaintext sizes a message may have: its length shows only its class.
pub const MESSAGE_CLASSES: [usize; 3] = [64, 256, 1024];

/// Why a room document or a note is refused; the message names the field, never its
/// value (it may be private).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{0}")]
pub struct RoomError(String);

fn refuse<T>(message: impl Into<String>) -> Result<T, RoomError> {
    Err(RoomError(message.into()))
}

/// A performer's room: what can be tipped for, and what the room is tipping towards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Room {
    pub goal: Option<Goal>,
    pub menu: Vec<MenuItem>,
}

/// A goal: `amount` of LIVE tipped from `since_ms` on, until `deadline_ms` if set
/// (gross, as viewers paid it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Plancks of LIVE, decimal digits.
    pub amount: String,
    /// When the goal lapses (ms), if ever.
    pub deadline_ms: Option<u64>,
    /// 1 to 60 characters.
    pub label: String,
    /// Tips from this instant (ms, block time) on count; not after the signature.
    pub since_ms: u64,
}

impl Goal {
    /// Whether a LIVE tip at `at_ms` (block time) counts towards the goal: from its
    /// start to its deadline, if it has one.
    pub fn counts(&self, at_ms: u64) -> bool {
        at_ms >= self.since_ms && self.deadline_ms.is_none_or(|deadline| at_ms <= deadline)
    }
}

/// One item of the tip menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// Unique on the menu; a note names the item by it.
    pub id: u32,
    /// 1 to 40 characters.
    pub label: String,
    /// Plancks of LIVE, decimal digits: the least a tip for this item pays.
    pub price: String,
    /// What the performer's toy does when the item is tipped for.
    pub toy: Option<ToyAction>,
}

/// Vibrate at `strength` percent for `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToyAction {
    /// 1 to 60.
    pub seconds: u32,
    /// 1 to 100 (percent).
    pub strength: u32,
}

/// Free text of `min..=max` characters, without control characters.
fn text(name: &str, value: &str, min: usize, max: usize) -> Result<(), RoomError> {
    let chars = value.chars().count();
    if chars < min || chars > max || value.trim() != value {
        return refuse(format!(
            "{name} must have {min} to {max} characters, without surrounding spaces"
        ));
    }
    if value.chars().any(char::is_control) {
        return refuse(format!("{name} must not hold control characters"));
    }
    Ok(())
}

/// A positive amount of plancks in decimal digits.
pub fn parse_amount(name: &str, digits: &str) -> Result<u128, RoomError> {
    match digits.parse::<u128>() {
        Ok(amount) if amount > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(amount),
        _ => refuse(format!("{name} must be a positive whole number of plancks")),
    }
}

impl Room {
    /// Checks every field's bounds.
    pub fn validate(&self) -> Result<(), RoomError> {
        if self.menu.len() > MAX_MENU_ITEMS {
            return refuse(format!("menu must have at most {MAX_MENU_ITEMS} items"));
        }
        let mut ids: Vec<u32> = self.menu.iter().map(|item| item.id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|pair| pair[0] == pair[1]) {
            return refuse("menu item ids must not repeat");
        }
        for item in &self.menu {
            text("a menu item's label", &item.label, 1, 40)?;
            parse_amount("a menu item's price", &item.price)?;
            if let Some(toy) = item.toy {
                if !(1..=60).contains(&toy.seconds) || !(1..=100).contains(&toy.strength) {
                    return refuse("a toy action must last 1 to 60 s at 1 to 100 %");
                }
            }
        }
        if let Some(goal) = &self.goal {
            text("the goal's label", &goal.label, 1, 60)?;
            parse_amount("the goal's amount", &goal.amount)?;
            if goal
                .deadline_ms
                .is_some_and(|deadline| deadline <= goal.since_ms)
            {
                return refuse("the goal's deadline must come after its start");
            }
        }
        Ok(())
    }

    /// The canonical bytes (see the module).
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a room always serializes")
    }

    /// The item `id`, if the menu has it.
    pub fn item(&self, id: u32) -> Option<&MenuItem> {
        self.menu.iter().find(|item| item.id == id)
    }
}

/// What a viewer attaches to a tip; its blake2-256 is the tip's on-chain memo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TipNote {
    /// The menu item tipped for, if any.
    pub item: Option<u32>,
    /// The message sealed to the performer's `message_key`, base64 (see
    /// [`MESSAGE_CLASSES`]), if any.
    pub message: Option<String>,
    /// `0x` + 64 hex digits, fresh per note: the memo reveals nothing by itself.
    pub salt: String,
    /// The tipping account (SS58 or hex, as it signed): a copy of the memo in
    /// someone else's tip does not match the note.
    pub viewer: String,
}

impl TipNote {
    /// Checks the salt and the sealed message's size class; the message's bytes.
    pub fn validate(&self) -> Result<Option<Vec<u8>>, RoomError> {
        if parse_hash(&self.salt).is_none() {
            return refuse("salt must be 0x and 64 hex digits");
        }
        let Some(message) = &self.message else {
            return Ok(None);
        };
        use base64::Engine;
        let sealed = base64::engine::general_purpose::STANDARD
            .decode(message.as_bytes())
            .or_else(|_| refuse("message must be base64"))?;
        if !MESSAGE_CLASSES.contains(&sealed.len().wrapping_sub(SEAL_OVERHEAD)) {
            return refuse(format!(
                "a sealed message is {SEAL_OVERHEAD} bytes more than one of {MESSAGE_CLASSES:?}"
            ));
        }
        Ok(Some(sealed))
    }

    /// The canonical bytes (see the module).
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a note always serializes")
    }

    /// What the tip's memo must be for this note.
    pub fn commitment(&self) -> Commitment {
        blake2_256(&self.canonical())
    }
}

fn signed(
    what: &str,
    genesis: &[u8; 32],
    account: &AccountId,
    extra: &str,
    signed_at: u64,
) -> String {
    format!(
        "livestars: {what}\nchain: 0x{}\naccount: {}\n{extra}signed at: {signed_at}",
        hex::encode(genesis),
        ss58(account)
    )
}

/// The statement a performer signs, at `signed_at` (ms), to set their room to the
/// document whose blake2-256 is `room`.
pub fn room_statement(
    genesis: &[u8; 32],
    account: &AccountId,
    room: &Commitment,
    signed_at: u64,
) -> String {
    let extra = format!("room: 0x{}\n", hex::encode(room));
    signed("set my room", genesis, account, &extra, signed_at)
}

/// What a performer does to their overlay link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlayAction {
    /// Make a new link (the old one stops working).
    Renew,
    /// Stop the link.
    Revoke,
}

/// The statement a performer signs, at `signed_at` (ms), to renew or revoke their
/// overlay link.
pub fn overlay_statement(
    action: OverlayAction,
    genesis: &[u8; 32],
    account: &AccountId,
    signed_at: u64,
) -> String {
    let what = match action {
        OverlayAction::Renew => "new overlay link",
        OverlayAction::Revoke => "revoke overlay link",
    };
    signed(what, genesis, account, "", signed_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Room {
        Room {
            goal: Some(Goal {
                amount: "500000000000000".into(),
                deadline_ms: None,
                label: "Dance at 500".into(),
                since_ms: 1_700_000_000_000,
            }),
            menu: vec![MenuItem {
                id: 1,
                label: "Song request".into(),
                price: "20000000000000".into(),
                toy: Some(ToyAction {
                    seconds: 5,
                    strength: 60,
                }),
            }],
        }
    }

    #[test]
    fn the_canonical_form_is_compact_json_with_sorted_keys() {
        let text = String::from_utf8(sample().canonical()).unwrap();
        assert_eq!(
            text,
            r#"{"goal":{"amount":"500000000000000","deadline_ms":null,"label":"Dance at 500","since_ms":1700000000000},"menu":[{"id":1,"label":"Song request","price":"20000000000000","toy":{"seconds":5,"strength":60}}]}"#
        );
        assert_eq!(serde_json::from_str::<Room>(&text).unwrap(), sample());
    }

    #[test]
    fn rooms_out_of_bounds_are_refused_by_field() {
        type Spoil = fn(&mut Room);
        let cases: [(&str, Spoil); 7] = [
            ("label", |r| r.menu[0].label.clear()),
            ("price", |r| r.menu[0].price = "0".into()),
            ("price", |r| r.menu[0].price = "+5".into()),
            ("toy", |r| r.menu[0].toy.as_mut().unwrap().strength = 101),
            ("repeat", |r| r.menu.push(r.menu[0].clone())),
            ("deadline", |r| {
                r.goal.as_mut().unwrap().deadline_ms = Some(5)
            }),
            ("amount", |r| r.goal.as_mut().unwrap().amount = "x".into()),
        ];
        for (name, spoil) in cases {
            let mut room = sample();
            spoil(&mut room);
            let error = room.validate().unwrap_err();
            assert!(error.to_string().contains(name), "{name}: {error}");
        }
        sample().validate().unwrap();
        Room::default().validate().unwrap();
    }

    #[test]
    fn a_goal_counts_tips_from_its_start_to_its_deadline() {
        let mut goal = sample().goal.unwrap();
        let start = goal.since_ms;
        assert!(!goal.counts(start - 1));
        assert!(goal.counts(start) && goal.counts(u64::MAX));
        goal.deadline_ms = Some(start + 10);
        assert!(goal.counts(start + 10) && !goal.counts(start + 11));
    }

    #[test]
    fn a_note_takes_only_padded_sealed_messages() {
        use base64::Engine;
        let encode = |n: usize| base64::engine::general_purpose::STANDARD.encode(vec![7u8; n]);
        let mut note = TipNote {
            item: Some(1),
            message: None,
            salt: format!("0x{}", "ab".repeat(32)),
            viewer: "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty".into(),
        };
        assert_eq!(note.validate(), Ok(None));
        for class in MESSAGE_CLASSES {
            note.message = Some(encode(SEAL_OVERHEAD + class));
            assert_eq!(
                note.validate().unwrap().unwrap().len(),
                SEAL_OVERHEAD + class
            );
        }
        for wrong in [0, SEAL_OVERHEAD, SEAL_OVERHEAD + 65, SEAL_OVERHEAD + 2048] {
            note.message = Some(encode(wrong));
            assert!(note.validate().is_err(), "{wrong} bytes");
        }
        note.message = Some("not base64!".into());
        assert!(note.validate().is_err());
        note.message = None;
        note.salt = "0x12".into();
        assert!(note.validate().is_err());
    }

    #[test]
    fn a_note_commits_to_every_field() {
        let note = TipNote {
            item: None,
            message: None,
            salt: format!("0x{}", "00".repeat(32)),
            viewer: "a".into(),
        };
        let text = String::from_utf8(note.canonical()).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"item":null,"message":null,"salt":"0x{}","viewer":"a"}}"#,
                "00".repeat(32)
            )
        );
        let mut other = note.clone();
        other.item = Some(0);
        assert_ne!(other.commitment(), note.commitment());
        assert_eq!(note.commitment(), blake2_256(text.as_bytes()));
    }
}
