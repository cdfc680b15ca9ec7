#!/usr/bin/env bash
# A real multi-process deployment of the service on loopback ports, without Docker:
#
#   PostgreSQL primary + one streaming replica   (Debian's postgresql; pg_basebackup -R)
#   Redis Cluster: 3 primaries + 3 replicas      (Debian's redis-server; redis-cli --cluster create)
#   three service JVMs                           (java -jar target/artifact-catalog-*.jar)
#   nginx in front of them                       (Debian's nginx, its own config, pid and logs)
#
#   deploy/local.sh up        start whatever is not running (idempotent); prints the balancer's URL
#   deploy/local.sh status    each process, its pid and its health; exit 1 when any is down
#   deploy/local.sh down      stop everything it started (by the pids it recorded), keep the data
#   deploy/local.sh purge     down, then delete the state directory
#
# Settings (environment; `up` records them in $DEPLOY_DIR/deploy.env, which later commands read):
#   DEPLOY_DIR          state: data, configuration, logs, pids        target/deploy
#   DEPLOY_BASE_PORT    nginx listens on it; service i on base+i (1-3), PostgreSQL primary
#                       base+10, replica base+11, Redis nodes base+20..base+25 (cluster bus
#                       +10000)                                        18400
#   DEPLOY_JAR          the service's jar; built with ./mvnw -Pprod -DskipTests package when
#                       no target/artifact-catalog-*.jar exists        newest target/artifact-catalog-*.jar
#   DEPLOY_JAVA_OPTS    JVM options of each instance                   -Xms256m -Xmx512m -XX:+UseSerialGC
#   DEPLOY_SEED_ARTIFACTS  artifacts seeded into the empty database (by one instance)  1000
#   DEPLOY_API_TOKEN    bearer token for writes                        generated once, in deploy.env
#   DEPLOY_INSTALL      install missing Debian packages (nginx, postgresql, redis-server) with
#                       apt-get when running as root                   1
# Any other CATALOG_* / SPRING_* / SERVER_* variable in the environment of `up` reaches every
# instance (e.g. CATALOG_CACHE_WARM_UP_REQUESTS=0).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${DEPLOY_DIR:=$ROOT/target/deploy}"
mkdir -p "$DEPLOY_DIR"
DEPLOY_DIR=$(cd "$DEPLOY_DIR" && pwd)
ENV_FILE=$DEPLOY_DIR/deploy.env
# what `up` recorded wins over defaults, so that status/down find the same ports
if [[ -f $ENV_FILE ]]; then
	# shellcheck disable=SC1090
	source "$ENV_FILE"
fi
: "${DEPLOY_BASE_PORT:=18400}" "${DEPLOY_JAVA_OPTS:=-Xms256m -Xmx512m -XX:+UseSerialGC}"
: "${DEPLOY_SEED_ARTIFACTS:=1000}" "${DEPLOY_INSTALL:=1}"
: "${DEPLOY_API_TOKEN:=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')}"
NGINX_PORT=$DEPLOY_BASE_PORT
SERVICE_PORTS=($((DEPLOY_BASE_PORT + 1)) $((DEPLOY_BASE_PORT + 2)) $((DEPLOY_BASE_PORT + 3)))
PG_PRIMARY_PORT=$((DEPLOY_BASE_PORT + 10))
PG_REPLICA_PORT=$((DEPLOY_BASE_PORT + 11))
REDIS_PORTS=()
for i in 0 1 2 3 4 5; do REDIS_PORTS+=($((DEPLOY_BASE_PORT + 20 + i))); done
PG_DIR=$DEPLOY_DIR/postgresql
REDIS_DIR=$DEPLOY_DIR/redis
NGINX_DIR=$DEPLOY_DIR/nginx
DATABASE=catalog

log() { printf '%s deploy: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

pg_bin() {
	local found
	found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[[ -n $found ]] && echo "$found"
}

install_missing() {
	local packages=()
	command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || packages+=(nginx)
	{ command -v redis-server && command -v redis-cli; } >/dev/null || packages+=(redis-server)
	{ [[ -n $(pg_bin) ]] && command -v pg_basebackup && command -v psql; } >/dev/null || packages+=(postgresql)
	[[ ${#packages[@]} -eq 0 ]] && return
	if [[ $DEPLOY_INSTALL == 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		log "installing ${packages[*]} with apt-get"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
		# the packages start their system services where a service manager runs; we start our own
		service nginx stop >/dev/null 2>&1 || true
		service redis-server stop >/dev/null 2>&1 || true
		service postgresql stop >/dev/null 2>&1 || true
	else
		die "missing ${packages[*]} (apt-get install ${packages[*]}, or run as root with DEPLOY_INSTALL=1)"
	fi
}

# PostgreSQL refuses to run as root: as root, its processes run as the postgres user
as_postgres() {
	if [[ $(id -u) == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

record_settings() {
	cat >"$ENV_FILE" <<EOF
DEPLOY_BASE_PORT=$DEPLOY_BASE_PORT
DEPLOY_API_TOKEN=$DEPLOY_API_TOKEN
DEPLOY_JAVA_OPTS="$DEPLOY_JAVA_OPTS"
DEPLOY_SEED_ARTIFACTS=$DEPLOY_SEED_ARTIFACTS
EOF
}

# ---------------------------------------------------------------------------------- PostgreSQL

pg_running() { as_postgres "$(pg_bin)/pg_ctl" status -D "$1" >/dev/null 2>&1; }

pg_start() {
	local data=$1 port=$2
	pg_running "$data" && return
	as_postgres "$(pg_bin)/pg_ctl" start -w -t 60 -D "$data" -l "$data/../$(basename "$data").log" \
		-o "-p $port" >/dev/null
}

postgres_up() {
	local bin primary=$PG_DIR/primary replica=$PG_DIR/replica
	bin=$(pg_bin)
	mkdir -p "$PG_DIR"
	[[ $(id -u) == 0 ]] && chown postgres: "$PG_DIR"
	if [[ ! -f $primary/PG_VERSION ]]; then
		log "initdb PostgreSQL primary ($("$bin/postgres" --version))"
		as_postgres "$bin/initdb" -D "$primary" -U postgres --auth=trust -E UTF8 --no-locale >"$PG_DIR/initdb.log"
		cat >>"$primary/postgresql.conf" <<EOF
# deploy/local.sh: loopback only, no Unix socket (the state directory may be anywhere)
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 200
EOF
	fi
	pg_start "$primary" "$PG_PRIMARY_PORT"
	if ! psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -tAc "select 1 from pg_database where datname = '$DATABASE'" | grep -q 1; then
		psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -qc "create database $DATABASE" >/dev/null
	fi
	log "PostgreSQL primary on 127.0.0.1:$PG_PRIMARY_PORT"
	if [[ ! -f $replica/PG_VERSION ]]; then
		log "pg_basebackup -R: streaming replica"
		as_postgres pg_basebackup -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -D "$replica" -R -X stream -c fast
	fi
	pg_start "$replica" "$PG_REPLICA_PORT"
	log "PostgreSQL replica on 127.0.0.1:$PG_REPLICA_PORT (in recovery: $(psql -h 127.0.0.1 -p "$PG_REPLICA_PORT" -U postgres -tAc 'select pg_is_in_recovery()'))"
}

postgres_down() {
	local data
	for data in "$PG_DIR/replica" "$PG_DIR/primary"; do
		if [[ -f $data/PG_VERSION ]] && pg_running "$data"; then
			as_postgres "$(pg_bin)/pg_ctl" stop -w -t 30 -m fast -D "$data" >/dev/null || true
		fi
	done
}

# ------------------------------------------------------------------------------- Redis Cluster

redis_cli() { redis-cli -h 127.0.0.1 -p "$@"; }

redis_up() {
	local port
	for port in "${REDIS_PORTS[@]}"; do
		mkdir -p "$REDIS_DIR/$port"
		alive "$REDIS_DIR/$port/redis.pid" && continue
		# a node is failed after 1 s unanswered; a replica may always be promoted; the other
		# primaries' slots stay served while one fails over
		redis-server --port "$port" --bind 127.0.0.1 --dir "$REDIS_DIR/$port" --daemonize yes \
			--pidfile "$REDIS_DIR/$port/redis.pid" --logfile "$REDIS_DIR/$port/redis.log" \
			--save '' --appendonly no --cluster-enabled yes --cluster-config-file nodes.conf \
			--cluster-node-timeout 1000 --cluster-replica-validity-factor 0 \
			--cluster-require-full-coverage no >/dev/null
	done
	for port in "${REDIS_PORTS[@]}"; do
		for _ in $(seq 100); do
			alive "$REDIS_DIR/$port/redis.pid" && [[ $(redis_cli "$port" ping 2>/dev/null) == PONG ]] && break
			sleep 0.1
		done
	done
	if ! redis_cli "${REDIS_PORTS[0]}" cluster info | grep -q 'cluster_known_nodes:6'; then
		log "redis-cli --cluster create: 3 primaries, 3 replicas"
		local nodes=()
		for port in "${REDIS_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
		redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$REDIS_DIR/create.log" 2>&1 \
			|| { cat "$REDIS_DIR/create.log" >&2; die "cluster create failed"; }
	fi
	for _ in $(seq 300); do
		local ok=1
		for port in "${REDIS_PORTS[@]}"; do
			redis_cli "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || ok=0
		done
		[[ $ok == 1 ]] && break
		sleep 0.1
	done
	[[ $ok == 1 ]] || die "the Redis Cluster did not reach cluster_state:ok"
	log "Redis Cluster on 127.0.0.1:${REDIS_PORTS[0]}-${REDIS_PORTS[5]}"
}

redis_down() {
	local port
	for port in "${REDIS_PORTS[@]}"; do
		if alive "$REDIS_DIR/$port/redis.pid"; then
			kill "$(cat "$REDIS_DIR/$port/redis.pid")" 2>/dev/null || true
		fi
	done
	for port in "${REDIS_PORTS[@]}"; do
		for _ in $(seq 50); do alive "$REDIS_DIR/$port/redis.pid" || break; sleep 0.1; done
		alive "$REDIS_DIR/$port/redis.pid" && kill -9 "$(cat "$REDIS_DIR/$port/redis.pid")" 2>/dev/null || true
		rm -f "$REDIS_DIR/$port/redis.pid"
	done
}

# ------------------------------------------------------------------------------------ services

service_jar() {
	if [[ -n ${DEPLOY_JAR:-} ]]; then
		echo "$DEPLOY_JAR"
		return
	fi
	local jar
	jar=$(ls -t "$ROOT"/target/artifact-catalog-*.jar 2>/dev/null | grep -v -- '-plain.jar' | head -1 || true)
	if [[ -z $jar ]]; then
		log "building the production jar: ./mvnw -Pprod -DskipTests package"
		(cd "$ROOT" && ./mvnw -B -q -Pprod -DskipTests package >"$DEPLOY_DIR/build.log" 2>&1) \
			|| { tail -50 "$DEPLOY_DIR/build.log" >&2; die "build failed"; }
		jar=$(ls -t "$ROOT"/target/artifact-catalog-*.jar | grep -v -- '-plain.jar' | head -1)
	fi
	echo "$jar"
}

cluster_nodes() {
	local nodes=() port
	for port in "${REDIS_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
	(IFS=,; echo "${nodes[*]}")
}

service_start() {
	local i=$1 jar=$2 seed=$3
	local port=${SERVICE_PORTS[$((i - 1))]}
	local pid_file=$DEPLOY_DIR/service-$i.pid
	alive "$pid_file" && return
	# shellcheck disable=SC2086
	SERVER_ADDRESS=127.0.0.1 SERVER_PORT=$port \
	SPRING_R2DBC_URL=r2dbc:postgresql://127.0.0.1:$PG_PRIMARY_PORT/$DATABASE \
	SPRING_R2DBC_USERNAME=postgres SPRING_R2DBC_PASSWORD=postgres \
	SPRING_LIQUIBASE_URL=jdbc:postgresql://127.0.0.1:$PG_PRIMARY_PORT/$DATABASE \
	SPRING_LIQUIBASE_USER=postgres SPRING_LIQUIBASE_PASSWORD=postgres \
	CATALOG_DB_REPLICAS=${CATALOG_DB_REPLICAS-r2dbc:postgresql://127.0.0.1:$PG_REPLICA_PORT/$DATABASE} \
	SPRING_DATA_REDIS_CLUSTER_NODES=$(cluster_nodes) \
	CATALOG_API_TOKENS=$DEPLOY_API_TOKEN \
	CATALOG_SEED_ARTIFACTS=$seed \
	CATALOG_RATE_LIMIT_ENABLED=${CATALOG_RATE_LIMIT_ENABLED:-false} \
	CATALOG_RATE_LIMIT_TRUSTED_PROXIES=${CATALOG_RATE_LIMIT_TRUSTED_PROXIES:-127.0.0.1} \
		nohup setsid java $DEPLOY_JAVA_OPTS -jar "$jar" >"$DEPLOY_DIR/service-$i.log" 2>&1 </dev/null &
	echo $! >"$pid_file"
	log "service $i starting on 127.0.0.1:$port (pid $!, log $DEPLOY_DIR/service-$i.log)"
}

service_wait() {
	local i=$1
	local port=${SERVICE_PORTS[$((i - 1))]}
	for _ in $(seq 600); do
		alive "$DEPLOY_DIR/service-$i.pid" || { tail -40 "$DEPLOY_DIR/service-$i.log" >&2; die "service $i exited"; }
		curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && { log "service $i ready"; return; }
		sleep 0.5
	done
	die "service $i not ready after 300 s (log: $DEPLOY_DIR/service-$i.log)"
}

services_up() {
	local jar
	jar=$(service_jar)
	log "jar: $jar ($(stat -c %s "$jar") bytes)"
	# On a database Liquibase has never seen, instances started together race to create its
	# databasechangelog table (its lock does not cover that; one fails with "relation already
	# exists"), so the first instance migrates alone. Once the table exists, Liquibase's lock lets
	# one instance migrate while the others wait, and the seeder's advisory lock lets one seed the
	# empty catalog while the others wait for it before they warm their caches.
	local i first=1
	if ! psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres -d "$DATABASE" -tAc \
			"select to_regclass('public.databasechangelog') is not null" | grep -q t; then
		service_start 1 "$jar" "$DEPLOY_SEED_ARTIFACTS"
		service_wait 1
		first=2
	fi
	for i in $(seq "$first" 3); do service_start "$i" "$jar" "$DEPLOY_SEED_ARTIFACTS"; done
	for i in $(seq "$first" 3); do service_wait "$i"; done
}

services_down() {
	local i pid_file
	for i in 1 2 3; do
		pid_file=$DEPLOY_DIR/service-$i.pid
		alive "$pid_file" && kill "$(cat "$pid_file")" 2>/dev/null || true
	done
	for i in 1 2 3; do
		pid_file=$DEPLOY_DIR/service-$i.pid
		for _ in $(seq 100); do alive "$pid_file" || break; sleep 0.1; done
		alive "$pid_file" && kill -9 "$(cat "$pid_file")" 2>/dev/null || true
		rm -f "$pid_file"
	done
}

# --------------------------------------------------------------------------------------- nginx

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

nginx_up() {
	mkdir -p "$NGINX_DIR/temp"
	local user_line=""
	[[ $(id -u) == 0 ]] && user_line="user www-data;"
	local servers="" port
	for port in "${SERVICE_PORTS[@]}"; do
		servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
	done
	cat >"$NGINX_DIR/nginx.conf" <<EOF
# written by deploy/local.sh: runs in the foreground of nobody's service manager, everything
# under $NGINX_DIR
$user_line
worker_processes auto;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 4096; }

http {
    access_log $NGINX_DIR/access.log combined buffer=64k flush=1s;
    client_body_temp_path $NGINX_DIR/temp/body;
    proxy_temp_path $NGINX_DIR/temp/proxy;
    fastcgi_temp_path $NGINX_DIR/temp/fastcgi;
    uwsgi_temp_path $NGINX_DIR/temp/uwsgi;
    scgi_temp_path $NGINX_DIR/temp/scgi;
    client_max_body_size 2m;

    # passive health checks: one failed attempt (refused, reset, timed out, or a 502/503 by
    # proxy_next_upstream) takes an instance out for fail_timeout, then one request tries it again
    upstream catalog {
$servers        keepalive 64;
    }

    server {
        listen 127.0.0.1:$NGINX_PORT;

        # keep-alive to the instances
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$http_host;
        # the client's address, for the per-client rate limits (catalog.rate-limit.trusted-proxies)
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_connect_timeout 1s;
        proxy_read_timeout 30s;
        # another instance answers when one fails before anything reached the client; nginx never
        # retries POST, PATCH or LOCK (no "non_idempotent" here): a write is tried once
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 3;
        proxy_next_upstream_timeout 10s;

        location / {
            # NDJSON and SSE answers say X-Accel-Buffering: no, which turns buffering off for them
            proxy_pass http://catalog;
        }

        location /api/v1/changes {
            # the change feed is always a stream, open for hours
            proxy_pass http://catalog;
            proxy_buffering off;
            proxy_read_timeout 1h;
        }
    }
}
EOF
	"$(nginx_bin)" -t -q -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" 2>&1 | grep -v 'could not open error log' >&2 || true
	if alive "$NGINX_DIR/nginx.pid"; then
		"$(nginx_bin)" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -s reload 2>/dev/null
	else
		"$(nginx_bin)" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -g 'daemon on;' 2>/dev/null
	fi
	for _ in $(seq 50); do alive "$NGINX_DIR/nginx.pid" && break; sleep 0.1; done
	alive "$NGINX_DIR/nginx.pid" || die "nginx did not start (see $NGINX_DIR/error.log)"
	log "nginx on http://127.0.0.1:$NGINX_PORT"
}

nginx_down() {
	if alive "$NGINX_DIR/nginx.pid"; then
		local pid
		pid=$(cat "$NGINX_DIR/nginx.pid")
		kill -QUIT "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$NGINX_DIR/nginx.pid"
}

# -------------------------------------------------------------------------------------- status

status() {
	local down=0 port i pid_file health
	printf '%-22s %-8s %-22s %s\n' process pid address health
	for data in primary replica; do
		local pg_port=$PG_PRIMARY_PORT
		[[ $data == replica ]] && pg_port=$PG_REPLICA_PORT
		local pid="-" state="down"
		if [[ -f $PG_DIR/$data/postmaster.pid ]] && kill -0 "$(head -1 "$PG_DIR/$data/postmaster.pid")" 2>/dev/null; then
			pid=$(head -1 "$PG_DIR/$data/postmaster.pid")
			state=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc \
				"select case when pg_is_in_recovery() then 'up, replica, replayed ' || pg_last_wal_replay_lsn() || ', received ' || pg_last_wal_receive_lsn() || (case when pg_is_wal_replay_paused() then ', replay PAUSED' else '' end) else 'up, primary, ' || (select count(*) from pg_stat_replication where state = 'streaming') || ' streaming replica(s)' end" 2>/dev/null || echo "not answering")
		fi
		[[ $state == up* ]] || down=1
		printf '%-22s %-8s %-22s %s\n' "postgresql-$data" "$pid" "127.0.0.1:$pg_port" "$state"
	done
	for port in "${REDIS_PORTS[@]}"; do
		local pid="-" state="down"
		if alive "$REDIS_DIR/$port/redis.pid"; then
			pid=$(cat "$REDIS_DIR/$port/redis.pid")
			state="$(redis_cli "$port" role 2>/dev/null | head -1), $(redis_cli "$port" cluster info 2>/dev/null | grep cluster_state | tr -d '\r')"
		fi
		[[ $state == *cluster_state:ok ]] || down=1
		printf '%-22s %-8s %-22s %s\n' "redis-$port" "$pid" "127.0.0.1:$port" "$state"
	done
	for i in 1 2 3; do
		port=${SERVICE_PORTS[$((i - 1))]}
		pid_file=$DEPLOY_DIR/service-$i.pid
		local pid="-"
		health="down"
		if alive "$pid_file"; then
			pid=$(cat "$pid_file")
			case $(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health" || true) in
				200) health=UP ;;
				503) health="DOWN (actuator/health 503)" ;;
				*) health="not answering" ;;
			esac
		fi
		[[ $health == UP ]] || down=1
		printf '%-22s %-8s %-22s %s\n' "service-$i" "$pid" "127.0.0.1:$port" "$health"
	done
	local pid="-"
	health="down"
	if alive "$NGINX_DIR/nginx.pid"; then
		pid=$(cat "$NGINX_DIR/nginx.pid")
		health=$(curl -s -m 2 -o /dev/null -w 'actuator/health through it: %{http_code}' "http://127.0.0.1:$NGINX_PORT/actuator/health" || true)
	fi
	[[ $health == *200 ]] || down=1
	printf '%-22s %-8s %-22s %s\n' nginx "$pid" "127.0.0.1:$NGINX_PORT" "$health"
	return $down
}

case ${1:-} in
	up)
		install_missing
		record_settings
		postgres_up
		redis_up
		services_up
		nginx_up
		echo "http://127.0.0.1:$NGINX_PORT"
		;;
	down)
		nginx_down
		services_down
		redis_down
		postgres_down
		log "stopped"
		;;
	purge)
		nginx_down
		services_down
		redis_down
		postgres_down
		rm -rf "$DEPLOY_DIR"
		log "stopped and deleted $DEPLOY_DIR"
		;;
	status)
		status
		;;
	*)
		echo "usage: $0 up|down|status|purge (see the comment at the top)" >&2
		exit 2
		;;
esac
