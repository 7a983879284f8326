//! A client of the API's signaling relay (`/v1/shows/{id}/signal`), as a browser is:
//! it answers the challenge with a wallet signature and then exchanges JSON messages.
//! The statement is spelled here from the protocol (docs/SHOWS.md), not imported
//! from the API, so a drift between the two fails the tests.

use anyhow::{anyhow, Result};
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use subxt_signer::sr25519::Keypair;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// What the relay said next.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    Message(Value),
    /// Closed, with its close code (1005 when none was given).
    Closed(u16),
}

/// One connection to the relay.
pub struct Signal {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The challenge's nonce, `0x` hex.
    pub nonce: String,
}

/// The origin a statement names for a client that sends no `Origin` header (this
/// one: it is not a browser).
pub const NO_ORIGIN: &str = "none";

/// The text a party signs to join show `show`'s signaling from a page of `origin`.
pub fn statement(show: u64, origin: &str, genesis: &str, nonce: &str) -> String {
    format!("livestars: signal show {show}\norigin: {origin}\nchain: {genesis}\nnonce: {nonce}")
}

/// `key`'s signature of `text` as a wallet's `signRaw` makes it, `0x` hex.
pub fn sign(key: &Keypair, text: &str) -> String {
    let wrapped = [b"<Bytes>", text.as_bytes(), b"</Bytes>"].concat();
    format!("0x{}", hex::encode(key.sign(&wrapped).0))
}

impl Signal {
    /// Connects to show `show`'s relay at the API `base` (`http://...`) and reads
    /// the challenge.
    pub async fn connect(base: &str, show: u64) -> Result<Self> {
        let url = format!("{}/v1/shows/{show}/signal", base.replacen("http", "ws", 1));
        let (socket, _) = tokio_tungstenite::connect_async(url).await?;
        let mut signal = Self {
            socket,
            nonce: String::new(),
        };
        let challenge = match signal.next().await? {
            Heard::Message(challenge) => challenge,
            other => return Err(anyhow!("no challenge but {other:?}")),
        };
        if challenge["type"] != "challenge"
            || challenge["show_id"] != show
            || challenge["origin"] != NO_ORIGIN
        {
            return Err(anyhow!("not a challenge for show {show}: {challenge}"));
        }
        signal.nonce = challenge["nonce"]
            .as_str()
            .ok_or_else(|| anyhow!("a challenge without a nonce: {challenge}"))?
            .to_owned();
        Ok(signal)
    }

    /// Connects and answers the challenge as `key`, on the chain `genesis` (`0x` hex).
    pub async fn join(base: &str, show: u64, key: &Keypair, genesis: &str) -> Result<Self> {
        let mut signal = Self::connect(base, show).await?;
        let signature = sign(key, &statement(show, NO_ORIGIN, genesis, &signal.nonce));
        signal.auth(key, &signature).await?;
        Ok(signal)
    }

    /// Sends the answer to the challenge: `key`'s account with `signature`.
    pub async fn auth(&mut self, key: &Keypair, signature: &str) -> Result<()> {
        let account = crate::ss58_of(key);
        self.send(json!({"type": "auth", "account": account, "signature": signature}))
            .await
    }

    pub async fn send(&mut self, message: Value) -> Result<()> {
        self.send_text(message.to_string()).await
    }

    pub async fn send_text(&mut self, text: String) -> Result<()> {
        self.socket.send(Message::text(text)).await?;
        Ok(())
    }

    /// The next message or the close, within 60 s.
    pub async fn next(&mut self) -> Result<Heard> {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(60), self.socket.next())
                .await
                .map_err(|_| anyhow!("the relay said nothing for 60 s"))?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    return Ok(Heard::Message(serde_json::from_str(&text)?));
                }
                Some(Ok(Message::Close(frame))) => {
                    return Ok(Heard::Closed(frame.map_or(1005, |f| u16::from(f.code))));
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => return Err(anyhow!("the connection ended without a close frame")),
            }
        }
    }
}
