#!/usr/bin/env bash
# The benchmark: the classic N+1 and four-query designs, ours with the cache bypassed and with
# it, a static-bytes ceiling and pgbench with our list statement, at 10..1000 connections, in
# one run; then the list endpoint on catalogs of different sizes; then the report
# (bench/results/RESULTS.md and chart.svg).
#
#   bench/run.sh            the full run (about 30 minutes on 2 cores, seeding included)
#   bench/run.sh --quick    a short validation run (2 s steps, small catalogs, ~6 minutes)
#
# Settings (environment): BENCH_DURATION (s per step, 15), BENCH_CONNECTIONS ("10 50 100 200
# 1000"), BENCH_ARTIFACTS (100000), BENCH_COLLECTIONS (1000), BENCH_SCALING (1 = run it),
# BENCH_SCALING_DURATION (s, 10), BENCH_WARMUP (s per target, 30), BENCH_TARGETS (all: "naive
# four-query ours-bypassed ours-cached static pgbench"), BENCH_SCALING_CATALOGS ("artifacts:hot-share ..."),
# BENCH_PGBENCH_MAX_CLIENTS (200; PostgreSQL allows 300 connections and the two services hold
# some), BENCH_WRK_TIMEOUT (5s), BENCH_JAVA_OPTS (-Xms512m -Xmx1g), BENCH_DATA (bench/data),
# BENCH_OUT (bench/results), BENCH_SKIP_BUILD (0).
# Any catalog.* / spring.* property can be passed to both service instances as extra
# arguments after the options, e.g. bench/run.sh -- --spring.r2dbc.pool.max-size=8
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

QUICK=0
EXTRA_ARGS=()
while [[ $# -gt 0 ]]; do
	case "$1" in
		--quick) QUICK=1 ;;
		--) shift; EXTRA_ARGS=("$@"); break ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

if [[ $QUICK == 1 ]]; then
	: "${BENCH_DURATION:=2}" "${BENCH_ARTIFACTS:=10000}" "${BENCH_SCALING_DURATION:=2}" "${BENCH_WARMUP:=2}"
	: "${BENCH_SCALING_CATALOGS:=1000:0.5 10000:0.5 10000:0.001}"
	: "${BENCH_LABEL:=short validation run (--quick): 2 s steps, 10,000-artifact catalog; not the benchmark}"
fi
: "${BENCH_DURATION:=15}" "${BENCH_CONNECTIONS:=10 50 100 200 1000}" "${BENCH_WARMUP:=30}"
: "${BENCH_TARGETS:=naive four-query ours-bypassed ours-cached static pgbench}"
: "${BENCH_ARTIFACTS:=100000}" "${BENCH_COLLECTIONS:=1000}" "${BENCH_HOT_SHARE:=0.5}"
: "${BENCH_SCALING:=1}" "${BENCH_SCALING_DURATION:=10}" "${BENCH_SCALING_CONNECTIONS:=10}"
: "${BENCH_SCALING_CATALOGS:=10000:0.5 100000:0.5 1000000:0.5 100000:0.0001 100000:0.1 1000000:1.0}"
: "${BENCH_PGBENCH_MAX_CLIENTS:=200}" "${BENCH_WRK_TIMEOUT:=5s}" "${BENCH_WRK_THREADS:=2}"
: "${BENCH_JAVA_OPTS:=-Xms512m -Xmx1g}" "${BENCH_DATA:=$ROOT/bench/data}" "${BENCH_OUT:=$ROOT/bench/results}"
: "${BENCH_SKIP_BUILD:=0}" "${BENCH_LABEL:=full run}"
CACHED_PORT=18081
BYPASS_PORT=18082

RAW="$BENCH_OUT/raw"
TMP="$BENCH_OUT/tmp"
mkdir -p "$RAW" "$TMP" "$BENCH_DATA"
rm -f "$RAW"/*.jsonl "$TMP"/*
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- tools
install_tools() {
	local missing=()
	command -v wrk >/dev/null || missing+=(wrk)
	command -v curl >/dev/null || missing+=(curl)
	command -v python3 >/dev/null || missing+=(python3)
	command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
	# Debian 12 ships pgbench in the server package (postgresql-15), not in postgresql-client
	find_pgbench >/dev/null || missing+=(postgresql-15)
	if [[ ${#missing[@]} -gt 0 ]]; then
		log "installing ${missing[*]} from Debian"
		local sudo=""
		[[ $(id -u) -ne 0 ]] && sudo=sudo
		# only the pgbench binary is wanted: do not create and start a 'main' cluster
		$sudo mkdir -p /etc/postgresql-common/createcluster.d
		echo 'create_main_cluster = false' | $sudo tee /etc/postgresql-common/createcluster.d/bench.conf >/dev/null
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
}
find_pgbench() {
	command -v pgbench 2>/dev/null && return 0
	ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1 | grep . && return 0
	return 1
}
install_tools
PGBENCH=$(find_pgbench)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[[ $(ulimit -n) -lt 2100 ]] && log "warning: ulimit -n is $(ulimit -n); 1000 connections need ~2100 descriptors"

# ---------------------------------------------------------------- build
. bench/lib.sh
bench_build "$TMP/build.log"

# ---------------------------------------------------------------- service instances
PIDS=()
cleanup() {
	for pid in "${PIDS[@]:-}"; do
		[[ -n $pid ]] && kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]:-}"; do
		[[ -n $pid ]] && wait "$pid" 2>/dev/null || true
	done
}
trap cleanup EXIT

# start_service NAME PORT ARGS... ; sets SERVICE_PID
start_service() {
	local name=$1 port=$2
	shift 2
	log "starting $name on port $port"
	# the benchmark is one client at thousands of requests a second on purpose: no rate limit
	# shellcheck disable=SC2086
	java $BENCH_JAVA_OPTS -cp "$CLASSPATH_ARG" dev.catalog.bench.BenchApplication \
		--server.port="$port" --logging.level.io.zonky=warn --catalog.rate-limit.enabled=false "$@" "${EXTRA_ARGS[@]}" >"$TMP/$name.log" 2>&1 &
	SERVICE_PID=$!
	PIDS+=("$SERVICE_PID")
	local deadline=$((SECONDS + 1800))
	until curl -fs "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1; do
		if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
			tail -50 "$TMP/$name.log" >&2
			log "$name did not start"
			exit 1
		fi
		[[ $SECONDS -gt $deadline ]] && { log "$name not ready after 30 min"; exit 1; }
		sleep 1
	done
	grep -h 'Seeded' "$TMP/$name.log" >&2 || true
}
stop_service() {
	local pid=$1
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

hot_collection_id() {
	python3 -c "import hashlib, uuid; print(uuid.UUID(hashlib.md5(b'collection:0').hexdigest()))"
}

# sample PORT PATH: statements (from Server-Timing) and X-Cache of one request
sample_headers() {
	local headers
	headers=$(curl -s -o /dev/null -D - "http://localhost:$1$2" | tr -d '\r')
	local statements cache status
	status=$(printf '%s\n' "$headers" | awk 'NR==1{print $2}')
	statements=$(printf '%s\n' "$headers" | sed -n 's/^[Ss]erver-[Tt]iming:.*desc="\([0-9]*\) statement.*/\1/p' | head -1)
	cache=$(printf '%s\n' "$headers" | sed -n 's/^[Xx]-[Cc]ache: *//p' | head -1)
	printf '{"status":%s,"statements":%s,"x_cache":"%s"}' "${status:-0}" "${statements:-null}" "${cache:-}"
}

# metric PORT NAME [TAG]: a value from /actuator/metrics (first measurement), or null
metric() {
	local url="http://localhost:$1/actuator/metrics/$2"
	[[ -n ${3:-} ]] && url="$url?tag=$3"
	curl -s -m 10 "$url" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["measurements"][0]["value"])
except Exception: print("null")'
}

statements_total() {
	curl -s -m 10 "http://localhost:$1/actuator/prometheus" \
		| awk '/^catalog_db_statements_total/ {print $2; found=1} END {if (!found) print 0}'
}

# snapshot PORT PID: heap, threads and the pool while a burst runs
snapshot() {
	local port=$1 pid=$2
	local heap threads rss pending acquired
	heap=$(metric "$port" jvm.memory.used area:heap)
	threads=$(metric "$port" jvm.threads.live)
	pending=$(metric "$port" r2dbc.pool.pending)
	acquired=$(metric "$port" r2dbc.pool.acquired)
	rss=$(awk '/VmRSS/ {print $2 * 1024}' "/proc/$pid/status" 2>/dev/null || echo null)
	local os_threads
	os_threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo null)
	printf '{"heap_used":%s,"jvm_threads_live":%s,"os_threads":%s,"rss":%s,"pool_pending":%s,"pool_acquired":%s}' \
		"$heap" "$threads" "${os_threads:-null}" "${rss:-null}" "$pending" "$acquired"
}

# run_wrk SECTION TARGET PORT PID PATH CONNECTIONS DURATION
run_wrk() {
	local section=$1 target=$2 port=$3 pid=$4 path=$5 connections=$6 duration=$7
	local threads=$BENCH_WRK_THREADS
	[[ $connections -lt $threads ]] && threads=$connections
	local before after sample snap="null"
	sample=$(sample_headers "$port" "$path")
	before=$(statements_total "$port")
	wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout "$BENCH_WRK_TIMEOUT" -s bench/report.lua \
		"http://localhost:$port$path" >"$TMP/wrk.out" 2>&1 &
	local wrk_pid=$!
	if [[ $connections -ge 1000 ]]; then
		sleep $(((duration + 1) / 2))
		snap=$(snapshot "$port" "$pid")
	fi
	wait "$wrk_pid" || true
	after=$(statements_total "$port")
	local result
	result=$(sed -n 's/^WRKJSON //p' "$TMP/wrk.out")
	[[ -z $result ]] && { cat "$TMP/wrk.out" >&2; result='{"requests":0,"failed":true}'; }
	local after_sample
	after_sample=$(sample_headers "$port" "$path")
	printf '{"section":"%s","target":"%s","path":"%s","connections":%d,"duration_s":%s,"wrk":%s,"sample":%s,"sample_after":%s,"statements_delta":%s,"burst":%s}\n' \
		"$section" "$target" "$path" "$connections" "$duration" "$result" "$sample" "$after_sample" \
		"$(python3 -c "print(float('$after') - float('$before'))")" "$snap" >>"$RAW/$section.jsonl"
	python3 - "$RAW/$section.jsonl" <<'EOF' >&2
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
w = r["wrk"]
rps = w.get("requests", 0) / max(w.get("duration_us", 1), 1) * 1e6
print(f'  {r["target"]:<14} c={r["connections"]:<5} {rps:9.1f} req/s  p50 {w.get("p50_us",0)/1000:8.1f} ms'
      f'  p95 {w.get("p95_us",0)/1000:8.1f} ms  p99 {w.get("p99_us",0)/1000:8.1f} ms  statuses {w.get("statuses")}  socket errors '
      f'{sum(w.get(k,0) for k in ("connect_errors","read_errors","write_errors","timeouts"))}')
EOF
}

# ---------------------------------------------------------------- machine
python3 - "$RAW/machine.json" "$BENCH_LABEL" <<EOF
import json, os, platform, subprocess, sys
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return ""
info = {
    "label": sys.argv[2],
    "date": sh("date -u +%Y-%m-%dT%H:%M:%SZ"),
    "commit": sh("git rev-parse --short HEAD") + ("" if not sh("git status --porcelain -- src bench/run.sh") else " (+local changes)"),
    "nproc": sh("nproc"),
    "cpu": sh("lscpu | sed -n 's/^Model name: *//p'") or platform.processor(),
    "memory": sh("free -h | awk '/Mem:/ {print \$2}'"),
    "kernel": platform.release(),
    "os": sh(". /etc/os-release && echo \$PRETTY_NAME"),
    "jdk": sh("java -version 2>&1 | head -2 | tr '\n' ' '"),
    "java_opts": "$BENCH_JAVA_OPTS",
    "extra_args": "${EXTRA_ARGS[*]:-}",
    "wrk": sh("wrk -v 2>&1 | head -1"),
    "pgbench": sh("$PGBENCH --version"),
    "load_before": sh("cat /proc/loadavg"),
    "duration_s": $BENCH_DURATION, "connections": "$BENCH_CONNECTIONS",
    "artifacts": $BENCH_ARTIFACTS, "collections": $BENCH_COLLECTIONS, "hot_share": $BENCH_HOT_SHARE,
    "wrk_timeout": "$BENCH_WRK_TIMEOUT", "wrk_threads": $BENCH_WRK_THREADS,
    "pgbench_max_clients": $BENCH_PGBENCH_MAX_CLIENTS,
}
json.dump(info, open(sys.argv[1], "w"), indent=1)
EOF

# ---------------------------------------------------------------- comparison
CATALOG_DIR="$BENCH_DATA/catalog-$BENCH_ARTIFACTS-$BENCH_COLLECTIONS-$BENCH_HOT_SHARE"
SEED_ARGS=(--catalog.seed.artifacts="$BENCH_ARTIFACTS" --catalog.seed.collections="$BENCH_COLLECTIONS"
	--catalog.seed.memberships-per-artifact=2 --catalog.seed.hot-collection-share="$BENCH_HOT_SHARE")

start_service cached "$CACHED_PORT" --catalog.data-dir="$CATALOG_DIR" "${SEED_ARGS[@]}" \
	--bench.servers-file="$TMP/servers.env"
CACHED_PID=$SERVICE_PID
# shellcheck disable=SC1091
source "$TMP/servers.env"
start_service bypassed "$BYPASS_PORT" --spring.r2dbc.url="$R2DBC_URL" --spring.r2dbc.username="$R2DBC_USERNAME" \
	--spring.r2dbc.password="$R2DBC_PASSWORD" --spring.data.redis.url="$REDIS_URL" --catalog.cache.enabled=false \
	--catalog.seed.artifacts=0
BYPASS_PID=$SERVICE_PID

TARGETS=(
	"naive $BYPASS_PORT $BYPASS_PID /bench/naive"
	"four-query $BYPASS_PORT $BYPASS_PID /bench/four-query"
	"ours-bypassed $BYPASS_PORT $BYPASS_PID /api/v1/artifacts"
	"ours-cached $CACHED_PORT $CACHED_PID /api/v1/artifacts"
	"static $CACHED_PORT $CACHED_PID /bench/static"
)
for spec in "${TARGETS[@]}"; do
	read -r target port pid path <<<"$spec"
	[[ " $BENCH_TARGETS " == *" $target "* ]] || continue
	log "$target: warming up for ${BENCH_WARMUP}s"
	wrk -t2 -c20 -d"${BENCH_WARMUP}s" "http://localhost:$port$path" >/dev/null 2>&1 || true
	for connections in $BENCH_CONNECTIONS; do
		run_wrk comparison "$target" "$port" "$pid" "$path" "$connections" "$BENCH_DURATION"
	done
done

# ---------------------------------------------------------------- pgbench ceiling
PG_HOST=$(python3 -c "from urllib.parse import urlparse; print(urlparse('${R2DBC_URL#r2dbc:}'.replace('pool:', '')).hostname)")
PG_PORT=$(python3 -c "from urllib.parse import urlparse; print(urlparse('${R2DBC_URL#r2dbc:}'.replace('pool:', '')).port or 5432)")
PG_DB=$(python3 -c "from urllib.parse import urlparse; print(urlparse('${R2DBC_URL#r2dbc:}'.replace('pool:', '')).path.lstrip('/') or 'postgres')")
java -cp "$CLASSPATH_ARG" dev.catalog.artifact.ListStatement 51 >"$TMP/list.sql"
for connections in $BENCH_CONNECTIONS; do
	[[ " $BENCH_TARGETS " == *" pgbench "* ]] || break
	clients=$connections
	[[ $clients -gt $BENCH_PGBENCH_MAX_CLIENTS ]] && clients=$BENCH_PGBENCH_MAX_CLIENTS
	rm -f "$TMP"/pgbench_log*
	(cd "$TMP" && PGPASSWORD="$R2DBC_PASSWORD" "$PGBENCH" -n -h "$PG_HOST" -p "$PG_PORT" -U "$R2DBC_USERNAME" \
		-M prepared -f list.sql -c "$clients" -j 2 -T "$BENCH_DURATION" -l --log-prefix=pgbench_log "$PG_DB" \
		>pgbench.out 2>&1) || { cat "$TMP/pgbench.out" >&2; }
	python3 - "$TMP" "$connections" "$clients" "$BENCH_DURATION" <<'EOF' >>"$RAW/pgbench.jsonl"
import glob, json, re, sys
tmp, connections, clients, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
out = open(f"{tmp}/pgbench.out").read()
latencies = []
failed = 0
for name in glob.glob(f"{tmp}/pgbench_log*"):
    for line in open(name):
        fields = line.split()
        if len(fields) >= 3:
            if fields[2] in ("failed", "skipped"):
                failed += 1
            else:
                latencies.append(int(fields[2]))
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] if latencies else 0
tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
print(json.dumps({"section": "pgbench", "target": "pgbench", "connections": connections, "clients": clients,
                  "duration_s": duration, "transactions": len(latencies), "failed": failed,
                  "tps": float(tps.group(1)) if tps else len(latencies) / duration,
                  "p50_us": pct(50), "p99_us": pct(99), "error": None if tps else out[-500:]}))
EOF
	tail -1 "$RAW/pgbench.jsonl" | python3 -c 'import json, sys
r = json.load(sys.stdin)
print("  pgbench        c=%-5d (%d clients) %9.1f tps    p50 %8.1f ms  p99 %8.1f ms" % (
    r["connections"], r["clients"], r["tps"], r["p50_us"] / 1000, r["p99_us"] / 1000), file=sys.stderr)'
done
rm -f "$TMP"/pgbench_log*

stop_service "$BYPASS_PID"
stop_service "$CACHED_PID"
PIDS=()

# ---------------------------------------------------------------- scaling
if [[ $BENCH_SCALING == 1 ]]; then
	HOT=$(hot_collection_id)
	for catalog in $BENCH_SCALING_CATALOGS; do
		artifacts=${catalog%%:*}
		share=${catalog##*:}
		dir="$BENCH_DATA/catalog-$artifacts-$BENCH_COLLECTIONS-$share"
		start_service "scaling-$artifacts-$share" "$BYPASS_PORT" --catalog.data-dir="$dir" \
			--catalog.seed.artifacts="$artifacts" --catalog.seed.collections="$BENCH_COLLECTIONS" \
			--catalog.seed.memberships-per-artifact=2 --catalog.seed.hot-collection-share="$share" \
			--catalog.cache.enabled=false
		pid=$SERVICE_PID
		wrk -t2 -c10 -d"${BENCH_WARMUP}s" \
			"http://localhost:$BYPASS_PORT/api/v1/artifacts" >/dev/null 2>&1 || true
		for spec in "first-page /api/v1/artifacts" "filtered-by-hot /api/v1/artifacts?collection=$HOT" \
			"hot-members /api/v1/collections/$HOT/artifacts"; do
			read -r target path <<<"$spec"
			run_wrk "scaling-$artifacts-$share" "$target" "$BYPASS_PORT" "$pid" "$path" \
				"$BENCH_SCALING_CONNECTIONS" "$BENCH_SCALING_DURATION"
		done
		curl -s "http://localhost:$BYPASS_PORT/api/v1/collections/$HOT" >"$RAW/scaling-$artifacts-$share.hot.json"
		stop_service "$pid"
		PIDS=()
	done
fi

# ---------------------------------------------------------------- report
python3 bench/report.py "$BENCH_OUT"
log "wrote $BENCH_OUT/RESULTS.md and $BENCH_OUT/chart.svg"
