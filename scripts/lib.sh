# Shared by the livestars scripts: where things are, and the few helpers they all need.
# Source it; it does nothing on its own.

LIVESTARS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LIVESTARS_ROOT
# Cargo output lives outside the clone so that repeated runs (and CI) build incrementally.
export LIVESTARS_CACHE="${LIVESTARS_CACHE:-$HOME/.cache/livestars}"
export CONTRACTS_TARGET_DIR="${CONTRACTS_TARGET_DIR:-$LIVESTARS_CACHE/contracts-target}"
# The off-chain workspace (indexer, API, tests), built with stable Rust.
export OFFCHAIN_TARGET_DIR="${OFFCHAIN_TARGET_DIR:-$LIVESTARS_CACHE/target}"
# Built contracts (.contract, .json, .wasm) land here; everything else reads them from here.
export LIVESTARS_ARTIFACTS="${LIVESTARS_ARTIFACTS:-$LIVESTARS_ROOT/target/contracts}"
export CONTRACT_TOOLCHAIN=1.86.0
export NODE_WASM_TOOLCHAIN=1.84.0
export CARGO_CONTRACT_VERSION=5.0.3
export CONTRACTS_NODE_VERSION=0.42.0
# The OpenAPI validator the suite checks the API's generated document with, in its own
# Python virtual environment.
export OPENAPI_VALIDATOR_VERSION=0.7.2
export OPENAPI_VENV="$LIVESTARS_CACHE/venv-openapi"
# cargo-contract builds each contract's Wasm in a temporary copy of its manifest and
# resolves dependencies afresh there; make that resolution respect rust-version = 1.86.
export CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback
# The contracts, in deployment order.
export LIVESTARS_CONTRACTS="live_token"

# Prebuilt binaries shared by the team, when present, come first.
if [ -d "$LIVESTARS_ROOT/../shared/bin" ]; then
  PATH="$(cd "$LIVESTARS_ROOT/../shared/bin" && pwd):$PATH"
fi
PATH="$HOME/.cargo/bin:$PATH"
export PATH

# deployment_field FILE NAME: a field of a deployment file (scripts/deploy's JSON), e.g.
# node_url or live_token.
deployment_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# LIVE amounts in base units (12 decimals) without shell integer overflow: live 100 -> 100000000000000.
live() { printf '%s000000000000' "$1"; }

# contract_call URL CONTRACT ADDRESS SURI MESSAGE [ARGS...]: executes a message of a built
# contract (from $LIVESTARS_ARTIFACTS) at ADDRESS, signed by SURI; its output is discarded.
# CALL_VALUE (optional) is native currency sent with a payable message.
# The gas limit is the test harness's per-call limit (tests/src/lib.rs, CALL_REF_TIME and
# CALL_PROOF_SIZE; over 2x a tip's need; unused gas is refunded), not cargo-contract's
# dry-run estimate, which it uses with no margin: in one CI run that estimate fell short
# and a demo tip failed with Contracts::OutOfGas (the web client adds 25% for the same reason).
contract_call() {
  local url=$1 contract=$2 at=$3 suri=$4 message=$5
  shift 5
  cargo contract call "$LIVESTARS_ARTIFACTS/$contract.contract" --contract "$at" --message "$message" \
    ${1:+--args "$@"} --suri "$suri" --url "$url" --gas 16000000000 --proof-size 1200000 \
    ${CALL_VALUE:+--value "$CALL_VALUE"} --execute --skip-confirm >/dev/null
}

# Installs the web client's npm packages as locked when they are missing or older than
# the lockfile. Not `npm ci`: the registry here lists only this platform's optional
# packages (e.g. rollup's), and `npm ci` refuses a lockfile without the others.
npm_install_web() {
  local web="$LIVESTARS_ROOT/web"
  if [ ! "$web/node_modules/.package-lock.json" -nt "$web/package-lock.json" ]; then
    (cd "$web" && npm install --no-audit --no-fund)
  fi
}

# Builds the web client into web/dist (the API serves it), with the contracts' metadata.
build_web() {
  npm_install_web
  (cd "$LIVESTARS_ROOT/web" && npm run --silent build)
}

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The contracts-node binary: $CONTRACTS_NODE if set, else the one on PATH; empty if none.
contracts_node() {
  if [ -n "${CONTRACTS_NODE:-}" ]; then
    printf '%s\n' "$CONTRACTS_NODE"
  else
    command -v substrate-contracts-node || true
  fi
}

# A TCP port on loopback that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts a dev node on loopback in the background: start_node PORT LOGFILE [--base-path DIR].
# Sets NODE_PID and waits until its RPC answers.
start_node() {
  local port=$1 log=$2
  shift 2
  local node
  node=$(contracts_node)
  [ -n "$node" ] || fail "substrate-contracts-node not found: run scripts/setup or set CONTRACTS_NODE"
  local storage=(--tmp)
  [ $# -gt 0 ] && storage=("$@")
  # Archive state, so that an indexer can backfill blocks of any age.
  "$node" --dev "${storage[@]}" --rpc-port "$port" --no-prometheus --state-pruning archive \
    --no-telemetry >"$log" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 120); do
    if curl -sf -H 'Content-Type: application/json' \
      -d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
      "http://127.0.0.1:$port" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$NODE_PID" 2>/dev/null || fail "the node exited; see $log"
    sleep 0.5
  done
  fail "the node did not answer on port $port within 60 s; see $log"
}
