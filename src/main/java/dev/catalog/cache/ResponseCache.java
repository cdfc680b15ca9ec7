package dev.catalog.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.catalog.cache.Served.Source;
import dev.catalog.db.Replicas;
import dev.catalog.web.RawJson;
import dev.catalog.web.ServiceUnavailableException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves cacheable JSON reads (and HTML pages, {@link #html}) from a stale-while-revalidate cache in Redis shared by every
 * instance of the service: the HTTP side of it (what is cached, when, and how it is refreshed
 * is {@link SwrLoader}'s).
 * <p>
 * Every answer carries a strong {@code ETag} (a digest of its bytes), {@code Cache-Control}
 * with {@code max-age}, {@code stale-while-revalidate} and {@code stale-if-error}, and
 * {@code X-Cache} saying where it came from; answers read from Redis also carry {@code Age}.
 * {@code If-None-Match} is answered with 304 and no body (from Redis alone when the entry is
 * there).
 * <p>
 * Answers are compressed by {@code Accept-Encoding} ({@link AcceptEncoding}): an entry holds
 * its body in identity and in each configured coding, compressed once when it was loaded
 * ({@link Compression}), so a hit only picks the stored bytes of the negotiated coding. Each
 * coding has its own strong ETag (the identity ETag with a suffix, such as {@code "…-br"});
 * {@code If-None-Match} naming any of them gets 304 with the negotiated one, since they all
 * stand for the same content. {@code Vary} always names {@code Accept-Encoding} (added to what
 * the response already varies by). A bypass compresses its answer into the negotiated coding
 * alone, so clients see the same codings and ETags whether Redis is up or not. What a read
 * gets:
 * <ul>
 * <li>{@code HIT}: a fresh entry, written to the socket as stored.</li>
 * <li>{@code STALE}: an entry past its fresh window but inside its stale window, served at
 * once while one instance refreshes it; or past its stale window but inside its
 * stale-if-error window, when loading it failed because PostgreSQL is down or overloaded. A
 * stale answer never waits for the database.</li>
 * <li>{@code MISS}: loaded from PostgreSQL, then stored. A miss that cannot be answered within
 * {@code load-timeout} gets 503 with {@code Retry-After}.</li>
 * <li>{@code BYPASS}: Redis unavailable (command timeout, then a circuit breaker), or the cache
 * disabled: answered from PostgreSQL, nothing stored.</li>
 * </ul>
 * Writes invalidate through {@link CatalogGenerations}: an entry of an older generation is
 * never served, whatever its times say. Misses and refreshes are loaded from a read replica
 * when one is configured and has replayed every write of the generation ({@link Replicas}).
 */
public class ResponseCache {

	private static final MediaType HTML_UTF8 = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private final JsonMapper json;

	private final CacheProperties properties;

	private final SwrLoader loader;

	private final Compression compression;

	private final CacheMetrics metrics;

	private final Clock clock;

	private final String cacheControl;

	private final Replicas replicas;

	ResponseCache(JsonMapper json, CacheProperties properties, SwrLoader loader, Compression compression,
			CacheMetrics metrics, Clock clock, Replicas replicas) {
		this.replicas = replicas;
		this.json = json;
		this.properties = properties;
		this.loader = loader;
		this.compression = compression;
		this.metrics = metrics;
		this.clock = clock;
		this.cacheControl = properties.cacheControl();
	}

	/**
	 * Answers with the JSON rendering of what {@code body} emits (as it is if that is
	 * {@link RawJson}), through the cache; an empty
	 * {@code body} or an error is passed on (the error handler renders it), and neither is
	 * cached. {@code body} is called (and its query built) only when the answer has to be
	 * loaded, possibly after this request has been answered (a background refresh); a hit
	 * costs no query building.
	 * @param key identifies the answer (path, normalised parameters) across instances; only JSON
	 * answers go through here, so the representation is implied
	 */
	public Mono<ServerResponse> json(ServerRequest request, String key, Supplier<Mono<?>> body) {
		return json(request, key, this.properties.loadTimeout(), body);
	}

	/**
	 * Like {@link #json(ServerRequest, String, Supplier)} for a read known to be slower than
	 * {@code catalog.cache.load-timeout} allows on a miss (an aggregate over a large part of the
	 * catalog): a miss or bypass may take {@code loadTimeout}; once loaded it is served like any
	 * other entry, stale answers included, so only the first request after a change waits.
	 */
	public Mono<ServerResponse> json(ServerRequest request, String key, Duration loadTimeout,
			Supplier<Mono<?>> body) {
		Mono<byte[]> render = Mono.defer(body)
			.map((value) -> (value instanceof RawJson raw) ? raw.utf8() : this.json.writeValueAsBytes(value));
		return cached(request, key, loadTimeout, MediaType.APPLICATION_JSON, render);
	}

	/**
	 * Answers with an HTML page (UTF-8) through the cache, on the same terms as
	 * {@link #json(ServerRequest, String, Supplier)}: a hit is the stored bytes of the negotiated
	 * coding, read from Redis in one round trip, with no query built or run; an empty
	 * {@code body} or an error is passed on and not cached (the caller renders its own error
	 * page). Headers the handler put on the exchange's response before (a
	 * {@code Content-Security-Policy}) are kept.
	 * @param key identifies the page across instances; kept apart from the JSON answers' keys
	 */
	public Mono<ServerResponse> html(ServerRequest request, String key, Supplier<Mono<String>> body) {
		Mono<byte[]> render = Mono.defer(body).map((page) -> page.getBytes(StandardCharsets.UTF_8));
		return cached(request, "html:" + key, this.properties.loadTimeout(), HTML_UTF8, render);
	}

	private Mono<ServerResponse> cached(ServerRequest request, String key, Duration loadTimeout, MediaType type,
			Mono<byte[]> render) {
		AcceptEncoding accepted = AcceptEncoding.parse(request.headers().header(HttpHeaders.ACCEPT_ENCODING));
		if (!this.properties.enabled()) {
			return bypass(request, accepted, type, render, loadTimeout);
		}
		Scheduler loop = EventLoops.of(request);
		return this.loader.lookup(key)
			.map(Optional::of)
			.onErrorResume(CacheUnavailableException.class, (ex) -> Mono.just(Optional.empty()))
			.publishOn(loop)
			.flatMap((lookup) -> lookup.isPresent()
					? serve(request, accepted, type, key, lookup.get(),
							fromReplica(render, lookup.get(), loadTimeout).map(this.compression::encodeAll), loop,
							loadTimeout)
					: bypass(request, accepted, type, render, loadTimeout));
	}

	/** A load on a replica that replayed the generation's writes, within half the load timeout. */
	private Mono<byte[]> fromReplica(Mono<byte[]> render, CacheStore.Lookup lookup, Duration loadTimeout) {
		return this.replicas.read(render, lookup.walPosition(), loadTimeout.dividedBy(2));
	}

	private Mono<ServerResponse> serve(ServerRequest request, AcceptEncoding accepted, MediaType type, String key,
			CacheStore.Lookup lookup, Mono<Encoded> load, Scheduler loop, Duration loadTimeout) {
		long now = this.clock.millis();
		CacheEntry entry = lookup.current();
		Source cached = this.loader.cached(key, entry, now, load);
		if (cached != Source.MISS) {
			return respond(request, accepted, type, cached, entry, now);
		}
		return this.loader.load(key, lookup, now, load, loadTimeout)
			.publishOn(loop)
			.flatMap((served) -> respond(request, accepted, type, served.source(), served.entry(),
					this.clock.millis()));
	}

	private Mono<ServerResponse> bypass(ServerRequest request, AcceptEncoding accepted, MediaType type,
			Mono<byte[]> render, Duration loadTimeout) {
		return render.timeout(loadTimeout)
			.onErrorMap(TimeoutException.class,
					(ex) -> new ServiceUnavailableException("The database did not answer in time; try again shortly.",
							Duration.ofSeconds(1), ex))
			.flatMap((bytes) -> {
				this.metrics.bypasses.increment();
				CacheEntry entry = CacheEntry.uncached(this.compression.encodeFor(bytes, accepted));
				return respond(request, accepted, type, Source.BYPASS, entry, 0);
			});
	}

	/**
	 * {@code entry} in the coding {@code accepted} prefers, with the cache's headers, {@code Age}
	 * as of {@code now} if it was read from Redis. A 304 has no {@code Content-Encoding}: a cache
	 * must not copy one onto the body it stored.
	 */
	private Mono<ServerResponse> respond(ServerRequest request, AcceptEncoding accepted, MediaType type,
			Source source, CacheEntry entry, long now) {
		ContentCoding coding = entry.negotiate(accepted);
		boolean notModified = notModified(request, entry);
		ServerResponse.BodyBuilder response = notModified ? ServerResponse.status(HttpStatus.NOT_MODIFIED)
				: ServerResponse.ok();
		response.eTag(entry.etag(coding))
			.header(HttpHeaders.CACHE_CONTROL, this.cacheControl)
			.header("X-Cache", source.name());
		VaryByAcceptEncoding.addTo(request, response);
		if (source.fromRedis()) {
			response.header(HttpHeaders.AGE, Long.toString(Math.max(0, (now - entry.createdAt()) / 1000)));
		}
		if (notModified) {
			return response.build();
		}
		if (coding != ContentCoding.IDENTITY) {
			response.header(HttpHeaders.CONTENT_ENCODING, coding.token());
		}
		return response.contentType(type).bodyValue(entry.body(coding));
	}

	private static boolean notModified(ServerRequest request, CacheEntry entry) {
		for (String ifNoneMatch : request.headers().header(HttpHeaders.IF_NONE_MATCH)) {
			if (entry.matches(ifNoneMatch)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a failed load says that the database cannot answer now (rather than that the
	 * request is wrong, a 4xx problem): only then may an entry past its stale window answer
	 * (stale-if-error).
	 */
	static boolean isOutage(Throwable failure) {
		return !(failure instanceof ErrorResponse error && error.getStatusCode().is4xxClientError());
	}

}
