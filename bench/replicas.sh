#!/usr/bin/env bash
# The miss path on a streaming replica beside the primary, in one run: two instances of the
# service on the same embedded PostgreSQL primary and Redis, one reading its cache misses from
# the primary (no replicas), one from a hot standby of it (catalog.db.replicas), both with
# entries that live 1 ms (every request a miss, list pages of random size 1..50). Per instance:
# req/s, latency, and CPU per request of the service, the primary, the replica and Redis, read
# from /proc. Rounds alternate primary, replica, primary, replica. Writes
# bench/results/replicas/raw/<label>.jsonl and prints a table.
#
#   bench/replicas.sh             (~4 minutes on 2 cores, plus seeding the first time)
#
# Settings (environment): BENCH_DURATION (s per measured round, 20), BENCH_CONNECTIONS (20),
# BENCH_ARTIFACTS (20000), BENCH_JAVA_OPTS (-Xms256m -Xmx512m), BENCH_SKIP_BUILD (0),
# BENCH_LABEL (run). The replica is made as an operator would without pg_basebackup: a
# replication slot, pg_backup_start(), a copy of the data directory, pg_backup_stop() in the
# same psql session, standby.signal and primary_conninfo; it runs the embedded binaries with
# the primary's memory settings.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
: "${BENCH_DURATION:=20}" "${BENCH_CONNECTIONS:=20}" "${BENCH_ARTIFACTS:=20000}"
: "${BENCH_JAVA_OPTS:=-Xms256m -Xmx512m}" "${BENCH_SKIP_BUILD:=0}" "${BENCH_LABEL:=run}"
OUT="$ROOT/bench/results/replicas"
RAW="$OUT/raw"
TMP="$OUT/tmp"
mkdir -p "$RAW" "$TMP" "$ROOT/bench/data"
OUT_FILE="$RAW/$BENCH_LABEL.jsonl"
rm -f "$OUT_FILE"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
command -v wrk >/dev/null || { log "wrk is needed (apt-get install wrk)"; exit 1; }
command -v psql >/dev/null || { log "psql is needed (apt-get install postgresql-client)"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

. bench/lib.sh
bench_build "$TMP/build.log"

PIDS=()
REPLICA_DIR=""
PG_BIN=""
cleanup() {
	for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [[ -n $REPLICA_DIR && -f $REPLICA_DIR/postmaster.pid ]]; then
		# its launcher stops it on exit; SIGINT (fast shutdown) if that did not
		local postmaster
		postmaster=$(head -1 "$REPLICA_DIR/postmaster.pid")
		kill -INT "$postmaster" 2>/dev/null || true
		for _ in $(seq 1 30); do kill -0 "$postmaster" 2>/dev/null || break; sleep 1; done
	fi
	[[ -n $REPLICA_DIR ]] && rm -rf "$REPLICA_DIR"
}
trap cleanup EXIT

# entries live 1 ms and nothing stale is served: every request is a miss (concurrent misses of
# one key on one instance still share one load, as in production)
MISS_ARGS=(--catalog.cache.fresh=1ms --catalog.cache.stale=0s --catalog.cache.stale-if-error=0s
	--catalog.cache.early-refresh-beta=0 --catalog.cache.miss-wait=0s --catalog.cache.warm-up=false
	--catalog.rate-limit.enabled=false --logging.level.io.zonky=warn)
start_service() {
	local name=$1 port=$2
	shift 2
	log "starting $name on port $port"
	# shellcheck disable=SC2086
	java $BENCH_JAVA_OPTS -cp "$CLASSPATH_ARG" dev.catalog.bench.BenchApplication --server.port="$port" \
		"${MISS_ARGS[@]}" "$@" >"$TMP/$name.log" 2>&1 &
	SERVICE_PID=$!
	PIDS+=("$SERVICE_PID")
	until curl -fs "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1; do
		kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$TMP/$name.log" >&2; exit 1; }
		sleep 1
	done
}

PRIMARY_PORT=$(free_port)
start_service on-primary "$PRIMARY_PORT" --catalog.data-dir="$ROOT/bench/data/catalog-replicas-$BENCH_ARTIFACTS" \
	--catalog.seed.artifacts="$BENCH_ARTIFACTS" --catalog.seed.collections=200 --catalog.cache.key-prefix=bench-primary: \
	--bench.servers-file="$TMP/servers.env"
ON_PRIMARY_PID=$SERVICE_PID
# shellcheck disable=SC1091
source "$TMP/servers.env"
PG_PORT=$(python3 -c "from urllib.parse import urlparse; print(urlparse('${R2DBC_URL#r2dbc:}').port)")
REDIS_PORT=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').port)")
POSTMASTER=$(ss -ltnpH "sport = :$PG_PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
REDIS_PID=$(ss -ltnpH "sport = :$REDIS_PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
PG_BIN=$(dirname "$(readlink -f "/proc/$POSTMASTER/exe")")
export PGPASSWORD="$R2DBC_PASSWORD"
PSQL=(psql -X -q -h localhost -p "$PG_PORT" -U "$R2DBC_USERNAME" -d postgres -v ON_ERROR_STOP=1)
DATA_DIR=$("${PSQL[@]}" -At -c "SHOW data_directory")

log "making a replica of $DATA_DIR (PostgreSQL binaries in $PG_BIN)"
REPLICA_DIR=$(mktemp -d "$TMP/replica-XXXXXX")
REPLICA_PORT=$(free_port)
"${PSQL[@]}" <<SQL
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'bench_replica';
SELECT pg_create_physical_replication_slot('bench_replica', true);
SELECT pg_backup_start('bench-replica', true);
\! tar -C "$DATA_DIR" --exclude=./postmaster.pid --exclude=./postmaster.opts --exclude=./epg-lock --exclude='./pg_wal/*' --exclude='./pg_replslot/*' -cf - . 2>/dev/null | tar -C "$REPLICA_DIR" -xf -
\t on
\pset format unaligned
\o $REPLICA_DIR/backup_label
SELECT labelfile FROM pg_backup_stop(false);
\o
SQL
mkdir -p "$REPLICA_DIR/pg_wal/archive_status"
chmod 0700 "$REPLICA_DIR"
touch "$REPLICA_DIR/standby.signal"
printf "\nprimary_conninfo = 'host=localhost port=%s user=%s'\nprimary_slot_name = 'bench_replica'\n" \
	"$PG_PORT" "$R2DBC_USERNAME" >>"$REPLICA_DIR/postgresql.auto.conf"
# the primary's settings (the embedded server passes them on its command line); started by the
# embedded binaries' own launcher (dev.catalog.bench.ReplicaServer), which runs as root where
# pg_ctl refuses to
java -Xmx64m -cp "$CLASSPATH_ARG" dev.catalog.bench.ReplicaServer "$REPLICA_DIR" "$REPLICA_PORT" hot_standby=on \
	max_connections=300 shared_buffers=512MB work_mem=16MB jit=off >"$TMP/replica.log" 2>&1 &
PIDS+=("$!")
until grep -q READY "$TMP/replica.log"; do
	kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -30 "$TMP/replica.log" >&2; exit 1; }
	sleep 1
done
REPLICA_POSTMASTER=$(head -1 "$REPLICA_DIR/postmaster.pid")
log "replica on port $REPLICA_PORT (postmaster $REPLICA_POSTMASTER)"

REPLICATED_PORT=$(free_port)
start_service on-replica "$REPLICATED_PORT" --spring.r2dbc.url="$R2DBC_URL" --spring.r2dbc.username="$R2DBC_USERNAME" \
	--spring.r2dbc.password="$R2DBC_PASSWORD" --spring.data.redis.url="$REDIS_URL" --catalog.seed.artifacts=0 \
	--catalog.cache.key-prefix=bench-replica: --catalog.db.replicas="r2dbc:postgresql://localhost:$REPLICA_PORT/postgres"
ON_REPLICA_PID=$SERVICE_PID
until curl -fs "http://localhost:$REPLICATED_PORT/actuator/metrics/catalog.db.replica.usable" | grep -q '"value":1.0'; do
	sleep 1
done

CLK_TCK=$(getconf CLK_TCK)
ticks() { awk -v reaped="${2:-}" '{ t = $14 + $15; if (reaped) t += $16 + $17; print t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
	local total
	total=$(ticks "$1" reaped)
	for child in $(pgrep -P "$1"); do total=$((total + $(ticks "$child"))); done
	echo "$total"
}
metric() { curl -s "http://localhost:$1/actuator/metrics/$2" | python3 -c 'import json,sys; print(sum(m["value"] for m in json.load(sys.stdin)["measurements"] if m["statistic"] == "COUNT"))'; }

measure() {
	local target=$1 port=$2 pid=$3 round=$4
	for warm in 1 2; do
		wrk -t2 -c"$BENCH_CONNECTIONS" -d5s -s bench/replicas.lua "http://localhost:$port" >/dev/null 2>&1 || true
	done
	local s0 p0 q0 r0 s1 p1 q1 r1 loads0 loads1 rs0 rs1 load
	s0=$(ticks "$pid"); p0=$(pg_ticks "$POSTMASTER"); q0=$(pg_ticks "$REPLICA_POSTMASTER"); r0=$(ticks "$REDIS_PID")
	loads0=$(metric "$port" catalog.cache.loads); rs0=$(metric "$REPLICATED_PORT" catalog.db.replica.statements)
	wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" -s bench/replicas.lua "http://localhost:$port" \
		>"$TMP/wrk.out" 2>&1 || true
	s1=$(ticks "$pid"); p1=$(pg_ticks "$POSTMASTER"); q1=$(pg_ticks "$REPLICA_POSTMASTER"); r1=$(ticks "$REDIS_PID")
	loads1=$(metric "$port" catalog.cache.loads); rs1=$(metric "$REPLICATED_PORT" catalog.db.replica.statements)
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	python3 - "$target" "$round" "$BENCH_CONNECTIONS" "$CLK_TCK" "$s0" "$s1" "$p0" "$p1" "$q0" "$q1" "$r0" "$r1" \
		"$loads0" "$loads1" "$rs0" "$rs1" "$load" "$TMP/wrk.out" >>"$OUT_FILE" <<'PY'
import json, re, sys
(target, rnd, conns, tck, s0, s1, p0, p1, q0, q1, r0, r1, l0, l1, rs0, rs1, load, wrk_out) = sys.argv[1:]
tck = int(tck)
w = json.loads(re.search(r"^WRKJSON (.*)$", open(wrk_out).read(), re.M).group(1))
n = max(w["requests"], 1)
cpu = lambda a, b: (int(b) - int(a)) / tck * 1e6 / n
print(json.dumps({"target": target, "round": int(rnd), "connections": int(conns), "requests": w["requests"],
    "rps": w["requests"] / (w["duration_us"] / 1e6), "p50_us": w["p50_us"], "p99_us": w["p99_us"],
    "errors": sum(w.get(k, 0) for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")), "loads_per_request": (float(l1) - float(l0)) / n,
    "replica_statements_per_request": (float(rs1) - float(rs0)) / n,
    "service_us": cpu(s0, s1), "primary_us": cpu(p0, p1), "replica_us": cpu(q0, q1), "redis_us": cpu(r0, r1),
    "load": load}))
PY
	tail -1 "$OUT_FILE" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("  %(target)-10s round %(round)d %(rps)7.0f req/s  p99 %(p99_us)7d us  loads/req %(loads_per_request).2f  service %(service_us)5.0f us/req  primary %(primary_us)5.0f  replica %(replica_us)5.0f  redis %(redis_us)4.0f  load %(load)s" % r)' >&2
}

log "measuring (${BENCH_DURATION}s per round, $BENCH_CONNECTIONS connections, $(nproc) cores, nothing pinned)"
for round in 1 2; do
	measure primary "$PRIMARY_PORT" "$ON_PRIMARY_PID" "$round"
	measure replica "$REPLICATED_PORT" "$ON_REPLICA_PID" "$round"
done
uptime >&2
