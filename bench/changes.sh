#!/usr/bin/env bash
# The change feed benchmark: two service instances on one embedded PostgreSQL and Redis, writes on
# A, subscribers on B (bench/results/changes/README.md). Prints one JSON line per measurement and
# appends them to bench/results/changes/raw.jsonl.
#   1. latency from a write's response on A to its event at each subscriber on B, with 1, 100 and
#      1,000 subscribers (BENCH_WRITES writes one after another, 20 ms apart)
#   2. heap of B per idle subscriber, 10,000 connected (after full GCs, jcmd GC.heap_info)
#   3. writes/s on A with 1,000 subscribers on B (BENCH_WRITERS concurrent writers for
#      BENCH_SECONDS), and whether the subscribers keep up
#
#   bench/changes.sh      about 5 minutes on 2 cores
#
# Settings (environment): BENCH_WRITES (200), BENCH_IDLE (10000), BENCH_WRITERS (8),
# BENCH_SECONDS (15), BENCH_JAVA_OPTS (-Xms256m -Xmx1g), BENCH_SKIP_BUILD (0), BENCH_ONLY
# (latency, idle or throughput: that part alone).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
: "${BENCH_WRITES:=200}" "${BENCH_IDLE:=10000}" "${BENCH_WRITERS:=8}" "${BENCH_SECONDS:=15}"
: "${BENCH_JAVA_OPTS:=-Xms256m -Xmx1g}" "${BENCH_SKIP_BUILD:=0}" "${BENCH_ONLY:=}"
OUT="$ROOT/bench/results/changes"
mkdir -p "$OUT"
TMP=$(mktemp -d)
# free ports, picked now: other work may run on this machine
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1]); s.close()'; }
A_PORT=$(free_port)
B_PORT=$(free_port)
TOKEN=bench-feed-token
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

. bench/lib.sh
bench_build "$TMP/build.log"

PIDS=()
cleanup() {
	for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && wait "$pid" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

start_service() {
	local name=$1 port=$2
	shift 2
	log "starting $name on port $port"
	# shellcheck disable=SC2086
	java $BENCH_JAVA_OPTS -cp "$CLASSPATH_ARG" dev.catalog.bench.BenchApplication --server.port="$port" \
		--logging.level.io.zonky=warn --catalog.rate-limit.enabled=false --catalog.api-tokens="$TOKEN" \
		--catalog.seed.artifacts=0 \
		--catalog.changes.max-subscribers=12000 "$@" >"$TMP/$name.log" 2>&1 &
	SERVICE_PID=$!
	PIDS+=("$SERVICE_PID")
	until curl -fs "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1; do
		kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$TMP/$name.log" >&2; exit 1; }
		sleep 1
	done
}

start_service a "$A_PORT" --catalog.data-dir="$TMP/data" --catalog.embedded.ephemeral=true \
	--bench.servers-file="$TMP/servers.env"
# shellcheck disable=SC1091
source "$TMP/servers.env"
start_service b "$B_PORT" --spring.r2dbc.url="$R2DBC_URL" --spring.r2dbc.username="$R2DBC_USERNAME" \
	--spring.r2dbc.password="$R2DBC_PASSWORD" --spring.data.redis.url="$REDIS_URL"
B_PID=$SERVICE_PID

bench() {
	# shellcheck disable=SC2086
	java -Xmx1g -cp "$CLASSPATH_ARG" dev.catalog.bench.ChangeFeedBench "$@" | tee -a "$OUT/raw.jsonl"
}

echo "{\"run\":\"$(date -u +%FT%TZ)\",\"commit\":\"$(git rev-parse --short HEAD)\",\"cores\":$(nproc)}" >>"$OUT/raw.jsonl"
if [[ -z $BENCH_ONLY || $BENCH_ONLY == latency ]]; then
	for subscribers in 1 100 1000; do
		log "latency, $subscribers subscribers"
		bench latency "$A_PORT" "$B_PORT" "$subscribers" "$BENCH_WRITES" "$TOKEN"
	done
fi
if [[ -z $BENCH_ONLY || $BENCH_ONLY == idle ]]; then
	log "heap per idle subscriber, $BENCH_IDLE subscribers"
	bench idle "$B_PORT" "$BENCH_IDLE" "$B_PID" 2>"$OUT/idle-histogram.txt"
fi
if [[ -z $BENCH_ONLY || $BENCH_ONLY == throughput ]]; then
	log "throughput, 1000 subscribers, $BENCH_WRITERS writers, ${BENCH_SECONDS}s"
	bench throughput "$A_PORT" "$B_PORT" 1000 "$BENCH_SECONDS" "$BENCH_WRITERS" "$TOKEN"
fi
curl -s "http://localhost:$B_PORT/actuator/metrics/catalog.changes.lag" | tee -a "$OUT/raw.jsonl"
echo | tee -a "$OUT/raw.jsonl"
