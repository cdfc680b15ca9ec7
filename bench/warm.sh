#!/usr/bin/env bash
# Warm from the first request: an instance is started on the benchmark catalog and, the moment
# it reports ready, the cached list is loaded at 50 connections for 60 s in 5 s windows; the
# req/s of each window is printed beside the time from launch to readiness. Run once per
# configuration to compare, e.g. without and with the warm-up requests:
#
#   BENCH_WARM_LABEL=no-warm-up-requests bench/warm.sh -- --catalog.cache.warm-up-requests=0
#   BENCH_WARM_LABEL=default bench/warm.sh
#
# The catalog must exist (bench/cpu.sh or bench/run.sh seed it). Results are appended to
# bench/results/cpu/raw/warm.jsonl. Settings: BENCH_ARTIFACTS (100000), BENCH_COLLECTIONS (1000),
# BENCH_JAVA_OPTS (-Xms512m -Xmx1g), BENCH_DATA (bench/data), BENCH_OUT (bench/results/cpu),
# BENCH_SKIP_BUILD (0), BENCH_WARM_WINDOWS (12), BENCH_JAVA (java), BENCH_WARM_JAR (empty: the
# test classpath's BenchApplication; else the path of the service's jar, for example the one
# bench/aot.sh extracts, whose JVM options such as -XX:AOTCache=… go in BENCH_JAVA_OPTS).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
EXTRA_ARGS=()
[[ ${1:-} == -- ]] && { shift; EXTRA_ARGS=("$@"); }
: "${BENCH_ARTIFACTS:=100000}" "${BENCH_COLLECTIONS:=1000}" "${BENCH_JAVA_OPTS:=-Xms512m -Xmx1g}"
: "${BENCH_DATA:=$ROOT/bench/data}" "${BENCH_OUT:=$ROOT/bench/results/cpu}" "${BENCH_SKIP_BUILD:=0}"
: "${BENCH_WARM_LABEL:=run}" "${BENCH_WARM_WINDOWS:=12}" "${BENCH_JAVA:=java}" "${BENCH_WARM_JAR:=}"
PORT=18094
mkdir -p "$BENCH_OUT/raw" "$BENCH_OUT/tmp"
if [[ -n $BENCH_WARM_JAR ]]; then
	MAIN=(-jar "$BENCH_WARM_JAR")
else
	. bench/lib.sh
	bench_build "$BENCH_OUT/tmp/build.log"
	MAIN=(-cp "$CLASSPATH_ARG" dev.catalog.bench.BenchApplication)
fi
launched=$(date +%s.%N)
# shellcheck disable=SC2086
"$BENCH_JAVA" $BENCH_JAVA_OPTS "${MAIN[@]}" --server.port=$PORT \
	--logging.level.io.zonky=warn --catalog.rate-limit.enabled=false --catalog.data-dir="$BENCH_DATA/catalog-$BENCH_ARTIFACTS-$BENCH_COLLECTIONS-0.5" \
	--catalog.seed.artifacts="$BENCH_ARTIFACTS" --catalog.seed.collections="$BENCH_COLLECTIONS" \
	--catalog.cache.fresh=1h "${EXTRA_ARGS[@]}" >"$BENCH_OUT/tmp/warm.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
until curl -fs "http://localhost:$PORT/actuator/health/readiness" >/dev/null 2>&1; do
	kill -0 $PID 2>/dev/null || { tail -30 "$BENCH_OUT/tmp/warm.log"; exit 1; }
	sleep 0.1
done
ready=$(date +%s.%N)
windows=()
for _ in $(seq 1 "$BENCH_WARM_WINDOWS"); do
	windows+=("$(wrk -t2 -c50 -d5s "http://localhost:$PORT/api/v1/artifacts" | awk '/Requests\/sec/ {print int($2)}')")
done
python3 - "$BENCH_WARM_LABEL" "$launched" "$ready" "${EXTRA_ARGS[*]}" "$BENCH_JAVA $BENCH_JAVA_OPTS" "$(cat /proc/loadavg)" "${windows[@]}" <<'EOF' | tee -a "$BENCH_OUT/raw/warm.jsonl"
import json, sys
label, launched, ready, extra, java_opts, load, *windows = sys.argv[1:]
print(json.dumps({"label": label, "args": extra, "java_opts": java_opts, "load": load,
                  "launch_to_ready_s": round(float(ready) - float(launched), 1),
                  "rps_per_5s_window": [int(w) for w in windows]}))
EOF
