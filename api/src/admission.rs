//! Who may hold a long-lived connection (a live feed, a signaling relay): a pool
//! of places, of which one network address holds at most a few, so that a client
//! opening sockets by the thousand fills its own share and nobody else's.
//!
//! The API keeps two pools ([`crate::state::AppState`]): `streams` for the feeds
//! and for relays whose party has authenticated, and `unauthenticated`, a smaller
//! one for relays still waiting for their challenge's signature. A socket that
//! never signs holds a place of the second only, for at most the 30 s it has to
//! sign, so it cannot take a place a party of a show needs.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The client's address, as [`crate::serve`] puts it on every request (`None` for
/// a request served without a socket, as in the in-process tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(Self(peer.map(|ConnectInfo(address)| address.ip())))
    }
}

/// A pool of places with a cap per address.
#[derive(Clone)]
pub struct Admission {
    places: Arc<Semaphore>,
    per_address: usize,
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// A place, given back when dropped.
pub struct Place {
    _permit: OwnedSemaphorePermit,
    address: Option<IpAddr>,
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// Why no place was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// Every place is taken.
    Pool,
    /// This address holds its share already.
    Address,
}

impl Admission {
    /// `places` places in all, at most `per_address` of them for one address.
    pub fn new(places: usize, per_address: usize) -> Self {
        Self {
            places: Arc::new(Semaphore::new(places)),
            per_address: per_address.max(1),
            held: Arc::default(),
        }
    }

    /// Places free now.
    pub fn available(&self) -> usize {
        self.places.available_permits()
    }

    /// A place for a client at `address` (`None` when it is not known, e.g. in
    /// a request served without a socket: only the pool's size applies).
    pub fn admit(&self, address: Option<IpAddr>) -> Result<Place, Full> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(address) = address {
            if held.get(&address).copied().unwrap_or(0) >= self.per_address {
                return Err(Full::Address);
            }
        }
        let permit = self
            .places
            .clone()
            .try_acquire_owned()
            .map_err(|_| Full::Pool)?;
        if let Some(address) = address {
            *held.entry(address).or_default() += 1;
        }
        Ok(Place {
            _permit: permit,
            address,
            held: self.held.clone(),
        })
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let Some(address) = self.address else { return };
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = held.get_mut(&address) {
            *count -= 1;
            if *count == 0 {
                // No entry outlives its last place: the map holds only live clients.
                held.remove(&address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_takes_its_share_and_gives_it_back() {
        let admission = Admission::new(3, 2);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let first = admission.admit(Some(a)).unwrap();
        let _second = admission.admit(Some(a)).unwrap();
        assert_eq!(admission.admit(Some(a)).err(), Some(Full::Address));
        let _other = admission.admit(Some(b)).unwrap();
        assert_eq!(admission.admit(Some(b)).err(), Some(Full::Pool));
        assert_eq!(admission.admit(None).err(), Some(Full::Pool));
        drop(first);
        assert!(admission.admit(Some(a)).is_ok());
        assert!(admission.held.lock().unwrap().len() <= 2);
    }

    #[test]
    fn the_last_place_of_an_address_forgets_it() {
        let admission = Admission::new(4, 4);
        let address: IpAddr = "10.0.0.1".parse().unwrap();
        let places: Vec<_> = (0..4)
            .map(|_| admission.admit(Some(address)).unwrap())
            .collect();
        drop(places);
        assert!(admission.held.lock().unwrap().is_empty());
        assert!(admission.admit(None).is_ok());
    }
}
