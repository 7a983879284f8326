//! Postings of a view's registered performers, so a filtered list costs what it
//! returns rather than the number of performers it skips: which performers carry
//! each tag, each language (as written, and its base: `pt` for `pt-BR`) and each
//! 1-, 2- and 3-character piece of their folded stage name.
//!
//! A posting is a sorted list of indexes into `View::registered`. The route starts
//! from the smallest posting a query names and checks the rest of the query on
//! each of its performers only.

use super::view::Performer;
use std::collections::HashMap;
use std::sync::Arc;

/// The longest piece of a stage name indexed; a longer `q` is looked up by its
/// rarest piece this long, then checked whole.
const GRAM: usize = 3;

/// Postings per filter value.
#[derive(Debug, Default)]
pub struct Search {
    tags: HashMap<String, Vec<u32>>,
    languages: HashMap<String, Vec<u32>>,
    names: HashMap<String, Vec<u32>>,
}

impl Search {
    /// The postings of `registered` (index `i` is `registered[i]`).
    pub fn new(registered: &[Arc<Performer>]) -> Self {
        let mut search = Self::default();
        for (i, performer) in registered.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let Some(profile) = performer.state.profile.as_ref().map(|p| &p.profile) else {
                continue;
            };
            for tag in &profile.tags {
                post(&mut search.tags, tag, i);
            }
            for code in &profile.languages {
                post(&mut search.languages, code, i);
                if let Some((base, _)) = code.split_once('-') {
                    post(&mut search.languages, base, i);
                }
            }
            if let Some(name) = &performer.folded_name {
                let chars: Vec<char> = name.chars().collect();
                for length in 1..=GRAM {
                    for piece in chars.windows(length) {
                        post(&mut search.names, &piece.iter().collect::<String>(), i);
                    }
                }
            }
        }
        for postings in [&mut search.tags, &mut search.languages, &mut search.names] {
            postings.shrink_to_fit();
        }
        search
    }

    /// Performers with tag `tag` (lowercase, as stored).
    pub fn tag(&self, tag: &str) -> &[u32] {
        self.tags.get(tag).map_or(&[], Vec::as_slice)
    }

    /// Performers listing language `code`, or a regional variant of it when `code`
    /// has no region.
    pub fn language(&self, code: &str) -> &[u32] {
        self.languages.get(code).map_or(&[], Vec::as_slice)
    }

    /// A superset of the performers whose folded stage name contains `q` (exact
    /// when `q` has at most [`GRAM`] characters): the smallest posting among its
    /// pieces.
    pub fn name(&self, q: &str) -> &[u32] {
        let chars: Vec<char> = q.chars().collect();
        chars
            .windows(GRAM.min(chars.len()).max(1))
            .map(|piece| {
                let piece: String = piece.iter().collect();
                self.names.get(&piece).map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|posting| posting.len())
            .unwrap_or(&[])
    }
}

/// Adds `i` to `key`'s posting once (a performer's values are visited in index
/// order, so a repeat is always the last entry).
fn post(postings: &mut HashMap<String, Vec<u32>>, key: &str, i: u32) {
    let posting = match postings.get_mut(key) {
        Some(posting) => posting,
        None => postings.entry(key.to_owned()).or_default(),
    };
    if posting.last() != Some(&i) {
        posting.push(i);
    }
}
