/**
 * What every feature stands on: the embedded PostgreSQL and Redis of the default run, seeding,
 * signed keyset cursors, problem+json errors, bearer tokens, transactions with retry, and the
 * accounting of SQL statements per request ({@code Server-Timing}, metrics, warnings).
 */
package dev.catalog.system;
