#!/usr/bin/env bash
# A/B of two configurations of the service, interleaved, so both see the same machine: on a
# shared or busy machine CPU per request drifts by 2x within minutes, and runs made one after the
# other compare the machine's moods rather than the configurations.
#
#   bench/ab.sh "<A properties>" "<B properties>" [path ...]
#   bench/ab.sh "--catalog.cache.near-cache-size=0" "" /api/v1/artifacts /bench/static
#
# Starts instance A (embedded PostgreSQL and Redis, the benchmark catalog) and instance B on the
# same servers, warms both, then for BENCH_AB_ROUNDS rounds (6) runs wrk for BENCH_AB_SECONDS
# (10) on each path against A (after BENCH_AB_WARMUP rounds of 5 s each, 6), then B (then B before A in the next round, to cancel order),
# recording req/s and the service's CPU per request from /proc. Prints per path the median of
# each and the median of the per-round B ÷ A ratios; appends rows to
# bench/results/ab/<label>.jsonl (BENCH_AB_LABEL, default "ab").
# Settings: BENCH_CONNECTIONS (50), BENCH_JAVA_OPTS (-Xms512m -Xmx1g, both instances),
# BENCH_A_JAVA_OPTS / BENCH_B_JAVA_OPTS (JVM options of one instance only), BENCH_A_CLASSPATH
# (another build for A, to compare two commits: bench_classpath_of <worktree> prints it after
# building there), BENCH_ARTIFACTS (100000),
# BENCH_COLLECTIONS (1000), BENCH_DATA (bench/data), BENCH_SKIP_BUILD (0).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
A_PROPS=${1:?A properties}
B_PROPS=${2?B properties}
shift 2
PATHS=("$@")
[[ ${#PATHS[@]} -gt 0 ]] || PATHS=(/api/v1/artifacts /bench/static)
: "${BENCH_CONNECTIONS:=50}" "${BENCH_JAVA_OPTS:=-Xms512m -Xmx1g}" "${BENCH_ARTIFACTS:=100000}"
: "${BENCH_COLLECTIONS:=1000}" "${BENCH_DATA:=$ROOT/bench/data}" "${BENCH_SKIP_BUILD:=0}"
: "${BENCH_AB_ROUNDS:=6}" "${BENCH_AB_SECONDS:=10}" "${BENCH_AB_LABEL:=ab}" "${BENCH_AB_WARMUP:=6}"
OUT="$ROOT/bench/results/ab"
TMP="$OUT/tmp"
mkdir -p "$OUT" "$TMP"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
command -v wrk >/dev/null || { log "wrk is needed (apt-get install wrk)"; exit 1; }

. bench/lib.sh
bench_build "$TMP/build.log"
PIDS=()
cleanup() { for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start() {
	local name=$1 port=$2 props=$3
	shift 3
	log "starting $name on port $port: $props"
	# shellcheck disable=SC2086
	local jopts_var="BENCH_${name}_JAVA_OPTS" cp_var="BENCH_${name}_CLASSPATH"
	# shellcheck disable=SC2086
	java $BENCH_JAVA_OPTS ${!jopts_var:-} -cp "${!cp_var:-$CLASSPATH_ARG}" dev.catalog.bench.BenchApplication --server.port="$port" \
		--logging.level.io.zonky=warn --catalog.rate-limit.enabled=false --catalog.api-tokens=bench-ab-token \
		--catalog.cache.fresh=1h "$@" $props >"$TMP/$name.log" 2>&1 &
	PIDS+=($!)
	eval "${name}_PID=$!"
	until curl -fs "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1; do
		kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -50 "$TMP/$name.log" >&2; exit 1; }
		sleep 1
	done
}
start A 18095 "$A_PROPS" --catalog.data-dir="$BENCH_DATA/catalog-$BENCH_ARTIFACTS-$BENCH_COLLECTIONS-0.5" \
	--catalog.seed.artifacts="$BENCH_ARTIFACTS" --catalog.seed.collections="$BENCH_COLLECTIONS" \
	--catalog.seed.memberships-per-artifact=2 --catalog.seed.hot-collection-share=0.5 --bench.servers-file="$TMP/servers.env"
# shellcheck disable=SC1091
source "$TMP/servers.env"
start B 18096 "$B_PROPS" --spring.r2dbc.url="$R2DBC_URL" --spring.r2dbc.username="$R2DBC_USERNAME" \
	--spring.r2dbc.password="$R2DBC_PASSWORD" --spring.data.redis.url="$REDIS_URL" --catalog.seed.artifacts=0
CLK_TCK=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# one step: prints "rps service_us_per_request"
step() {
	local port=$1 pid=$2 path=$3 seconds=$4 t0 t1 out
	t0=$(ticks "$pid")
	out=$(wrk -t2 -c"$BENCH_CONNECTIONS" -d"${seconds}s" "http://localhost:$port$path" 2>/dev/null)
	t1=$(ticks "$pid")
	awk -v t0="$t0" -v t1="$t1" -v tck="$CLK_TCK" '/^Requests\/sec/ { rps = $2 } /requests in/ { n = $1 }
		END { printf "%.0f %.1f\n", rps, (t1 - t0) / tck * 1e6 / (n > 0 ? n : 1) }' <<<"$out"
}

log "warm-up: $BENCH_AB_WARMUP rounds of 5 s per instance and path"
for path in "${PATHS[@]}"; do
	for i in $(seq 1 "$BENCH_AB_WARMUP"); do step 18095 "$A_PID" "$path" 5 >/dev/null; step 18096 "$B_PID" "$path" 5 >/dev/null; done
done
ROWS="$TMP/rows.txt"
: >"$ROWS"
for round in $(seq 1 "$BENCH_AB_ROUNDS"); do
	order="A B"
	((round % 2 == 0)) && order="B A"
	for path in "${PATHS[@]}"; do
		for side in $order; do
			if [[ $side == A ]]; then result=$(step 18095 "$A_PID" "$path" "$BENCH_AB_SECONDS"); else result=$(step 18096 "$B_PID" "$path" "$BENCH_AB_SECONDS"); fi
			echo "$round $side $path $result" >>"$ROWS"
			log "round $round $side $path: $result (req/s, service µs/request)"
		done
	done
done
python3 - "$ROWS" "$A_PROPS" "$B_PROPS" "$(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')" \
	"$(cat /proc/loadavg)" "$BENCH_AB_LABEL" "$OUT/$BENCH_AB_LABEL.jsonl" <<'EOF'
import json, statistics, sys
rows_file, a_props, b_props, commit, load, label, jsonl = sys.argv[1:]
rows = {}
for line in open(rows_file):
    rnd, side, path, rps, us = line.split()
    rows.setdefault(path, {}).setdefault(int(rnd), {})[side] = (float(rps), float(us))
print(f"### {label} (commit {commit}); A: {a_props or '(defaults)'}; B: {b_props or '(defaults)'}; load at the end: {load}")
print()
print("| path | A req/s | B req/s | A µs/req | B µs/req | B ÷ A µs/req (median of rounds) | B ÷ A req/s |")
print("|---|---|---|---|---|---|---|")
with open(jsonl, "a") as out:
    for path, rounds in rows.items():
        both = [r for r in rounds.values() if "A" in r and "B" in r]
        med = lambda xs: statistics.median(xs)
        a_rps, b_rps = med([r["A"][0] for r in both]), med([r["B"][0] for r in both])
        a_us, b_us = med([r["A"][1] for r in both]), med([r["B"][1] for r in both])
        cpu_ratio = med([r["B"][1] / r["A"][1] for r in both])
        rps_ratio = med([r["B"][0] / r["A"][0] for r in both])
        print(f"| {path} | {a_rps:.0f} | {b_rps:.0f} | {a_us:.0f} | {b_us:.0f} | {cpu_ratio:.2f} | {rps_ratio:.2f} |")
        out.write(json.dumps({"label": label, "commit": commit, "a": a_props, "b": b_props, "path": path,
                              "rounds": len(both), "a_rps": a_rps, "b_rps": b_rps, "a_us": a_us, "b_us": b_us,
                              "b_over_a_us": cpu_ratio, "b_over_a_rps": rps_ratio, "load": load}) + "\n")
paths = list(rows)
if len(paths) >= 2:
    first, last = paths[0], paths[-1]
    print()
    for side in "AB":
        common = [n for n in rows[first] if side in rows[first][n] and side in rows[last].get(n, {})]
        us = statistics.median([rows[first][n][side][1] / rows[last][n][side][1] for n in common])
        rps = statistics.median([rows[first][n][side][0] / rows[last][n][side][0] for n in common])
        print(f"{side}: {first} ÷ {last}: service CPU per request {us:.2f}, req/s {rps:.2f} (medians of the rounds)")
EOF
