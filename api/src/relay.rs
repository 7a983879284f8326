//! The signaling relay's rooms: which parties of each private show are connected,
//! and how a message reaches the other one. Kept apart from the WebSocket handler
//! (`routes::signal`) because the shared state holds the rooms, and the state sits
//! below the routes.

use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// A party's role in a show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Viewer,
    Performer,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Performer => "performer",
        }
    }

    fn other(self) -> Self {
        match self {
            Self::Viewer => Self::Performer,
            Self::Performer => Self::Viewer,
        }
    }
}

/// What one connection is told through its room.
pub enum Notice {
    /// A message for its client.
    Text(String),
    /// Its party joined again on a newer connection, which takes over.
    Replaced,
}

/// Where a connection's notices go.
type Outbox = mpsc::Sender<Notice>;

/// What became of a message [`Rooms::forward`] was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forwarded {
    Delivered,
    /// The other party is not connected.
    Absent,
    /// The other party has [`OUTBOX`] messages waiting: this one is lost.
    Dropped,
}

/// Notices a connection may have waiting: more than a party may send at once
/// (`routes::signal`'s burst of 100), so only a party that stopped reading loses
/// messages.
const OUTBOX: usize = 128;

/// The connected parties of one show: (connection number, outbox) per role.
type Room = HashMap<Role, (u64, Outbox)>;

/// The connected parties of each show: at most one connection per role.
#[derive(Default, Clone)]
pub struct Rooms(Arc<Mutex<HashMap<u64, Room>>>);

impl Rooms {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Room>> {
        // A panic while holding the lock leaves the map consistent (each change is
        // one insert or remove), so a poisoned lock is still usable.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Joins `role` to `show`'s room, taking over from an older connection of the
    /// same party (a reload, a second tab, a socket that died unnoticed). Returns
    /// the connection's seat (held for as long as it lives), where its notices
    /// arrive, and whether the other party is there; it is told that this one is.
    pub fn join(&self, show: u64, role: Role) -> (Seat, mpsc::Receiver<Notice>, bool) {
        let (outbox, inbox) = mpsc::channel(OUTBOX);
        let connection = CONNECTIONS.fetch_add(1, Ordering::Relaxed);
        let seat = Seat {
            rooms: self.clone(),
            show,
            role,
            connection,
        };
        let mut rooms = self.lock();
        let room = rooms.entry(show).or_default();
        let older = room.insert(role, (connection, outbox));
        let other = room.get(&role.other()).map(|(_, outbox)| outbox.clone());
        drop(rooms);
        if let Some((_, older)) = older {
            let _ = older.try_send(Notice::Replaced);
        }
        if let Some(other) = &other {
            let _ = other.try_send(Notice::Text(peer(true)));
        }
        (seat, inbox, other.is_some())
    }

    /// Sends `text` to the other party of `show`, if it is connected and keeping up:
    /// a party with [`OUTBOX`] messages waiting is too slow, and this one is dropped
    /// (the sender is told, as [`Forwarded::Dropped`] says).
    pub fn forward(&self, show: u64, from: Role, text: String) -> Forwarded {
        let other = self
            .lock()
            .get(&show)
            .and_then(|room| room.get(&from.other()))
            .map(|(_, outbox)| outbox.clone());
        match other.map(|outbox| outbox.try_send(Notice::Text(text))) {
            None => Forwarded::Absent,
            Some(Ok(())) => Forwarded::Delivered,
            Some(Err(_)) => Forwarded::Dropped,
        }
    }

    /// Removes `connection` from `show`'s room, if it still holds the role, and tells
    /// the other party.
    fn leave(&self, show: u64, role: Role, connection: u64) {
        let mut rooms = self.lock();
        let Some(room) = rooms.get_mut(&show) else {
            return;
        };
        if room.get(&role).is_none_or(|(id, _)| *id != connection) {
            return;
        }
        room.remove(&role);
        let other = room.get(&role.other()).map(|(_, outbox)| outbox.clone());
        if room.is_empty() {
            rooms.remove(&show);
        }
        drop(rooms);
        if let Some(other) = other {
            let _ = other.try_send(Notice::Text(peer(false)));
        }
    }
}

/// A connection's place in its room, given up when the connection ends, however it
/// ends.
pub struct Seat {
    rooms: Rooms,
    show: u64,
    role: Role,
    connection: u64,
}

impl Drop for Seat {
    fn drop(&mut self) {
        self.rooms.leave(self.show, self.role, self.connection);
    }
}

fn peer(present: bool) -> String {
    json!({"type": "peer", "present": present}).to_string()
}

/// Numbers connections, so a party that reconnects is told apart from its old socket.
static CONNECTIONS: AtomicU64 = AtomicU64::new(0);
