//! Public performer profiles: the document a performer chooses to show, its canonical
//! bytes and the commitment that binds it to the chain (`tips.profile` is the
//! blake2-256 of those bytes), the avatar checked by its content, and the statements
//! a performer signs with their wallet to publish or withdraw a document.
//!
//! Nothing here is personal data the platform asks for: every field is what the
//! performer wants shown, and may be left blank. The chain only ever sees the hash.

use crate::config::ss58;
use crate::decode::{AccountId, Commitment};
use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The largest avatar accepted, in bytes.
pub const MAX_AVATAR_BYTES: usize = 256 * 1024;
/// The largest avatar accepted, in pixels per side.
pub const MAX_AVATAR_SIDE: usize = 2048;
/// The age ranges a performer may show.
pub const AGE_RANGES: [&str; 5] = ["18-24", "25-34", "35-44", "45-54", "55+"];

/// A performer's public profile.
///
/// Canonical bytes: this struct serialized by `serde_json` (fields in alphabetical
/// order, as declared; no whitespace; absent optional fields as `null`). A browser
/// gets the same bytes from `JSON.stringify` of an object built with the keys in this
/// order. The commitment is the blake2-256 of the canonical bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// One of [`AGE_RANGES`], or none.
    pub age_range: Option<String>,
    /// `0x` + blake2-256 hex of the avatar's bytes, or none.
    pub avatar: Option<String>,
    /// At most 500 characters.
    pub bio: String,
    /// Free text, at most 32 characters, or none.
    pub gender: Option<String>,
    /// Language codes such as `en` or `pt-BR`, at most 8.
    pub languages: Vec<String>,
    /// The x25519 public key tip messages are sealed to (`0x` + 64 hex), or none.
    /// Left out of the canonical form when absent, as `stream` is: documents from
    /// before these fields keep their commitments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_key: Option<String>,
    /// When the performer is usually online, free text of at most 200 characters.
    pub schedule: Option<String>,
    /// 1 to 40 characters.
    pub stage_name: String,
    /// Where the performer's own stream plays (`https://` or `http://`, HLS or WHEP),
    /// at most 300 characters, or none: livestars hosts no video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    /// Interests and categories, lowercase, at most 12 of at most 24 characters.
    pub tags: Vec<String>,
}

/// Why a document or an avatar is refused; the message names the field, never its value.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ProfileError {
    #[error("{0}")]
    Field(String),
    #[error("the avatar must be a PNG, JPEG or WebP image: {0}")]
    Avatar(String),
}

fn field(message: impl Into<String>) -> ProfileError {
    ProfileError::Field(message.into())
}

/// Free text of `min..=max` characters, without control characters.
fn text(name: &str, value: &str, min: usize, max: usize) -> Result<(), ProfileError> {
    let chars = value.chars().count();
    if chars < min || chars > max {
        return Err(field(format!("{name} must have {min} to {max} characters")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(field(format!("{name} must not hold control characters")));
    }
    Ok(())
}

/// A language code: 2 or 3 lowercase letters, optionally `-` and a 2-letter region.
fn language(code: &str) -> bool {
    let (language, region) = code.split_once('-').unwrap_or((code, ""));
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && (region.is_empty()
            || (region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase())))
        && region.is_empty() != code.contains('-')
}

impl Profile {
    /// Checks every field's bounds.
    pub fn validate(&self) -> Result<(), ProfileError> {
        text("stage_name", &self.stage_name, 1, 40)?;
        if self.stage_name.trim() != self.stage_name {
            return Err(field("stage_name must not start or end with spaces"));
        }
        text("bio", &self.bio, 0, 500)?;
        if let Some(gender) = &self.gender {
            text("gender", gender, 1, 32)?;
        }
        if let Some(schedule) = &self.schedule {
            text("schedule", schedule, 1, 200)?;
        }
        if let Some(range) = &self.age_range {
            if !AGE_RANGES.contains(&range.as_str()) {
                return Err(field(format!(
                    "age_range must be one of {}",
                    AGE_RANGES.join(", ")
                )));
            }
        }
        if let Some(avatar) = &self.avatar {
            parse_hash(avatar)
                .ok_or_else(|| field("avatar must be 0x and 64 hex digits (the image's hash)"))?;
        }
        if let Some(key) = &self.message_key {
            parse_hash(key)
                .ok_or_else(|| field("message_key must be 0x and 64 hex digits (x25519)"))?;
        }
        if let Some(stream) = &self.stream {
            text("stream", stream, 8, 300)?;
            if !(stream.starts_with("https://") || stream.starts_with("http://"))
                || stream.contains(char::is_whitespace)
            {
                return Err(field("stream must be an http(s) URL without spaces"));
            }
        }
        if self.languages.len() > 8 || !self.languages.iter().all(|code| language(code)) {
            return Err(field(
                "languages must be at most 8 codes such as en or pt-BR",
            ));
        }
        if self.tags.len() > 12 {
            return Err(field("tags must be at most 12"));
        }
        for tag in &self.tags {
            text("a tag", tag, 1, 24)?;
            if tag.trim() != tag || tag.to_lowercase() != *tag {
                return Err(field("tags must be lowercase, without surrounding spaces"));
            }
        }
        let distinct = |list: &[String]| {
            let mut sorted: Vec<&String> = list.iter().collect();
            sorted.sort();
            sorted.windows(2).all(|pair| pair[0] != pair[1])
        };
        if !distinct(&self.tags) || !distinct(&self.languages) {
            return Err(field("tags and languages must not repeat"));
        }
        Ok(())
    }

    /// The canonical bytes (see [`Profile`]).
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a profile always serializes")
    }

    /// What the chain holds for this document.
    pub fn commitment(&self) -> Commitment {
        blake2_256(&self.canonical())
    }

    /// The avatar's hash, when the document names one.
    pub fn avatar_hash(&self) -> Option<[u8; 32]> {
        self.avatar.as_deref().and_then(parse_hash)
    }

    /// The stage name as search compares it: lowercase (Unicode-aware).
    pub fn folded_name(&self) -> String {
        self.stage_name.to_lowercase()
    }
}

/// blake2b with a 32-byte output, as `ink::env::hash::Blake2x256`.
pub fn blake2_256(bytes: &[u8]) -> [u8; 32] {
    Blake2b::<U32>::digest(bytes).into()
}

/// `0x` + 64 hex digits.
pub fn parse_hash(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text.strip_prefix("0x")?, &mut out).ok()?;
    Some(out)
}

/// An avatar's media type, once its bytes are known to be a PNG, JPEG or WebP image
/// of a sane size (the header is parsed, not just the magic bytes).
pub fn avatar_type(bytes: &[u8]) -> Result<&'static str, ProfileError> {
    if bytes.len() > MAX_AVATAR_BYTES {
        return Err(ProfileError::Avatar(format!(
            "at most {} KiB",
            MAX_AVATAR_BYTES / 1024
        )));
    }
    let media = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => "image/png",
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        Ok(imagesize::ImageType::Webp) => "image/webp",
        Ok(other) => return Err(ProfileError::Avatar(format!("not {other:?}"))),
        Err(_) => return Err(ProfileError::Avatar("not an image".into())),
    };
    let size = imagesize::blob_size(bytes)
        .map_err(|_| ProfileError::Avatar("the image's header is broken".into()))?;
    if size.width == 0
        || size.height == 0
        || size.width > MAX_AVATAR_SIDE
        || size.height > MAX_AVATAR_SIDE
    {
        return Err(ProfileError::Avatar(format!(
            "1 to {MAX_AVATAR_SIDE} pixels per side"
        )));
    }
    Ok(media)
}

/// What a signed statement asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Publish,
    Withdraw,
}

/// The statement a performer signs to publish or withdraw the document committed to
/// by `commitment`, on the chain whose genesis hash is `genesis`: it cannot be replayed
/// on another chain, for another account or for another document.
pub fn statement(
    action: Action,
    genesis: &[u8; 32],
    account: &AccountId,
    commitment: &Commitment,
) -> String {
    let verb = match action {
        Action::Publish => "publish",
        Action::Withdraw => "withdraw",
    };
    format!(
        "livestars: {verb} my profile\nchain: 0x{}\naccount: {}\nprofile: 0x{}",
        hex::encode(genesis),
        ss58(account),
        hex::encode(commitment)
    )
}

/// The longest a performer may say they are online for with one signature.
pub const MAX_ONLINE_MS: u64 = 12 * 3_600_000;

/// The statement a performer signs, at `signed_at` (ms), to be shown online until
/// `until` (ms; `until <= signed_at` means offline now).
pub fn presence_statement(
    genesis: &[u8; 32],
    account: &AccountId,
    signed_at: u64,
    until: u64,
) -> String {
    format!(
        "livestars: online until {until}\nchain: 0x{}\naccount: {}\nsigned at: {signed_at}",
        hex::encode(genesis),
        ss58(account)
    )
}

/// Whether `signature` is `account`'s sr25519 signature of `statement` as browser
/// wallets sign text (`signRaw`: the bytes wrapped in `<Bytes>…</Bytes>`).
pub fn verify(statement: &str, signature: &[u8; 64], account: &AccountId) -> bool {
    let wrapped = [b"<Bytes>", statement.as_bytes(), b"</Bytes>"].concat();
    subxt_signer::sr25519::verify(
        &subxt_signer::sr25519::Signature(*signature),
        wrapped,
        &subxt_signer::sr25519::PublicKey(*account),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Profile {
        Profile {
            age_range: Some("25-34".into()),
            avatar: None,
            bio: "Piano and late-night talk.\nNo requests before 8.".into(),
            gender: None,
            languages: vec!["en".into(), "pt-BR".into()],
            message_key: None,
            stream: None,
            schedule: Some("Mon–Fri 20:00 UTC".into()),
            stage_name: "Lúa Nova".into(),
            tags: vec!["music".into(), "chat".into()],
        }
    }

    #[test]
    fn the_canonical_form_is_compact_json_with_sorted_keys() {
        let text = String::from_utf8(sample().canonical()).unwrap();
        assert_eq!(
            text,
            r#"{"age_range":"25-34","avatar":null,"bio":"Piano and late-night talk.\nNo requests before 8.","gender":null,"languages":["en","pt-BR"],"schedule":"Mon–Fri 20:00 UTC","stage_name":"Lúa Nova","tags":["music","chat"]}"#
        );
        let parsed: Profile = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.commitment(), sample().commitment());
        assert_eq!(sample().commitment(), blake2_256(text.as_bytes()));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let error = serde_json::from_str::<Profile>(
            r#"{"bio":"","languages":[],"stage_name":"A","tags":[],"email":"a@b.c"}"#,
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("unknown field `email`"),
            "{error}"
        );
    }

    #[test]
    fn fields_out_of_bounds_are_refused_by_name() {
        type Spoil = fn(&mut Profile);
        let cases: [(&str, Spoil); 10] = [
            ("stage_name", |p| p.stage_name.clear()),
            ("stage_name", |p| p.stage_name = "x".repeat(41)),
            ("stage_name", |p| p.stage_name = " Lúa".into()),
            ("bio", |p| p.bio = "b".repeat(501)),
            ("bio", |p| p.bio = "bell\u{7}".into()),
            ("age_range", |p| p.age_range = Some("16-17".into())),
            ("avatar", |p| p.avatar = Some("0x12".into())),
            ("languages", |p| p.languages = vec!["English".into()]),
            ("tags", |p| p.tags = vec!["Music".into()]),
            ("tags", |p| p.tags = vec!["chat".into(), "chat".into()]),
        ];
        for (name, spoil) in cases {
            let mut profile = sample();
            spoil(&mut profile);
            let error = profile.validate().unwrap_err();
            assert!(error.to_string().contains(name), "{name}: {error}");
        }
        sample().validate().unwrap();
        let mut unicode = sample();
        unicode.stage_name = "Ünïcödé 星".into();
        unicode.tags = vec!["música".into()];
        unicode.validate().unwrap();
        assert_eq!(unicode.folded_name(), "ünïcödé 星");
    }

    /// A PNG header (signature and IHDR) of `width` × `height`.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    #[test]
    fn avatars_are_images_of_bounded_size() {
        assert_eq!(avatar_type(&png(64, 64)), Ok("image/png"));
        assert!(avatar_type(&png(4096, 64)).is_err());
        assert!(avatar_type(&png(0, 64)).is_err());
        assert!(avatar_type(b"<svg xmlns='http://www.w3.org/2000/svg'/>").is_err());
        assert!(avatar_type(b"GIF89a\x01\0\x01\0").is_err());
        let mut big = png(64, 64);
        big.resize(MAX_AVATAR_BYTES + 1, 0);
        assert!(avatar_type(&big).is_err());
    }

    #[test]
    fn a_statement_verifies_only_for_its_signer_chain_and_document() {
        use subxt_signer::sr25519::dev;
        let alice = dev::alice();
        let account = alice.public_key().0;
        let genesis = [7; 32];
        let commitment = sample().commitment();
        let text = statement(Action::Publish, &genesis, &account, &commitment);
        let signature = alice.sign(format!("<Bytes>{text}</Bytes>").as_bytes()).0;
        assert!(verify(&text, &signature, &account));
        let bob = dev::bob().public_key().0;
        assert!(!verify(&text, &signature, &bob));
        for other in [
            statement(Action::Withdraw, &genesis, &account, &commitment),
            statement(Action::Publish, &[8; 32], &account, &commitment),
            statement(Action::Publish, &genesis, &account, &[0; 32]),
        ] {
            assert!(!verify(&other, &signature, &account));
        }
        // Unwrapped text is not what wallets sign.
        let bare = alice.sign(text.as_bytes()).0;
        assert!(!verify(&text, &bare, &account));
    }
}
