package dev.catalog.cache;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import dev.catalog.web.Digests;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * The cache's Lua scripts: each runs atomically in Redis and answers an integer. Scripts are
 * run by their SHA-1 digest; the text is sent only when Redis does not know it yet (first use,
 * or after Redis restarted or flushed its script cache).
 */
final class RedisScripts {

	/** Returns the generation, creating it if Redis lost it. KEYS: generation; ARGV: initial. */
	static final Script INIT = new Script("""
			local g = redis.call('GET', KEYS[1])
			if g then return tonumber(g) end
			redis.call('SET', KEYS[1], ARGV[1])
			return tonumber(ARGV[1])
			""");

	/**
	 * Advances the generation (a fresh one, never used before, if Redis lost it), first raising
	 * the WAL position replica reads must reach to the write's, if that is further. KEYS:
	 * generation, WAL position; ARGV: initial, the write's WAL position (0: unknown).
	 */
	static final Script BUMP = new Script("""
			if tonumber(ARGV[2]) > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], ARGV[2]) end
			if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCR', KEYS[1]) end
			redis.call('SET', KEYS[1], ARGV[1])
			return tonumber(ARGV[1])
			""");

	/**
	 * Folds PostgreSQL's generation in: if it moved since it was last folded in (a write
	 * committed while Redis could not be told), or when forced, the Redis generation advances;
	 * returns the generation. The WAL position replica reads must reach is raised to PostgreSQL's
	 * at the fold-in, which is past any write it folds in. KEYS: generation, last PostgreSQL
	 * generation folded in, WAL position; ARGV: PostgreSQL's generation, initial, force
	 * ({@code 1} or {@code 0}), PostgreSQL's WAL position.
	 */
	static final Script RESYNC = new Script("""
			if tonumber(ARGV[4]) > tonumber(redis.call('GET', KEYS[3]) or '0') then redis.call('SET', KEYS[3], ARGV[4]) end
			local pg = tonumber(ARGV[1])
			local mark = tonumber(redis.call('GET', KEYS[2]) or '-1')
			if pg > mark or ARGV[3] == '1' then
			  if pg > mark then redis.call('SET', KEYS[2], ARGV[1]) end
			  if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCR', KEYS[1]) end
			  redis.call('SET', KEYS[1], ARGV[2])
			  return tonumber(ARGV[2])
			end
			local g = redis.call('GET', KEYS[1])
			if g then return tonumber(g) end
			redis.call('SET', KEYS[1], ARGV[2])
			return tonumber(ARGV[2])
			""");

	/**
	 * Stores an entry only if its generation is still the current one; returns 1 if it did.
	 * KEYS: generation, entry; ARGV: the entry's generation, the entry, its TTL in milliseconds.
	 */
	static final Script STORE = new Script("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
			  return 1
			end
			return 0
			""");

	/** Releases a lock only if its holder still holds it. KEYS: lock; ARGV: the holder's token. */
	static final Script UNLOCK = new Script("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
			return 0
			""");

	/** Makes generations created after Redis lost its data unique: never a value used before. */
	private static final AtomicLong lastInitial = new AtomicLong();

	private RedisScripts() {
	}

	/**
	 * A generation for a Redis that lost its generation key: microseconds of wall-clock time,
	 * larger than any generation handed out before (they started from such a value and grow by
	 * one per write), so no entry written before the loss can ever match it.
	 */
	static byte[] initial() {
		long micros = System.currentTimeMillis() * 1000;
		long initial = lastInitial.updateAndGet((last) -> Math.max(last + 1, micros));
		return Long.toString(initial).getBytes(StandardCharsets.US_ASCII);
	}


	/** Runs a script by its digest, sending its text only when Redis does not know it yet. */
	static CompletionStage<Long> eval(RedisClusterAsyncCommands<String, byte[]> commands, Script script, String[] keys,
			byte[]... values) {
		return commands.<Long>evalsha(script.sha(), ScriptOutputType.INTEGER, keys, values)
			.exceptionallyCompose((ex) -> (unwrap(ex) instanceof RedisNoScriptException)
					? commands.<Long>eval(script.text(), ScriptOutputType.INTEGER, keys, values)
					: CompletableFuture.failedStage(unwrap(ex)));
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/** A script's text and the SHA-1 digest Redis knows it by. */
	record Script(String text, String sha) {

		Script(String text) {
			this(text, sha1(text));
		}

		private static String sha1(String text) {
			return HexFormat.of().formatHex(Digests.sha1(text.getBytes(StandardCharsets.UTF_8)));
		}

	}

}
