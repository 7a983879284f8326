//! `livestars-api`: serve the HTTP API, with the indexer in the same process
//! unless `--no-indexer` (then another process indexes into the same database).

use anyhow::Context;
use clap::Parser;
use livestars_api::{feed, node, read_model, router, serve, AppState, Limits};
use livestars_indexer::config::{ChainArgs, DatabaseArgs};
use livestars_indexer::store::Store;
use livestars_indexer::FollowOptions;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{watch, Notify};
use tower_http::cors::{AllowOrigin, CorsLayer};

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
    let (progress_tx, progress) = watch::channel(Default::default());
    let (node_tx, node_health) = watch::channel(Default::default());
    tokio::spawn(node::watch(deployment.node_url.clone(), node_tx));
    let (views_tx, views) = watch::channel(None);
    let refresh = Arc::new(Notify::new());
    tokio::spawn(read_model::run(
        store.clone(),
        deployment.live_token,
        progress.clone(),
        views_tx,
        refresh.clone(),
    ));
    let mut state = AppState::new(store.clone(), deployment.clone(), progress.clone())
        .with_limits(cli.limits)
        .with_node(node_health)
        .with_views(views, refresh);
    if let Some(url) = cli.public_node_url {
        state.public_node_url = url;
    }
    if !cli.web_dir.join("index.html").is_file() {
        tracing::warn!(
            "no web client at {} (build it with `npm run build` in web/); serving the API only",
            cli.web_dir.display()
        );
    }
    tokio::spawn(feed::run(
        store.clone(),
        progress,
        state.feed.clone(),
        state.show_feed.clone(),
    ));
    let indexer = if cli.no_indexer {
        tokio::spawn(async move {
            feed::poll_progress(store, progress_tx).await;
            Ok(())
        })
    } else {
        tokio::spawn(livestars_indexer::follow(
            store,
            deployment,
            cli.follow,
            progress_tx,
        ))
    };

    let mut app = router(state, &cli.web_dir);
    if !cli.cors_origin.is_empty() {
        let origins = if cli.cors_origin.iter().any(|o| o == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                cli.cors_origin
                    .iter()
                    .map(|o| o.parse())
                    .collect::<Result<Vec<_>, _>>()
                    .context("--cors-origin")?,
            )
        };
        app = app.layer(CorsLayer::new().allow_origin(origins).allow_headers([
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderName::from_static("last-event-id"),
        ]));
    }
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .with_context(|| format!("listening on {}", cli.listen))?;
    tracing::info!("API on http://{}/v1", listener.local_addr()?);
    tokio::select! {
        () = serve(listener, app, cli.limits) => {}
        result = indexer => result??,
        _ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
    }
    Ok(())
}
