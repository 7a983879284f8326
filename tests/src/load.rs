//! Tips (and private shows) submitted in the background while the tests break
//! things: [`Load`], after [`prepare_tipping`].

use crate::chain::{account, key, Client, LIVE};
use anyhow::Result;
use livestars_indexer::config::Deployment;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use subxt::dynamic::Value;

/// Price per minute of //Bob's private shows in [`prepare_tipping`].
pub const SHOW_PRICE: u128 = 60 * LIVE;

/// Registers //Bob as a performer offering private shows at [`SHOW_PRICE`] and has
/// //Alice, the verifier, attest him, so that //Alice, who holds the LIVE supply, can
/// tip him and watch his shows: what [`Load`] and the fault tests use.
pub async fn prepare_tipping(client: &Client) -> Result<()> {
    let bob = key("//Bob");
    client
        .submit(
            &bob,
            vec![
                client.register([3; 32], 500),
                client.set_show_terms(SHOW_PRICE, true),
            ],
        )
        .await?;
    client
        .submit(&key("//Alice"), vec![client.attest(account(&bob))])
        .await?;
    Ok(())
}

/// What a [`Load`] did.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadReport {
    /// Tips in extrinsics that were confirmed in a block.
    pub tips: usize,
    /// Blocks with confirmed tips.
    pub blocks: usize,
    /// Failed submissions and connection attempts (e.g. while the node was down),
    /// all retried: each failed submission is logged with its cause, failed
    /// connections once per distinct cause in a row.
    pub errors: usize,
}

/// Tips in the background: `per_block` tips from //Alice to //Bob in one extrinsic
/// (one block on the instant-seal node), then the next, `pace` apart, until stopped.
/// With [`Load::with_shows`], the last call of each extrinsic opens a private show
/// with //Bob instead, or ends the open one (as the chain says at the time), so every
/// kind of show event flows under the faults too.
/// A batch whose submission fails (e.g. while the node is down) is logged to stderr
/// with its cause and submitted again over a new connection, until it lands; so the
/// load keeps going across node restarts, and a load that tipped less than expected
/// says why. (A batch whose watcher failed after it was included lands twice; the
/// fault tests compare the index with the chain, not with these counts.) Needs
/// [`prepare_tipping`] first.
pub struct Load {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<LoadReport>,
}

impl Load {
    /// `per_block` tips per extrinsic.
    pub fn start(url: String, deployment: Deployment, per_block: usize, pace: Duration) -> Self {
        Self::spawn(url, deployment, per_block, pace, false)
    }

    /// `per_block` calls per extrinsic: tips, and last a show opened or ended.
    pub fn with_shows(
        url: String,
        deployment: Deployment,
        per_block: usize,
        pace: Duration,
    ) -> Self {
        Self::spawn(url, deployment, per_block, pace, true)
    }

    fn spawn(
        url: String,
        deployment: Deployment,
        per_block: usize,
        pace: Duration,
        shows: bool,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let task = tokio::spawn(async move {
            let (alice, bob) = (key("//Alice"), account(&key("//Bob")));
            let mut report = LoadReport::default();
            let mut client = None;
            // Failed submissions of the batch in hand.
            let mut attempts = 0;
            // Failed connections since the last one that worked, and the last cause
            // logged (a node that is down refuses every 300 ms alike).
            let (mut refused, mut last_cause) = (0, String::new());
            while !stopping.load(Ordering::Relaxed) {
                if client.is_none() {
                    match Client::connect(&url, &deployment).await {
                        Ok(connected) => {
                            if refused > 0 {
                                eprintln!(
                                    "load: connected to {url} after {refused} failed attempts"
                                );
                            }
                            (refused, last_cause) = (0, String::new());
                            client = Some(connected);
                        }
                        Err(e) => {
                            report.errors += 1;
                            refused += 1;
                            let cause = format!("{e:#}");
                            if cause != last_cause {
                                eprintln!(
                                    "load: connecting to {url} failed (attempt {refused}; \
                                     the same again is not repeated): {cause}"
                                );
                                last_cause = cause;
                            }
                        }
                    }
                }
                let Some(connected) = &client else {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    continue;
                };
                // Amounts differ per tip (a retried batch keeps its amounts).
                let tips = per_block - usize::from(shows);
                let mut calls: Vec<Value> = (0..tips)
                    .map(|i| connected.tip(bob, LIVE + (report.tips + i) as u128, None))
                    .collect();
                if shows {
                    match connected.open_show_between(account(&alice), bob).await {
                        Ok(Some(show)) => calls.push(connected.end_show(show)),
                        Ok(None) => {
                            calls.push(connected.open_show(bob, 10 * SHOW_PRICE, SHOW_PRICE))
                        }
                        Err(e) => {
                            report.errors += 1;
                            eprintln!("load: reading the open show failed: {e:#}; reconnecting");
                            client = None;
                            continue;
                        }
                    }
                }
                match connected.submit(&alice, calls).await {
                    Ok(_) => {
                        report.tips += tips;
                        report.blocks += 1;
                        attempts = 0;
                        tokio::time::sleep(pace).await;
                    }
                    Err(e) => {
                        report.errors += 1;
                        attempts += 1;
                        eprintln!(
                            "load: batch {} ({per_block} calls), attempt {attempts}, failed: {e:#}; \
                             retrying it on a new connection",
                            report.blocks + 1
                        );
                        client = None;
                        tokio::time::sleep(Duration::from_millis(300)).await;
                    }
                }
            }
            report
        });
        Self { stop, task }
    }

    /// Stops after the extrinsic in flight.
    pub async fn stop(self) -> LoadReport {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.unwrap_or_default()
    }
}
