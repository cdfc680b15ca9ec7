#!/usr/bin/env bash
# What browsers and CDNs get: bytes per page by encoding; the cached list asked for as a browser
# asks (Accept-Encoding: gzip, deflate, br, zstd) beside identity and the static-bytes ceiling;
# the facet counts uncached and cached (the cached instance keeps entries fresh for an hour, so
# that every cached step is hits only and any compression counted during one is a defect), on a 100,000- and a 1,000,000-artifact catalog. Writes
# bench/results/browser/RESULTS.md (and raw/*.jsonl beside it).
#
#   bench/browser.sh            about 15 minutes on 2 idle cores (seeding the 1M catalog included)
#   bench/browser.sh --quick    a short validation run (2 s steps, 10,000 and 20,000 artifacts)
#
# Settings (environment): BENCH_DURATION (s per step, 15), BENCH_CONNECTIONS ("10 100 1000"),
# BENCH_WARMUP (s per target, 20), BENCH_CATALOGS ("100000 1000000"), BENCH_COLLECTIONS (1000),
# BENCH_JAVA_OPTS (-Xms512m -Xmx1g), BENCH_DATA (bench/data), BENCH_OUT (bench/results/browser),
# BENCH_SKIP_BUILD (0), BENCH_ENCODINGS (1: run the encodings part), BENCH_FACET_UNCACHED_CONNECTIONS
# (1: uncached facets are measured one at a time, their latency; several at once on 2 cores
# queue behind each other and past the statement timeout on the 1M catalog). Runs on the same machine as everything else: compare figures within a
# run (ratios), not across machines.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [[ ${1:-} == --quick ]]; then
	: "${BENCH_DURATION:=2}" "${BENCH_WARMUP:=2}" "${BENCH_CATALOGS:=10000 20000}" "${BENCH_CONNECTIONS:=10 100}"
	: "${BENCH_LABEL:=short validation run (--quick); not the benchmark}"
fi
: "${BENCH_DURATION:=15}" "${BENCH_CONNECTIONS:=10 100 1000}" "${BENCH_WARMUP:=20}"
: "${BENCH_CATALOGS:=100000 1000000}" "${BENCH_COLLECTIONS:=1000}" "${BENCH_JAVA_OPTS:=-Xms512m -Xmx1g}"
: "${BENCH_DATA:=$ROOT/bench/data}" "${BENCH_OUT:=$ROOT/bench/results/browser}" "${BENCH_SKIP_BUILD:=0}"
: "${BENCH_LABEL:=full run}" "${BENCH_ENCODINGS:=1}" "${BENCH_FACET_UNCACHED_CONNECTIONS:=1}"
PORT=18091
BYPASS_PORT=18092
BROWSER_ENCODING="gzip, deflate, br, zstd"

RAW="$BENCH_OUT/raw"
TMP="$BENCH_OUT/tmp"
mkdir -p "$RAW" "$TMP" "$BENCH_DATA"
rm -f "$RAW"/*.jsonl "$TMP"/*
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
command -v wrk >/dev/null || { log "needs wrk (apt-get install wrk)"; exit 1; }
ulimit -n 65536 2>/dev/null || true

. bench/lib.sh
bench_build "$TMP/build.log"

PIDS=()
cleanup() { for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# start_service NAME PORT ARGS... ; sets SERVICE_PID
start_service() {
	local name=$1 port=$2
	shift 2
	log "starting $name on port $port"
	# shellcheck disable=SC2086
	java $BENCH_JAVA_OPTS -cp "$CLASSPATH_ARG" dev.catalog.bench.BenchApplication --server.port="$port" \
		--logging.level.io.zonky=warn --catalog.rate-limit.enabled=false "$@" >"$TMP/$name.log" 2>&1 &
	SERVICE_PID=$!
	PIDS+=("$SERVICE_PID")
	until curl -fs "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1; do
		kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$TMP/$name.log" >&2; exit 1; }
		sleep 1
	done
	grep -h 'Seeded' "$TMP/$name.log" >&2 || true
}

# wrk_json SECTION TARGET URL CONNECTIONS [HEADER]: one wrk step as a JSON line in raw/SECTION.jsonl
wrk_json() {
	local section=$1 target=$2 url=$3 connections=$4 header=${5:-}
	local threads=2
	[[ $connections -lt 2 ]] && threads=1
	local args=(-t"$threads" -c"$connections" -d"${BENCH_DURATION}s" --timeout 5s -s bench/report.lua)
	[[ -n $header ]] && args+=(-H "$header")
	local result
	result=$(wrk "${args[@]}" "$url" 2>&1 | sed -n 's/^WRKJSON //p')
	[[ -z $result ]] && result='{"requests":0,"failed":true}'
	local cache
	cache=$(curl -s -o /dev/null -D - ${header:+-H "$header"} "$url" | tr -d '\r' | sed -n 's/^[Xx]-[Cc]ache: *//p')
	printf '{"section":"%s","target":"%s","url":"%s","header":"%s","connections":%d,"x_cache":"%s","wrk":%s}\n' \
		"$section" "$target" "$url" "$header" "$connections" "$cache" "$result" | tee -a "$RAW/$section.jsonl" \
		| python3 -c 'import json,sys
r = json.loads(sys.stdin.read()); w = r["wrk"]
rps = w.get("requests", 0) / max(w.get("duration_us", 1), 1) * 1e6
print("  %-22s c=%-5d %9.1f req/s  p50 %7.1f ms  p99 %7.1f ms  %s" % (r["target"], r["connections"], rps,
      w.get("p50_us", 0) / 1000, w.get("p99_us", 0) / 1000, r["x_cache"]), file=sys.stderr)'
}

compressions() {
	curl -s "http://localhost:$1/actuator/prometheus" | awk '/^catalog_cache_compressions_seconds_count/ {s += $2} END {print s + 0}'
}

HOT=$(python3 -c "import hashlib, uuid; print(uuid.UUID(hashlib.md5(b'collection:0').hexdigest()))")
FIRST=true
for artifacts in $BENCH_CATALOGS; do
	dir="$BENCH_DATA/catalog-$artifacts-$BENCH_COLLECTIONS-0.5"
	start_service "cached-$artifacts" "$PORT" --catalog.data-dir="$dir" --catalog.seed.artifacts="$artifacts" \
		--catalog.seed.collections="$BENCH_COLLECTIONS" --catalog.seed.memberships-per-artifact=2 \
		--catalog.seed.hot-collection-share=0.5 --bench.servers-file="$TMP/servers.env" \
		--catalog.cache.fresh=1h --catalog.cache.stale=1h
	cached=$SERVICE_PID
	# shellcheck disable=SC1091
	source "$TMP/servers.env"
	start_service "bypassed-$artifacts" "$BYPASS_PORT" --spring.r2dbc.url="$R2DBC_URL" \
		--spring.r2dbc.username="$R2DBC_USERNAME" --spring.r2dbc.password="$R2DBC_PASSWORD" \
		--spring.data.redis.url="$REDIS_URL" --catalog.cache.enabled=false --catalog.seed.artifacts=0
	bypassed=$SERVICE_PID

	if [[ $FIRST == true && $BENCH_ENCODINGS == 1 ]]; then
		log "bytes per page ($artifacts artifacts)"
		for encoding in identity gzip br zstd; do
			curl -s -o "$TMP/page.$encoding" -D "$TMP/page.$encoding.headers" -H "Accept-Encoding: $encoding" \
				"http://localhost:$PORT/api/v1/artifacts"
			printf '{"encoding":"%s","content_encoding":"%s","bytes":%d}\n' "$encoding" \
				"$(tr -d '\r' <"$TMP/page.$encoding.headers" | sed -n 's/^[Cc]ontent-[Ee]ncoding: *//p')" \
				"$(stat -c %s "$TMP/page.$encoding")" >>"$RAW/bytes.jsonl"
		done
		cat "$RAW/bytes.jsonl" >&2
		for target in "identity|http://localhost:$PORT/api/v1/artifacts|" \
			"browser-encodings|http://localhost:$PORT/api/v1/artifacts|Accept-Encoding: $BROWSER_ENCODING" \
			"gzip|http://localhost:$PORT/api/v1/artifacts|Accept-Encoding: gzip" \
			"static|http://localhost:$PORT/bench/static|"; do
			IFS='|' read -r name url header <<<"$target"
			log "cached list, $name: warming up ${BENCH_WARMUP}s"
			wrk -t2 -c20 -d"${BENCH_WARMUP}s" ${header:+-H "$header"} "$url" >/dev/null 2>&1 || true
			before=$(compressions "$PORT")
			for connections in $BENCH_CONNECTIONS; do
				wrk_json encodings "$name" "$url" "$connections" "$header"
			done
			after=$(compressions "$PORT")
			printf '{"target":"%s","compressions_during_steps":%s}\n' "$name" "$((after - before))" >>"$RAW/compressions.jsonl"
		done
		FIRST=false
	fi

	log "facets ($artifacts artifacts)"
	for spec in "all|/api/v1/artifacts/facets" "hot-collection|/api/v1/artifacts/facets?collection=$HOT" \
		"type-and-tag|/api/v1/artifacts/facets?type=skill&tag=ai"; do
		IFS='|' read -r name path <<<"$spec"
		wrk -t1 -c2 -d"$BENCH_WARMUP" "http://localhost:$BYPASS_PORT$path" >/dev/null 2>&1 || true
		wrk_json "facets-$artifacts" "uncached-$name" "http://localhost:$BYPASS_PORT$path" \
			"$BENCH_FACET_UNCACHED_CONNECTIONS"
		wrk_json "facets-$artifacts" "cached-$name" "http://localhost:$PORT$path" 10
	done
	kill "$bypassed" "$cached" 2>/dev/null || true
	wait "$bypassed" "$cached" 2>/dev/null || true
	PIDS=()
done

python3 bench/browser_report.py "$BENCH_OUT" "$BENCH_LABEL" "$(git rev-parse --short HEAD)" "$(cat /proc/loadavg)"
