#!/usr/bin/env bash
# Warm start with Java 25's AOT cache (JEP 483 classes loaded and linked ahead of time, JEP 515
# method profiles), against the same JVM without it: the service's jar is extracted
# (`-Djarmode=tools extract`: the AOT cache needs plain jars on the class path), one training run
# records the cache (`-XX:AOTCacheOutput`) while serving the cached list, detail and NDJSON for
# BENCH_AOT_TRAIN seconds, then bench/warm.sh runs BENCH_AOT_PAIRS (2) times without and with
# `-XX:AOTCache`, alternating, appending to bench/results/cpu/raw/warm.jsonl.
#
#   bench/aot.sh
#
# Needs a JDK 25 (BENCH_JAVA25, default the newest /usr/lib/jvm/*25*/bin/java) and the benchmark
# catalog (bench/cpu.sh or bench/run.sh seed it). Settings: BENCH_AOT_TRAIN (30), BENCH_AOT_PAIRS (2),
# BENCH_ARTIFACTS (100000), BENCH_COLLECTIONS (1000), BENCH_DATA (bench/data), BENCH_SKIP_BUILD (0).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
: "${BENCH_AOT_TRAIN:=30}" "${BENCH_AOT_PAIRS:=2}" "${BENCH_ARTIFACTS:=100000}" "${BENCH_COLLECTIONS:=1000}"
: "${BENCH_DATA:=$ROOT/bench/data}" "${BENCH_SKIP_BUILD:=0}"
: "${BENCH_JAVA25:=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | sort -V | tail -1)}"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ -x $BENCH_JAVA25 ]] || { log "a JDK 25 is needed (BENCH_JAVA25)"; exit 1; }
DIR="$ROOT/target/aot"
if [[ $BENCH_SKIP_BUILD != 1 ]]; then
	log "building the jar"
	./mvnw -B -q -DskipTests package >/dev/null
fi
JAR=$(ls target/artifact-catalog-*.jar | grep -v plain | head -1)
rm -rf "$DIR" && mkdir -p "$DIR"
"$BENCH_JAVA25" -Djarmode=tools -jar "$JAR" extract --destination "$DIR/app" >/dev/null
APP="$DIR/app/$(basename "$JAR")"
PORT=18097
log "training run: recording $DIR/app.aot"
"$BENCH_JAVA25" -Xms512m -Xmx1g -XX:AOTCacheOutput="$DIR/app.aot" -jar "$APP" --server.port=$PORT \
	--logging.level.io.zonky=warn --catalog.rate-limit.enabled=false \
	--catalog.data-dir="$BENCH_DATA/catalog-$BENCH_ARTIFACTS-$BENCH_COLLECTIONS-0.5" \
	--catalog.seed.artifacts="$BENCH_ARTIFACTS" --catalog.seed.collections="$BENCH_COLLECTIONS" \
	--catalog.cache.fresh=1h >"$DIR/training.log" 2>&1 &
PID=$!
until curl -fs "http://localhost:$PORT/actuator/health/readiness" >/dev/null 2>&1; do
	kill -0 $PID 2>/dev/null || { tail -30 "$DIR/training.log"; exit 1; }
	sleep 0.5
done
ID=$(curl -fs "http://localhost:$PORT/api/v1/artifacts?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
third=$((BENCH_AOT_TRAIN / 3 + 1))
wrk -t2 -c50 -d"${third}s" "http://localhost:$PORT/api/v1/artifacts" >/dev/null
wrk -t2 -c50 -d"${third}s" -H 'Accept-Encoding: gzip, br' "http://localhost:$PORT/api/v1/artifacts/$ID" >/dev/null
wrk -t2 -c20 -d"${third}s" -H 'Accept: application/x-ndjson' "http://localhost:$PORT/api/v1/artifacts?limit=200" >/dev/null
kill -TERM $PID
wait $PID || true
[[ -s $DIR/app.aot ]] || { log "no AOT cache was written"; tail -30 "$DIR/training.log"; exit 1; }
log "AOT cache: $(du -h "$DIR/app.aot" | cut -f1)"
for pair in $(seq 1 "$BENCH_AOT_PAIRS"); do
	BENCH_WARM_LABEL=java25 BENCH_JAVA=$BENCH_JAVA25 BENCH_WARM_JAR=$APP bench/warm.sh \
		|| log "warm run without the cache failed: $?"
	BENCH_WARM_LABEL=java25-aot-cache BENCH_JAVA=$BENCH_JAVA25 BENCH_WARM_JAR=$APP \
		BENCH_JAVA_OPTS="-Xms512m -Xmx1g -XX:AOTCache=$DIR/app.aot" bench/warm.sh || log "warm run with the cache failed: $?"
done
