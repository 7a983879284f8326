//! The load generator: a dev chain kept in a directory (`--base-path`), with the LIVE
//! contract deployed once, viewers funded, performers registered and attested 18+,
//! and as many full blocks of tips (and some ratings) as asked for. Growing it again
//! reuses what is there.

use anyhow::{Context, Result};
use livestars_indexer::config::{ss58, Deployment};
use livestars_indexer::decode::AccountId;
use livestars_tests::{account, deploy, key, Client, Node, LIVE, TIPS_PER_FULL_BLOCK};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;
use subxt_signer::sr25519::Keypair;

/// How the chain in a directory was loaded so far (`load.json`).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Loaded {
    viewers: u32,
    performers: u32,
    tips: u64,
    ratings: u64,
}

/// A loaded chain, running.
pub struct BenchChain {
    pub node: Node,
    pub deployment: Deployment,
    /// The deployment file, pointing at this run's node port.
    pub deployment_file: PathBuf,
    pub dir: PathBuf,
}

fn viewer(i: u32) -> Keypair {
    key(&format!("//livestars/viewer/{i}"))
}

fn performer(i: u32) -> Keypair {
    key(&format!("//livestars/performer/{i}"))
}

impl BenchChain {
    /// Starts the node on the chain kept in `dir` (a new chain, with the contracts
    /// deployed, when there is none yet).
    pub async fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let node = Node::start(Some(&dir.join("chain")), dir).await?;
        let deployment_file = dir.join("livestars.json");
        let deployment = if deployment_file.exists() {
            // Same contracts, this run's port.
            let mut saved: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&deployment_file)?)?;
            saved["node_url"] = node.url().into();
            std::fs::write(&deployment_file, serde_json::to_vec_pretty(&saved)?)?;
            livestars_indexer::config::ChainArgs {
                node_url: None,
                deployment: deployment_file.clone(),
                token: None,
                start_block: None,
            }
            .resolve()?
        } else {
            deploy(&node, dir)?.0
        };
        Ok(Self {
            node,
            deployment,
            deployment_file,
            dir: dir.to_path_buf(),
        })
    }

    fn load_state(&self) -> Result<Loaded> {
        match std::fs::read(self.dir.join("load.json")) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes)?),
            Err(_) => Ok(Loaded::default()),
        }
    }

    fn save_state(&self, loaded: &Loaded) -> Result<()> {
        std::fs::write(
            self.dir.join("load.json"),
            serde_json::to_vec_pretty(loaded)?,
        )?;
        Ok(())
    }

    /// Tips until the chain holds at least `tips` tips from `viewers` viewers to
    /// `performers` performers, in full blocks (`utility.batch_all`), each block
    /// also carrying one rating. Prints progress and the rate achieved.
    pub async fn grow(&self, tips: u64, viewers: u32, performers: u32) -> Result<()> {
        let client = Client::connect(&self.node.url(), &self.deployment).await?;
        let mut loaded = self.load_state()?;
        if loaded.viewers == 0 {
            self.prepare(&client, viewers, performers).await?;
            loaded.viewers = viewers;
            loaded.performers = performers;
            self.save_state(&loaded)?;
        }
        let performers: Vec<AccountId> = (0..loaded.performers)
            .map(|i| account(&performer(i)))
            .collect();
        let per_block = TIPS_PER_FULL_BLOCK - 1;
        let started = Instant::now();
        let (start_tips, mut last_report) = (loaded.tips, Instant::now());
        while loaded.tips < tips {
            let n = loaded.tips;
            let signer = viewer((n / per_block as u64 % u64::from(loaded.viewers)) as u32);
            let first = performers[(n % performers.len() as u64) as usize];
            let mut calls: Vec<_> = (0..per_block as u64)
                .map(|i| {
                    let to = performers[((n + i) % performers.len() as u64) as usize];
                    client.tip(to, LIVE + u128::from((n + i) % 1000) * LIVE / 100, None)
                })
                .collect();
            // The signer has just tipped `first`, so it may rate them.
            calls.push(client.rate(first, (n % 5 + 1) as u8));
            client.submit(&signer, calls).await?;
            loaded.tips += per_block as u64;
            loaded.ratings += 1;
            if last_report.elapsed().as_secs() >= 10 || loaded.tips >= tips {
                self.save_state(&loaded)?;
                let made = loaded.tips - start_tips;
                println!(
                    "  {} tips on the chain ({made} new, {:.0} tips/s)",
                    loaded.tips,
                    made as f64 / started.elapsed().as_secs_f64()
                );
                last_report = Instant::now();
            }
        }
        self.save_state(&loaded)
    }

    /// Funds the viewers (fees and LIVE), registers the performers and has //Alice,
    /// the deployment's 18+ verifier, attest them (tips need that, not an approval).
    async fn prepare(&self, client: &Client, viewers: u32, performers: u32) -> Result<()> {
        let alice = key("//Alice");
        let mut funding = Vec::new();
        for i in 0..viewers {
            let to = account(&viewer(i));
            funding.push(client.fund_native(to, 20_000 * LIVE));
            funding.push(client.transfer(to, 1_000_000 * LIVE));
        }
        for i in 0..performers {
            funding.push(client.fund_native(account(&performer(i)), 1_000 * LIVE));
        }
        client.submit(&alice, funding).await.context("funding")?;
        for i in 0..performers {
            let profile = [i as u8; 32];
            client
                .submit(&performer(i), vec![client.register(profile, 500)])
                .await
                .context("registering")?;
        }
        let attestations = (0..performers)
            .map(|i| client.attest(account(&performer(i))))
            .collect();
        client
            .submit(&alice, attestations)
            .await
            .context("attesting")?;
        println!(
            "  funded {viewers} viewers, registered and attested {performers} performers \
             (LIVE contract {})",
            ss58(&self.deployment.live_token)
        );
        Ok(())
    }
}
