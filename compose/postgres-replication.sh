#!/bin/sh
# Run once by the postgres image when it initialises the primary's data directory: the role the
# replica streams as, the pg_hba line that lets it, and the physical slot that keeps the WAL the
# replica has not received yet.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '$REPLICATION_PASSWORD';
SELECT pg_create_physical_replication_slot('replica_1');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
