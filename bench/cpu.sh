#!/usr/bin/env bash
# CPU per request: what one request costs the service, PostgreSQL and Redis, in CPU time read
# from /proc, beside req/s and latency, for the miss paths (cache bypassed: list, members page,
# detail), the cached list, the static-bytes ceiling and pgbench running our list statement.
# Writes bench/results/cpu/RESULTS.md (and raw/*.jsonl).
#
#   bench/cpu.sh                 one run (~8 minutes on 2 cores, plus seeding the first time)
#   BENCH_CPU_LABEL=after bench/cpu.sh    label the run (results go to raw/<label>.jsonl)
#
# Settings (environment): BENCH_DURATION (s per step, 20), BENCH_CONNECTIONS (50),
# BENCH_ARTIFACTS (100000), BENCH_COLLECTIONS (1000), BENCH_JAVA_OPTS (-Xms512m -Xmx1g),
# BENCH_DATA (bench/data), BENCH_OUT (bench/results/cpu), BENCH_SKIP_BUILD (0),
# BENCH_CPU_TARGETS (all: "list members detail cached static share pgbench open"; share = a
# collection's share page /s/{token}, cached HTML), BENCH_OPEN_DURATION
# (s per open-model step, 30), BENCH_OPEN_WARMUP (s sent on the same schedule before each
# open-model step and not recorded, 10), BENCH_CACHED_PORT / BENCH_BYPASS_PORT / BENCH_LIMITED_PORT
# (18091-18093).
# "open" is the open-model run: requests of the bypassed and of the cached list on a fixed
# schedule (wrk with bench/open.lua, one connection per wrk thread, as many as give each 25 ms
# between requests, at least BENCH_OPEN_CONNECTIONS (64), at most 400) at BENCH_OPEN_SHARES
# ("50 80") % of the req/s this run measured for them, latency measured from when each request
# was due: p50, p99, p99.9, with the service's and the generator's CPU per request and the cores
# they kept busy together (on 2 shared cores the generator costs more per request than wrk's
# closed loop, so a share of wrk's capacity can already saturate the machine).
# Rate limits are off in both instances (one client on purpose). The target "limited" (not in
# the default list) is the cached list on a third instance with rate limits on (limits no client
# reaches, 127.0.0.1 trusted as a proxy, BENCH_CLIENTS (1000) clients named in X-Forwarded-For
# by bench/report.lua), so that "cached" and "limited" of one run give the limits' cost:
#   BENCH_CPU_LABEL=rate-limits BENCH_CPU_TARGETS="cached limited cached limited" bench/cpu.sh
# Warm-up is not a fixed time: each target runs 5 s rounds, at least 3, until two rounds in a
# row differ by less than 5 % in req/s (at most 12 rounds), then it is measured. The JIT's own
# compilation counts as the service's CPU, so targets are always run in the same order.
# On a machine with 8 or more cores the service runs on cores 0-1, PostgreSQL and Redis on 2-5
# and wrk/pgbench on the rest (taskset); on fewer cores everything shares them, and the report
# says so.
# Any catalog.* / spring.* / management.* property after -- goes to both service instances:
#   BENCH_CPU_LABEL=no-r2dbc-observation bench/cpu.sh -- --management.observations.enable.r2dbc=false
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRA_ARGS=()
[[ ${1:-} == -- ]] && { shift; EXTRA_ARGS=("$@"); }
ROOT=$(pwd)
: "${BENCH_DURATION:=20}" "${BENCH_CONNECTIONS:=50}" "${BENCH_ARTIFACTS:=100000}" "${BENCH_COLLECTIONS:=1000}"
: "${BENCH_JAVA_OPTS:=-Xms512m -Xmx1g}" "${BENCH_DATA:=$ROOT/bench/data}" "${BENCH_OUT:=$ROOT/bench/results/cpu}"
: "${BENCH_SKIP_BUILD:=0}" "${BENCH_CPU_LABEL:=run}" "${BENCH_OPEN_WARMUP:=10}"
: "${BENCH_CPU_TARGETS:=list members detail cached static share pgbench open}"
: "${BENCH_OPEN_DURATION:=30}" "${BENCH_CLIENTS:=1000}" "${BENCH_OPEN_CONNECTIONS:=64}" "${BENCH_OPEN_SHARES:=50 80}"
CACHED_PORT=${BENCH_CACHED_PORT:-18091}
BYPASS_PORT=${BENCH_BYPASS_PORT:-18092}
RAW="$BENCH_OUT/raw"
TMP="$BENCH_OUT/tmp"
mkdir -p "$RAW" "$TMP" "$BENCH_DATA"
OUT_FILE="$RAW/$BENCH_CPU_LABEL.jsonl"
rm -f "$OUT_FILE"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
command -v wrk >/dev/null || { log "wrk is needed (apt-get install wrk)"; exit 1; }
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1 || true)
ulimit -n 65536 2>/dev/null || true

CORES=$(nproc)
if [[ $CORES -ge 8 ]]; then
	PIN_SERVICE="taskset -c 0-1"; PIN_LOAD="taskset -c 6-$((CORES - 1))"; PIN_SERVERS="2-5"
	PLACEMENT="service on cores 0-1, PostgreSQL and Redis on 2-5, load generator on 6-$((CORES - 1))"
else
	PIN_SERVICE=""; PIN_LOAD=""; PIN_SERVERS=""
	PLACEMENT="all processes share the machine's $CORES cores (nothing pinned)"
fi

. bench/lib.sh
bench_build "$TMP/build.log"

PIDS=()
cleanup() { for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start_service() {
	local name=$1 port=$2
	shift 2
	log "starting $name on port $port"
	# shellcheck disable=SC2086
	$PIN_SERVICE java $BENCH_JAVA_OPTS -cp "$CLASSPATH_ARG" dev.catalog.bench.BenchApplication \
		--server.port="$port" --logging.level.io.zonky=warn --catalog.rate-limit.enabled="$([[ $name == limited ]] && echo true || echo false)" \
		--catalog.api-tokens=bench-cpu-token "$@" "${EXTRA_ARGS[@]}" >"$TMP/$name.log" 2>&1 &
	SERVICE_PID=$!
	PIDS+=("$SERVICE_PID")
	until curl -fs "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1; do
		kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$TMP/$name.log" >&2; exit 1; }
		sleep 1
	done
}

CATALOG_DIR="$BENCH_DATA/catalog-$BENCH_ARTIFACTS-$BENCH_COLLECTIONS-0.5"
start_service cached "$CACHED_PORT" --catalog.data-dir="$CATALOG_DIR" --catalog.seed.artifacts="$BENCH_ARTIFACTS" \
	--catalog.seed.collections="$BENCH_COLLECTIONS" --catalog.seed.memberships-per-artifact=2 \
	--catalog.seed.hot-collection-share=0.5 --catalog.cache.fresh=1h --bench.servers-file="$TMP/servers.env"
CACHED_PID=$SERVICE_PID
# shellcheck disable=SC1091
source "$TMP/servers.env"
start_service bypassed "$BYPASS_PORT" --spring.r2dbc.url="$R2DBC_URL" --spring.r2dbc.username="$R2DBC_USERNAME" \
	--spring.r2dbc.password="$R2DBC_PASSWORD" --spring.data.redis.url="$REDIS_URL" --catalog.cache.enabled=false \
	--catalog.seed.artifacts=0
BYPASS_PID=$SERVICE_PID
LIMITED_PORT=${BENCH_LIMITED_PORT:-18093}
if [[ " $BENCH_CPU_TARGETS " == *" limited "* ]]; then
	start_service limited "$LIMITED_PORT" --spring.r2dbc.url="$R2DBC_URL" --spring.r2dbc.username="$R2DBC_USERNAME" \
		--spring.r2dbc.password="$R2DBC_PASSWORD" --spring.data.redis.url="$REDIS_URL" --catalog.seed.artifacts=0 \
		--catalog.cache.fresh=1h --catalog.rate-limit.trusted-proxies=127.0.0.1,::1 \
		--catalog.rate-limit.reads.rate=1000000 --catalog.rate-limit.reads.burst=1000000
	LIMITED_PID=$SERVICE_PID
fi

PG_PORT=$(python3 -c "from urllib.parse import urlparse; print(urlparse('${R2DBC_URL#r2dbc:}').port)")
REDIS_PORT=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').port)")
POSTMASTER=$(ss -ltnpH "sport = :$PG_PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
REDIS_PID=$(ss -ltnpH "sport = :$REDIS_PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
if [[ -n $PIN_SERVERS ]]; then
	taskset -a -pc "$PIN_SERVERS" "$POSTMASTER" >/dev/null
	for child in $(pgrep -P "$POSTMASTER"); do taskset -pc "$PIN_SERVERS" "$child" >/dev/null; done
	taskset -a -pc "$PIN_SERVERS" "$REDIS_PID" >/dev/null
fi
CLK_TCK=$(getconf CLK_TCK)

# CPU ticks of one process (utime + stime; with "reaped", plus its reaped children's)
ticks() { awk -v reaped="${2:-}" '{ t = $14 + $15; if (reaped) t += $16 + $17; print t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL: the postmaster with the backends it reaped, plus every live backend
pg_ticks() {
	local total
	total=$(ticks "$POSTMASTER" reaped)
	for child in $(pgrep -P "$POSTMASTER"); do total=$((total + $(ticks "$child"))); done
	echo "$total"
}

HOT=$(python3 -c "import hashlib, uuid; print(uuid.UUID(hashlib.md5(b'collection:0').hexdigest()))")
SMALL=$(python3 -c "import hashlib, uuid; print(uuid.UUID(hashlib.md5(b'collection:7').hexdigest()))")
ARTIFACT=$(curl -s "http://localhost:$CACHED_PORT/api/v1/artifacts?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

# measure TARGET PORT PID URL-PATH: warm up until stable, then one measured step
measure() {
	local target=$1 port=$2 pid=$3 path=$4 previous=0 rate
	# the rate-limited instance sees BENCH_CLIENTS clients (X-Forwarded-For), the others one
	if [[ $target == limited ]]; then export WRK_CLIENTS=$BENCH_CLIENTS; else unset WRK_CLIENTS; fi
	for round in $(seq 1 12); do
		rate=$($PIN_LOAD wrk -t2 -c"$BENCH_CONNECTIONS" -d5s -s bench/report.lua "http://localhost:$port$path" 2>/dev/null \
			| awk '/Requests\/sec/ {print int($2)}')
		log "  $target warm-up round $round: $rate req/s"
		if [[ $round -ge 3 && $previous -gt 0 ]] && python3 -c "import sys; sys.exit(0 if abs($rate - $previous) < 0.05 * $previous else 1)"; then
			break
		fi
		previous=$rate
	done
	local s0 p0 r0 s1 p1 r1
	s0=$(ticks "$pid"); p0=$(pg_ticks); r0=$(ticks "$REDIS_PID")
	$PIN_LOAD wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" -s bench/report.lua \
		"http://localhost:$port$path" >"$TMP/wrk.out" 2>&1 || true
	s1=$(ticks "$pid"); p1=$(pg_ticks); r1=$(ticks "$REDIS_PID")
	local headers
	headers=$(curl -s -o /dev/null -D - "http://localhost:$port$path" | tr -d '\r' | grep -iE '^(x-cache|server-timing|content-length):' | tr '\n' ' ')
	python3 - "$target" "$path" "$BENCH_CONNECTIONS" "$CLK_TCK" "$s0" "$s1" "$p0" "$p1" "$r0" "$r1" "$headers" \
		"$TMP/wrk.out" >>"$OUT_FILE" <<'EOF'
import json, re, sys
target, path, conns, tck, s0, s1, p0, p1, r0, r1, headers, wrk_out = sys.argv[1:]
tck = int(tck)
w = json.loads(re.search(r"^WRKJSON (.*)$", open(wrk_out).read(), re.M).group(1))
n = max(w["requests"], 1)
cpu = lambda a, b: (int(b) - int(a)) / tck * 1e6 / n
print(json.dumps({"target": target, "path": path, "connections": int(conns),
                  "rps": w["requests"] / w["duration_us"] * 1e6, "p50_us": w["p50_us"], "p99_us": w["p99_us"],
                  "service_us": cpu(s0, s1), "postgres_us": cpu(p0, p1), "redis_us": cpu(r0, r1),
                  "statuses": w["statuses"], "headers": headers.strip()}))
EOF
	tail -1 "$OUT_FILE" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("  %(target)-8s %(rps)8.0f req/s  service %(service_us)6.0f us/req  postgres %(postgres_us)6.0f us/req  redis %(redis_us)4.0f us/req  p99 %(p99_us)d us" % r)' >&2
}

for target in $BENCH_CPU_TARGETS; do
	case $target in
		list) measure list "$BYPASS_PORT" "$BYPASS_PID" /api/v1/artifacts ;;
		members) measure members "$BYPASS_PORT" "$BYPASS_PID" "/api/v1/collections/$SMALL/artifacts" ;;
		detail) measure detail "$BYPASS_PORT" "$BYPASS_PID" "/api/v1/artifacts/$ARTIFACT" ;;
		cached) measure cached "$CACHED_PORT" "$CACHED_PID" /api/v1/artifacts ;;
		limited) measure limited "$LIMITED_PORT" "$LIMITED_PID" /api/v1/artifacts ;;
		static) measure static "$CACHED_PORT" "$CACHED_PID" /bench/static ;;
		share)
			# a share link to a small collection: its page is cached HTML, a hit is one Redis round trip
			share=$(curl -fs -X POST -H 'Authorization: Bearer bench-cpu-token' \
				"http://localhost:$CACHED_PORT/api/v1/collections/$SMALL/shares" | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')
			measure share "$CACHED_PORT" "$CACHED_PID" "$share"
			;;
		open)
			for spec in "list $BYPASS_PORT /api/v1/artifacts" "cached $CACHED_PORT /api/v1/artifacts"; do
				read -r of port path <<<"$spec"
				pid_of_port=$CACHED_PID
				[[ $port == "$BYPASS_PORT" ]] && pid_of_port=$BYPASS_PID
				capacity=$(python3 -c "import json,sys
rows=[json.loads(l) for l in open('$OUT_FILE')]
print(next((r['rps'] for r in rows if r['target']=='$of'), 0))")
				[[ $capacity == 0 ]] && { log "open: no measured capacity for $of; skipped"; continue; }
				for share in $BENCH_OPEN_SHARES; do
					rate=$(python3 -c "print(round($capacity * $share / 100, 1))")
					# wrk with bench/open.lua: one connection per thread, so the schedule is per connection;
					# enough of them that each waits 25 ms between its requests (64 to 400): a connection
					# whose answers take longer than its interval falls behind its schedule
					open_connections=$(python3 -c "import math; print(min(400, max($BENCH_OPEN_CONNECTIONS, math.ceil($rate * 0.025))))")
					open_s0=$(ticks "$pid_of_port"); open_p0=$(pg_ticks)
					OPEN_RATE=$rate OPEN_CONNECTIONS=$open_connections OPEN_WARMUP=$BENCH_OPEN_WARMUP \
						/usr/bin/time -f "GENCPU %U %S" $PIN_LOAD wrk -t"$open_connections" -c"$open_connections" \
						-d"$((BENCH_OPEN_WARMUP + BENCH_OPEN_DURATION))s" --timeout 30s -s bench/open.lua \
						"http://localhost:$port$path" >"$TMP/open.out" 2>&1 || true
					open_s1=$(ticks "$pid_of_port"); open_p1=$(pg_ticks)
					python3 - "$TMP/open.out" "$of" "$share" "$path" "$BENCH_OPEN_DURATION" "$BENCH_OPEN_WARMUP" \
						"$open_connections" "$CLK_TCK" "$open_s0" "$open_s1" "$open_p0" "$open_p1" >>"$OUT_FILE" <<'EOF2'
import json, re, sys
out, of, share, path, seconds, warmup, conns, tck, s0, s1, p0, p1 = sys.argv[1:]
text = open(out).read()
r = json.loads(re.search(r"^OPENJSON (.*)$", text, re.M).group(1))
user, system = map(float, re.search(r"^GENCPU (\S+) (\S+)", text, re.M).groups())
sent = r["completed"] * (int(seconds) + int(warmup)) / int(seconds)
per = lambda a, b: (int(b) - int(a)) / int(tck) * 1e6 / max(sent, 1)
r.update(target=f"open-{of}-{share}", path=path, connections=int(conns), seconds=int(seconds), warmup=int(warmup),
         rps=r["completed"] / int(seconds), share=int(share), expected=round(float(r["rate"]) * int(seconds)), clientCpuUs=(user + system) * 1e6 / max(sent, 1),
         service_us=per(s0, s1), postgres_us=per(p0, p1), redis_us=0)
print(json.dumps(r))
EOF2
					tail -1 "$OUT_FILE" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("  %(target)-14s %(rate)8.0f req/s due  answered %(completed)d of %(expected)d due  p50 %(p50_us)d us  p99 %(p99_us)d us  p99.9 %(p999_us)d us  errors %(errors)d  service %(service_us).0f us/req  generator %(clientCpuUs).0f us/req, at worst %(lagMaxUs)d us late" % r)' >&2
				done
			done
			;;
		pgbench)
			[[ -n $PGBENCH ]] || { log "no pgbench: skipped"; continue; }
			java -cp "$CLASSPATH_ARG" dev.catalog.artifact.ListStatement 51 >"$TMP/list.sql"
			p0=$(pg_ticks)
			(cd "$TMP" && PGPASSWORD="$R2DBC_PASSWORD" $PIN_LOAD "$PGBENCH" -n -h localhost -p "$PG_PORT" \
				-U "$R2DBC_USERNAME" -M prepared -f list.sql -c "$BENCH_CONNECTIONS" -j 2 -T "$BENCH_DURATION" postgres \
				>pgbench.out 2>&1) || cat "$TMP/pgbench.out" >&2
			p1=$(pg_ticks)
			python3 - "$BENCH_CONNECTIONS" "$CLK_TCK" "$p0" "$p1" "$BENCH_DURATION" "$TMP/pgbench.out" >>"$OUT_FILE" <<'EOF'
import json, re, sys
conns, tck, p0, p1, duration, pgbench_out = sys.argv[1:]
out = open(pgbench_out).read()
tx = int(re.search(r"number of transactions actually processed: (\d+)", out).group(1))
lat = float(re.search(r"latency average = ([0-9.]+) ms", out).group(1))
print(json.dumps({"target": "pgbench", "path": "list statement, -M prepared", "connections": int(conns),
                  "rps": tx / int(duration), "p50_us": None, "p99_us": None, "latency_avg_us": lat * 1000,
                  "service_us": 0, "postgres_us": (int(p1) - int(p0)) / int(tck) * 1e6 / max(tx, 1), "redis_us": 0}))
EOF
			tail -1 "$OUT_FILE" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("  pgbench  %(rps)8.0f tps    postgres %(postgres_us)6.0f us/statement" % r)' >&2
			;;
	esac
done

python3 - "$OUT_FILE" "$BENCH_CPU_LABEL" "$PLACEMENT" "$(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')" \
	"$(cat /proc/loadavg)" "${EXTRA_ARGS[*]}" >"$RAW/$BENCH_CPU_LABEL.md" <<'EOF'
import json, sys
path, label, placement, commit, load, extra = sys.argv[1:]
rows = {r["target"]: r for r in map(json.loads, open(path))}
out = [f"### {label} (commit {commit}{', ' + extra if extra else ''})", "",
       f"{placement}; load average at the end: {load}", "",
       "| target | req/s | p50 ms | p99 ms | service µs/req | PostgreSQL µs/req | Redis µs/req | service ÷ PostgreSQL |",
       "|---|---|---|---|---|---|---|---|"]
for r in [r for r in rows.values() if not r["target"].startswith("open-")]:
    ratio = f'{r["service_us"] / r["postgres_us"]:.2f}' if r["postgres_us"] > 1 and r["service_us"] else ""
    ms = lambda v: f"{v / 1000:.1f}" if v is not None else ""
    out.append(f'| {r["target"]} | {r["rps"]:.0f} | {ms(r["p50_us"])} | {ms(r["p99_us"])} | {r["service_us"]:.0f} | '
               f'{r["postgres_us"]:.0f} | {r["redis_us"]:.0f} | {ratio} |')
if "share" in rows and "cached" in rows:
    sh, c = rows["share"], rows["cached"]
    out += ["", f'share page hit: {sh["rps"]:.0f} req/s ({sh["rps"] / c["rps"]:.2f} of the cached list), '
                f'service {sh["service_us"]:.0f} µs per request; headers of a sampled hit: {sh["headers"]}']
if "cached" in rows and "static" in rows:
    c, s = rows["cached"], rows["static"]
    out += ["", f'cached ÷ static: service CPU per request {c["service_us"] / s["service_us"]:.2f}, '
                f'req/s {c["rps"] / s["rps"]:.2f}']
if "limited" in rows and "cached" in rows:
    c, r = rows["cached"], rows["limited"]
    out += ["", f'rate limits on ÷ off (cached list): service CPU per request {r["service_us"] / c["service_us"]:.2f} '
                f'({r["service_us"] - c["service_us"]:+.0f} µs), Redis CPU per request {r["redis_us"]:.0f} vs {c["redis_us"]:.0f} µs, '
                f'req/s {r["rps"] / c["rps"]:.2f}']
if "list" in rows:
    l = rows["list"]
    out += [f'bypassed list: service + PostgreSQL CPU per request {l["service_us"] + l["postgres_us"]:.0f} µs']
opens = [r for r in rows.values() if r["target"].startswith("open-")]
if opens:
    out += ["", "Open model (requests on a fixed schedule; latency from when each was due):", "",
            "| list | share of measured req/s | req/s due | connections | answered of due | p50 ms | p99 ms | p99.9 ms | errors | service CPU µs/req | generator CPU µs/req | cores busy (service + generator + PostgreSQL) |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in opens:
        out.append(f'| {r["target"].split("-")[1]} | {r["share"]} % | {r["rate"]:.0f} | {r["connections"]} | {r["completed"]:,} of {r.get("expected", r["due"]):,} | '
                   f'{r["p50_us"] / 1000:.1f} | {r["p99_us"] / 1000:.1f} | {r["p999_us"] / 1000:.1f} | {r["errors"]} | '
                   f'{r["service_us"]:.0f} | {r["clientCpuUs"]:.0f} | '
                   f'{(r["service_us"] + r["clientCpuUs"] + r["postgres_us"]) * r["rps"] / 1e6:.2f} |')
print("\n".join(out))
EOF
cat "$RAW/$BENCH_CPU_LABEL.md"
