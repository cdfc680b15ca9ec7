#!/usr/bin/env bash
# The cached list through the balancer: nginx in front of three instances on the Redis Cluster of
# deploy/local.sh, beside one instance on a standalone Redis (no balancer), same jar, same JVM
# options, same PostgreSQL (the deployment's primary), in the same run. Rounds alternate between
# the targets so that all see the same (shared, busy) machine; `uptime` is recorded beside each.
#
#   bench/deploy.sh            ~6 minutes plus the deployment's start
#
# A third target, nginx (same settings) in front of the one instance, tells the balancer's hop
# from the rest.
#
# Settings (environment): BENCH_DURATION (s per round, 20), BENCH_ROUNDS (per target, 3),
# BENCH_WARMUP (s of wrk per target before the rounds, 30),
# BENCH_CONNECTIONS (50), BENCH_PATH (/api/v1/artifacts?limit=50), BENCH_BASE_PORT (18600: the
# deployment's block, see deploy/local.sh; the standalone Redis, instance and nginx use base+30..32),
# BENCH_OUT (bench/results/deploy). The deployment is stopped and its state deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
: "${BENCH_DURATION:=20}" "${BENCH_ROUNDS:=3}" "${BENCH_WARMUP:=30}" "${BENCH_CONNECTIONS:=50}" "${BENCH_PATH:=/api/v1/artifacts?limit=50}"
: "${BENCH_BASE_PORT:=18600}" "${BENCH_OUT:=$ROOT/bench/results/deploy}"
export DEPLOY_DIR=$ROOT/target/deploy-bench DEPLOY_BASE_PORT=$BENCH_BASE_PORT
export DEPLOY_JAVA_OPTS="-Xms256m -Xmx512m -XX:+UseSerialGC"
RAW=$BENCH_OUT/raw/$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p "$BENCH_OUT/raw"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$RAW" >&2; }
command -v wrk >/dev/null || { log "wrk is needed (apt-get install wrk)"; exit 1; }

REDIS_PORT=$((BENCH_BASE_PORT + 30))
SINGLE_PORT=$((BENCH_BASE_PORT + 31))
STATE=$DEPLOY_DIR/standalone
SINGLE_PID=""
cleanup() {
	[[ -n $SINGLE_PID ]] && kill "$SINGLE_PID" 2>/dev/null && wait "$SINGLE_PID" 2>/dev/null || true
	[[ -f $STATE/redis.pid ]] && kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true
	[[ -f $STATE/nginx/nginx.pid ]] && kill -QUIT "$(cat "$STATE/nginx/nginx.pid")" 2>/dev/null || true
	deploy/local.sh purge >/dev/null 2>&1 || true
}
trap cleanup EXIT

deploy/local.sh purge >/dev/null 2>&1 || true
log "deploy/local.sh up"
deploy/local.sh up 2>&1 | tee -a "$RAW" >&2
mkdir -p "$STATE"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STATE" --daemonize yes --pidfile "$STATE/redis.pid" \
	--logfile "$STATE/redis.log" --save '' --appendonly no >/dev/null
JAR=$(ls -t target/artifact-catalog-*.jar | grep -v -- '-plain.jar' | head -1)
log "one instance on a standalone Redis (:$REDIS_PORT), port $SINGLE_PORT"
# shellcheck disable=SC2086
SERVER_ADDRESS=127.0.0.1 SERVER_PORT=$SINGLE_PORT \
SPRING_R2DBC_URL=r2dbc:postgresql://127.0.0.1:$((BENCH_BASE_PORT + 10))/catalog \
SPRING_R2DBC_USERNAME=postgres SPRING_R2DBC_PASSWORD=postgres \
SPRING_DATA_REDIS_URL=redis://127.0.0.1:$REDIS_PORT CATALOG_RATE_LIMIT_ENABLED=false \
	java $DEPLOY_JAVA_OPTS -jar "$JAR" >"$STATE/service.log" 2>&1 &
SINGLE_PID=$!
until curl -fs "http://127.0.0.1:$SINGLE_PORT/actuator/health/readiness" >/dev/null 2>&1; do
	kill -0 "$SINGLE_PID" 2>/dev/null || { tail -30 "$STATE/service.log"; exit 1; }
	sleep 1
done

# the same nginx settings in front of the one instance, to tell the balancer's hop from the rest
NGINX_PORT=$((BENCH_BASE_PORT + 32))
sed -e "s#$DEPLOY_DIR/nginx#$STATE/nginx#g" -e "s#listen 127.0.0.1:$BENCH_BASE_PORT;#listen 127.0.0.1:$NGINX_PORT;#" \
	-e "/server 127.0.0.1:$((BENCH_BASE_PORT + 2))/d" -e "/server 127.0.0.1:$((BENCH_BASE_PORT + 3))/d" \
	-e "s#server 127.0.0.1:$((BENCH_BASE_PORT + 1))#server 127.0.0.1:$SINGLE_PORT#" \
	"$DEPLOY_DIR/nginx/nginx.conf" >"$STATE/nginx.conf"
mkdir -p "$STATE/nginx/temp"
nginx -p "$STATE/nginx" -c "$STATE/nginx.conf" -g 'daemon on;' 2>/dev/null

declare -A URLS=(
	[balancer-1-instance-standalone]="http://127.0.0.1:$NGINX_PORT$BENCH_PATH"
	[balancer-3-instances-cluster]="http://127.0.0.1:$BENCH_BASE_PORT$BENCH_PATH"
	[single-instance-standalone]="http://127.0.0.1:$SINGLE_PORT$BENCH_PATH"
)
TARGETS=(balancer-3-instances-cluster balancer-1-instance-standalone single-instance-standalone)
for target in "${TARGETS[@]}"; do
	log "warm-up $target: ${BENCH_WARMUP}s"
	wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_WARMUP}s" "${URLS[$target]}" >/dev/null 2>&1
	curl -s -o /dev/null -D - "${URLS[$target]}" | grep -i '^x-cache' | tee -a "$RAW" >&2
done
for round in $(seq "$BENCH_ROUNDS"); do
	for target in "${TARGETS[@]}"; do
		load=$(uptime | sed 's/.*load average: //')
		out=$(wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" -s bench/report.lua "${URLS[$target]}" 2>&1)
		line=$(grep '^WRKJSON ' <<<"$out" | sed 's/^WRKJSON //')
		python3 - "$target" "$round" "$load" "$line" <<'EOF' | tee -a "$RAW"
import json, sys
target, rnd, load, line = sys.argv[1:]
w = json.loads(line)
rps = w["requests"] / (w["duration_us"] / 1e6)
errors = w["connect_errors"] + w["read_errors"] + w["write_errors"] + w["status_errors"] + w["timeouts"]
print(f"round {rnd} {target:30s} {rps:9.0f} req/s  p50 {w['p50_us']/1000:7.2f} ms  p99 {w['p99_us']/1000:7.2f} ms"
      f"  errors {errors}  statuses {w['statuses']}  load before: {load}")
EOF
	done
done
log "machine: $(nproc) cores, $(uptime)"
log "raw results: $RAW"
