//! `livestars-api`: serve the HTTP API, with the indexer in the same process
//! unless `--no-indexer` (then another process indexes into the same database).

use anyhow::Context;
use clap::Parser;
use livestars_api::app::{App, Indexing, Options};
use livestars_api::{serve, Limits};
use livestars_desk::rotation::RotationArgs;
use livestars_indexer::config::{ChainArgs, DatabaseArgs};
use livestars_indexer::store::Store;
use livestars_indexer::FollowOptions;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The livestars API: tips, performers, leaderboards, live feed, rating audits.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    chain: ChainArgs,
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    follow: FollowOptions,
    #[command(flatten)]
    limits: Limits,
    /// Address to listen on.
    #[arg(long, env = "LIVESTARS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Origins allowed to call the API from a browser (comma-separated, or `*`);
    /// none by default.
    #[arg(long, env = "LIVESTARS_CORS_ORIGINS", value_delimiter = ',')]
    cors_origin: Vec<String>,
    /// The built web client (`web/dist`), served at `/`.
    #[arg(long, env = "LIVESTARS_WEB_DIR", default_value = "web/dist")]
    web_dir: PathBuf,
    /// The node URL web clients sign through, when it differs from `--node-url`
    /// (e.g. a public `wss://` endpoint).
    #[arg(long, env = "LIVESTARS_PUBLIC_NODE_URL")]
    public_node_url: Option<String>,
    /// Print the OpenAPI document (generated from the code) and exit.
    #[arg(long)]
    print_openapi: bool,
    /// Run the voucher desk with the keys and ledger in this directory
    /// (`docs/PRIVACY.md`); `livestars-desk new-key DIR` creates a key.
    #[arg(long, env = "LIVESTARS_DESK_DIR")]
    desk_dir: Option<PathBuf>,
    #[command(flatten)]
    desk_rotation: RotationArgs,
    /// Relay voucher redemptions (`POST /v1/vouchers/redeem`) as the account of
    /// this secret URI, which pays their fees and earns their relay fees.
    #[arg(long, env = "LIVESTARS_RELAYER_SURI", hide_env_values = true)]
    relayer_suri: Option<String>,
    /// Do not index; serve what another `livestars-indexer` writes to the database.
    #[arg(long, env = "LIVESTARS_NO_INDEXER")]
    no_indexer: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    livestars_indexer::init_logging();
    let cli = Cli::parse();
    if cli.print_openapi {
        println!("{}", livestars_api::routes::openapi());
        return Ok(());
    }
    let deployment = cli.chain.resolve()?;
    let store = Store::connect(&cli.database.database_url)
        .await
        .context("opening the database")?;
    let options = Options {
        limits: cli.limits,
        web_dir: cli.web_dir,
        public_node_url: cli.public_node_url,
        cors_origins: cli.cors_origin,
        indexing: if cli.no_indexer {
            Indexing::External
        } else {
            Indexing::Embedded(cli.follow)
        },
        watch_node: true,
        desk_dir: cli.desk_dir,
        desk_rotation: cli.desk_rotation.rotation(),
        relayer_suri: cli.relayer_suri,
    };
    let mut app = App::start(store, deployment, options).await?;
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .with_context(|| format!("listening on {}", cli.listen))?;
    tracing::info!("API on http://{}/v1", listener.local_addr()?);
    tokio::select! {
        () = serve(listener, app.router(), cli.limits) => {}
        result = app.indexing_stopped() => result?,
        _ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
    }
    Ok(())
}
