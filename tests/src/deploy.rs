//! The LIVE contract deployed on a [`Node`] with `scripts/deploy`.

use crate::node::Node;
use crate::process::root;
use anyhow::{bail, Context, Result};
use livestars_indexer::config::Deployment;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Deploys the LIVE contract with `scripts/deploy` (which lists //Alice as an 18+
/// verifier); returns the resolved deployment and the path of its JSON file (in `dir`).
pub fn deploy(node: &Node, dir: &Path) -> Result<(Deployment, PathBuf)> {
    let output = Command::new(root().join("scripts/deploy"))
        .arg(node.url())
        .output()
        .context("running scripts/deploy")?;
    if !output.status.success() {
        bail!(
            "scripts/deploy failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let path = dir.join("livestars.json");
    std::fs::write(&path, &output.stdout)?;
    let args = livestars_indexer::config::ChainArgs {
        node_url: None,
        deployment: path.clone(),
        token: None,
        start_block: None,
    };
    Ok((args.resolve()?, path))
}
