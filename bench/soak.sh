#!/usr/bin/env bash
# Soak: mixed reads, streams and writes at about half of the capacity measured right before,
# for SOAK_MINUTES (60), recording every minute heap after GC, live threads, R2DBC pool
# connections (of both instances), Redis used_memory and the minute's p99; at the end it fits a
# trend to every series and exits 1 if one grows beyond its tolerance (bench/soak_verdict.py
# says which and why).
#
#   bench/soak.sh                         one hour (plus ~2 minutes of seeding, warm-up and capacity)
#   SOAK_MINUTES=10 bench/soak.sh         a ten-minute run
#
# Load (dev.catalog.bench.Soak, open model: requests on a fixed schedule, latency from when each
# was due): 40 % cached lists and stats, 20 % bypassed lists (an instance with the cache off),
# 26 % detail (half each), 5 % NDJSON and 5 % SSE list streams of 200 artifacts read to the end,
# 2 % merge patches of a description, 2 % membership PUT/DELETE (the catalog keeps its size),
# plus SOAK_FEEDS (4) change-feed subscribers that reconnect every minute with Last-Event-ID.
# Rate limits are on (the default), with limits no single client reaches, so every request
# also takes its token from Redis as in production.
#
# Settings (environment): SOAK_MINUTES (60), SOAK_SHARE (0.5 of the measured capacity),
# SOAK_RATE (req/s; skips the capacity measurement), SOAK_CONNECTIONS (32: the capacity run's
# requests in flight), SOAK_FEEDS (4), SOAK_LABEL (soak-<minutes>m-<date>), BENCH_ARTIFACTS
# (100000), BENCH_COLLECTIONS (1000), BENCH_JAVA_OPTS (-Xms512m -Xmx1g), BENCH_DATA
# (bench/data), BENCH_SKIP_BUILD (0). Results: bench/results/soak/<label>/ (minutes.jsonl: the
# load's minutes; samples.jsonl: the resources; verdict.md).
set -euo pipefail
cd "${SOAK_ROOT:-$(dirname "$0")/..}"
ROOT=$(pwd)
: "${SOAK_MINUTES:=60}" "${SOAK_SHARE:=0.5}" "${SOAK_RATE:=}" "${SOAK_CONNECTIONS:=32}" "${SOAK_FEEDS:=4}"
: "${SOAK_LABEL:=soak-${SOAK_MINUTES}m-$(date -u +%Y%m%dT%H%M)}"
: "${BENCH_ARTIFACTS:=100000}" "${BENCH_COLLECTIONS:=1000}" "${BENCH_JAVA_OPTS:=-Xms512m -Xmx1g}"
: "${BENCH_DATA:=$ROOT/bench/data}" "${BENCH_SKIP_BUILD:=0}"
OUT="$ROOT/bench/results/soak/$SOAK_LABEL"
TMP="$OUT/tmp"
mkdir -p "$OUT" "$TMP" "$BENCH_DATA"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
ulimit -n 65536 2>/dev/null || true

. bench/lib.sh
bench_build "$TMP/build.log"
# a copy of the classes, so that building in this tree during an hour's run changes nothing under it
cp -r target/classes "$TMP/classes" && cp -r target/test-classes "$TMP/test-classes"
CP="$TMP/test-classes:$TMP/classes:$(cat target/bench-classpath.txt)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
TOKEN=soak-token-$RANDOM$RANDOM

PIDS=()
cleanup() { for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

LIMITS=(--catalog.rate-limit.enabled=true --catalog.rate-limit.reads.rate=1000000 --catalog.rate-limit.reads.burst=1000000
	--catalog.rate-limit.streams.rate=1000000 --catalog.rate-limit.streams.burst=1000000
	--catalog.rate-limit.writes.rate=1000000 --catalog.rate-limit.writes.burst=1000000
	--catalog.rate-limit.max-streams-per-client=100000)
start_service() {
	local name=$1 port=$2
	shift 2
	log "starting $name on port $port"
	# shellcheck disable=SC2086
	java $BENCH_JAVA_OPTS -cp "$CP" dev.catalog.bench.BenchApplication --server.port="$port" \
		--logging.level.io.zonky=warn --catalog.api-tokens="$TOKEN" "${LIMITS[@]}" "$@" >"$TMP/$name.log" 2>&1 &
	SERVICE_PID=$!
	PIDS+=("$SERVICE_PID")
	until curl -fs "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1; do
		kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$TMP/$name.log" >&2; exit 1; }
		sleep 1
	done
}

CACHED_PORT=$(free_port)
start_service cached "$CACHED_PORT" --catalog.data-dir="$BENCH_DATA/catalog-$BENCH_ARTIFACTS-$BENCH_COLLECTIONS-0.5" \
	--catalog.seed.artifacts="$BENCH_ARTIFACTS" --catalog.seed.collections="$BENCH_COLLECTIONS" \
	--catalog.seed.memberships-per-artifact=2 --catalog.seed.hot-collection-share=0.5 --bench.servers-file="$TMP/servers.env"
CACHED_PID=$SERVICE_PID
# shellcheck disable=SC1091
source "$TMP/servers.env"
BYPASS_PORT=$(free_port)
start_service bypassed "$BYPASS_PORT" --spring.r2dbc.url="$R2DBC_URL" --spring.r2dbc.username="$R2DBC_USERNAME" \
	--spring.r2dbc.password="$R2DBC_PASSWORD" --spring.data.redis.url="$REDIS_URL" --catalog.cache.enabled=false \
	--catalog.seed.artifacts=0
BYPASS_PID=$SERVICE_PID
REDIS_PORT=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').port)")
SOAK=(java -Xmx512m -cp "$CP" dev.catalog.bench.Soak "cached=http://localhost:$CACHED_PORT"
	"bypassed=http://localhost:$BYPASS_PORT" "token=$TOKEN")

if [[ -z $SOAK_RATE ]]; then
	log "warming up (30 s of the mix, closed loop), then measuring capacity (30 s, $SOAK_CONNECTIONS in flight)"
	"${SOAK[@]}" mode=capacity connections="$SOAK_CONNECTIONS" seconds=30 >"$TMP/warm.out" 2>&1 || true
	LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
	"${SOAK[@]}" mode=capacity connections="$SOAK_CONNECTIONS" seconds=30 >"$TMP/capacity.out" 2>&1 || true
	CAPACITY=$(sed -n 's/^CAPACITY \([0-9.]*\).*/\1/p' "$TMP/capacity.out")
	[[ -n $CAPACITY ]] || { cat "$TMP/capacity.out" >&2; exit 1; }
	log "capacity: $(grep ^CAPACITY "$TMP/capacity.out") (load average before: $LOAD_BEFORE)"
	SOAK_RATE=$(python3 -c "print(round($CAPACITY * $SOAK_SHARE, 1))")
else
	CAPACITY=""
fi
log "soak: $SOAK_RATE req/s for $SOAK_MINUTES minutes, $SOAK_FEEDS change-feed subscribers"

# one instance's resources: heap after a full GC, live threads, R2DBC pool connections
metric() {
	curl -fs "http://localhost:$1/actuator/metrics/$2" 2>/dev/null \
		| python3 -c 'import json,sys; print(int(json.load(sys.stdin)["measurements"][0]["value"]))' 2>/dev/null || echo null
}
instance() {
	local pid=$1 port=$2 heap threads
	jcmd "$pid" GC.run >/dev/null 2>&1 || true
	heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1)
	threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
	printf '{"heap_after_gc_kb":%s,"threads":%s,"pool_acquired":%s,"pool_allocated":%s}' "${heap:-null}" \
		"${threads:-null}" "$(metric "$port" r2dbc.pool.acquired)" "$(metric "$port" r2dbc.pool.allocated)"
}
sample() {
	local redis
	redis=$(redis-cli -p "$REDIS_PORT" info memory | tr -d '\r' | sed -n 's/^used_memory:\([0-9]*\)/\1/p')
	printf '{"minute":%s,"epoch":%s,"load":"%s","cached":%s,"bypassed":%s,"redis_used_memory":%s}\n' "$1" \
		"$(date +%s)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(instance "$CACHED_PID" "$CACHED_PORT")" \
		"$(instance "$BYPASS_PID" "$BYPASS_PORT")" "${redis:-null}" >>"$OUT/samples.jsonl"
}

rm -f "$OUT/samples.jsonl" "$OUT/minutes.jsonl"
"${SOAK[@]}" mode=run rate="$SOAK_RATE" seconds=$((SOAK_MINUTES * 60)) feeds="$SOAK_FEEDS" out="$OUT/minutes.jsonl" \
	>"$TMP/soak.out" 2>&1 &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
STARTED=$(date +%s)
for minute in $(seq 1 "$SOAK_MINUTES"); do
	sleep $((STARTED + minute * 60 - $(date +%s)))
	sample "$minute"
	log "minute $minute: $(tail -1 "$OUT/minutes.jsonl" 2>/dev/null | cut -c1-160)"
done
wait "$LOAD_PID" || true

python3 bench/soak_verdict.py "$OUT" "$SOAK_LABEL" "$(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')" \
	"${CAPACITY:-not measured}" "$SOAK_RATE" "$(nproc)" >"$OUT/verdict.md" && VERDICT=0 || VERDICT=$?
cp "$TMP/soak.out" "$OUT/load.out" 2>/dev/null || true
grep -hE 'ERROR|Exception' "$TMP"/cached.log "$TMP"/bypassed.log | sort | uniq -c | sort -rn | head -20 >"$OUT/service-errors.txt" || true
cat "$OUT/verdict.md"
exit "$VERDICT"
