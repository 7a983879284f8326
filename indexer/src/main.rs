//! `livestars-indexer`: index the chain into the database until stopped.

use clap::Parser;
use livestars_indexer::config::{ChainArgs, DatabaseArgs};
use livestars_indexer::store::Store;
use livestars_indexer::FollowOptions;
use tokio::sync::watch;

/// Mirrors every livestars contract event into SQL, exactly once.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    chain: ChainArgs,
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    follow: FollowOptions,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    livestars_indexer::init_logging();
    let cli = Cli::parse();
    let deployment = cli.chain.resolve()?;
    let store = Store::connect(&cli.database.database_url).await?;
    let (progress, _) = watch::channel(Default::default());
    tokio::select! {
        never = livestars_indexer::follow(store, deployment, cli.follow, progress) => match never {},
        _ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
    }
    Ok(())
}
