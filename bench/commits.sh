#!/usr/bin/env bash
# What numbering commits costs writes (migration 040-commit-order.sql): pgbench runs one write
# transaction as the API's PATCH does it in the database (an UPDATE of one artifact, its change
# recorded by the triggers) with the commit-numbering trigger enabled and disabled, interleaved
# round by round, at 1, 8 and 32 clients, with synchronous_commit on (every commit waits for its
# flush: the numbering lock is then held across it) and off (the embedded default).
#
#   bench/commits.sh            about 6 minutes
#
# A PostgreSQL of Debian's packages (fsync on) in a temporary directory, migrated by starting the
# service against it once. Settings: BENCH_ROUNDS (3), BENCH_SECONDS (8), BENCH_CLIENTS ("1 8 32").
# Prints a table and appends JSON lines to bench/results/changes/commits.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
: "${BENCH_ROUNDS:=3}" "${BENCH_SECONDS:=8}" "${BENCH_CLIENTS:=1 8 32}"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $BIN/pgbench ]] || { log "PostgreSQL's server binaries are needed (apt-get install postgresql)"; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1]); s.close()'; }
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PORT=$(free_port)
HTTP_PORT=$(free_port)
TMP=$(mktemp -d)
chmod 777 "$TMP"
OUT="$ROOT/bench/results/changes/commits.jsonl"
SERVICE=""
cleanup() {
	[[ -n $SERVICE ]] && kill "$SERVICE" 2>/dev/null || true
	as_postgres "$BIN/pg_ctl" stop -w -m fast -D "$TMP/data" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT

. bench/lib.sh
bench_build "$TMP/build.log"

as_postgres "$BIN/initdb" -D "$TMP/data" -U postgres --auth=trust -E UTF8 --no-locale >"$TMP/initdb.log"
as_postgres "$BIN/pg_ctl" start -w -D "$TMP/data" -l "$TMP/pg.log" \
	-o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c max_connections=100" >/dev/null
log "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT (fsync on)"
PSQL=("$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres)
"${PSQL[@]}" -c "CREATE DATABASE catalog"

log "migrating (starting the service once)"
SERVER_PORT=$HTTP_PORT SPRING_R2DBC_URL=r2dbc:postgresql://127.0.0.1:$PORT/catalog \
SPRING_R2DBC_USERNAME=postgres SPRING_R2DBC_PASSWORD=postgres \
SPRING_LIQUIBASE_URL=jdbc:postgresql://127.0.0.1:$PORT/catalog SPRING_LIQUIBASE_USER=postgres \
SPRING_LIQUIBASE_PASSWORD=postgres CATALOG_API_TOKENS=bench \
	java -cp "$CLASSPATH_ARG" dev.catalog.CatalogApplication >"$TMP/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 240); do
	curl -fs "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" >/dev/null 2>&1 && break
	kill -0 "$SERVICE" 2>/dev/null || { tail -30 "$TMP/service.log" >&2; exit 1; }
	sleep 0.5
done
kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true; SERVICE=""

"${PSQL[@]}" -d catalog <<'SQL'
SET catalog.changes = 'off';
CREATE TABLE bench_ids (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO artifacts (id, name, type, created_at, updated_at)
SELECT gen_random_uuid(), 'bench-' || n, 'skill', now(), now() FROM generate_series(1, 1000) AS n;
INSERT INTO bench_ids SELECT row_number() OVER (ORDER BY a.id), a.id FROM artifacts a;
SQL
cat >"$TMP/write.sql" <<'SQL'
\set n random(1, 1000)
UPDATE artifacts SET description = 'written ' || :n, updated_at = now() WHERE id = (SELECT b.id FROM bench_ids b WHERE b.n = :n);
SQL

run() { # numbering sync clients -> tps
	local numbering=$1 sync=$2 clients=$3
	"${PSQL[@]}" -d catalog -c "ALTER TABLE catalog_changes $([[ $numbering == on ]] && echo ENABLE || echo DISABLE) TRIGGER catalog_commits_number"
	PGOPTIONS="-c synchronous_commit=$sync" "$BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -n -M prepared \
		-c "$clients" -j "$(( clients < 2 ? 1 : 2 ))" -T "$BENCH_SECONDS" -f "$TMP/write.sql" catalog 2>&1 \
		| awk '/^tps/ {print $3; exit}'
}

for sync in on off; do
	for clients in $BENCH_CLIENTS; do
		for round in $(seq "$BENCH_ROUNDS"); do
			order=(on off); (( round % 2 == 0 )) && order=(off on)
			for numbering in "${order[@]}"; do
				tps=$(run "$numbering" "$sync" "$clients")
				printf '{"synchronous_commit":"%s","clients":%d,"round":%d,"numbering":"%s","tps":%s,"load":"%s"}\n' \
					"$sync" "$clients" "$round" "$numbering" "$tps" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT" >&2
				"${PSQL[@]}" -d catalog -c "TRUNCATE catalog_changes, catalog_commits" >/dev/null
			done
		done
	done
done
python3 - "$OUT" "$BENCH_ROUNDS" "$BENCH_CLIENTS" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2]) * 2 * 2 * len(sys.argv[3].split())
rows = rows[-n:]
print("| synchronous_commit | clients | tps, numbering on (median) | off (median) | on ÷ off (median of rounds) |")
print("|---|---:|---:|---:|---:|")
for sync in ("on", "off"):
    for clients in map(int, sys.argv[3].split()):
        on = [r for r in rows if r["synchronous_commit"] == sync and r["clients"] == clients and r["numbering"] == "on"]
        off = [r for r in rows if r["synchronous_commit"] == sync and r["clients"] == clients and r["numbering"] == "off"]
        ratios = [a["tps"] / b["tps"] for a, b in zip(sorted(on, key=lambda r: r["round"]), sorted(off, key=lambda r: r["round"]))]
        print(f"| {sync} | {clients} | {statistics.median(r['tps'] for r in on):,.0f} | "
              f"{statistics.median(r['tps'] for r in off):,.0f} | {statistics.median(ratios):.2f} |")
EOF
