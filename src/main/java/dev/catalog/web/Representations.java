package dev.catalog.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.NotAcceptableStatusException;

/**
 * The 406 of every route table. A read route names the representation it serves with an
 * {@code accept(...)} predicate, so a GET whose {@code Accept} names none of a path's
 * representations matches no route, and would end as a 404. {@link #orNotAcceptable} appends to
 * a table, for each path it serves to GET, a route that answers any other GET of that path with
 * {@link NotAcceptableStatusException} listing the path's representations (406 problem+json,
 * see {@link ProblemResponses}).
 * <p>
 * The representations are read from the table itself, so that a route added to a table is
 * covered without being declared twice. Other methods are left alone: HEAD, OPTIONS, and a
 * method no route serves still match nothing, as before. The appended routes carry no OpenAPI
 * operation, so springdoc leaves them out of the document.
 */
public final class Representations {

	private Representations() {
	}

	/**
	 * The table, then the 406 of each path it serves to GET with {@code accept(...)} routes.
	 * @param routes a table of {@code method && path [&& accept(...)]} routes, as
	 * {@code SpringdocRouteBuilder} builds them
	 * @throws IllegalArgumentException if a route of the table is of another shape, since what it
	 * serves could not be told
	 */
	public static RouterFunction<ServerResponse> orNotAcceptable(RouterFunction<ServerResponse> routes) {
		RouterFunction<ServerResponse> table = routes;
		for (Map.Entry<String, List<MediaType>> path : offeredToGet(routes).entrySet()) {
			List<MediaType> types = path.getValue();
			table = table.and(RouterFunctions.route(RequestPredicates.GET(path.getKey()),
					(request) -> Mono.error(new NotAcceptableStatusException(types))));
		}
		return table;
	}

	/**
	 * The representations each path pattern serves to GET, in the order of the table; a path
	 * with a GET route that takes any {@code Accept} needs no 406 and is left out.
	 */
	private static Map<String, List<MediaType>> offeredToGet(RouterFunction<ServerResponse> routes) {
		Map<String, Set<MediaType>> offered = new LinkedHashMap<>();
		Set<String> takeAnything = new LinkedHashSet<>();
		routes.accept(new RouterFunctions.Visitor() {

			@Override
			public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
				Terms route = Terms.of(predicate);
				if (!route.methods.contains(HttpMethod.GET)) {
					return;
				}
				if (route.accepts.isEmpty()) {
					takeAnything.add(route.path());
				}
				else {
					offered.computeIfAbsent(route.path(), (path) -> new LinkedHashSet<>()).addAll(route.accepts);
				}
			}

			@Override
			public void startNested(RequestPredicate predicate) {
				throw new IllegalArgumentException("Nested routes are not supported: " + predicate);
			}

			@Override
			public void endNested(RequestPredicate predicate) {
			}

			@Override
			public void resources(Function<ServerRequest, Mono<Resource>> lookupFunction) {
				throw new IllegalArgumentException("Resource routes are not supported: " + lookupFunction);
			}

			@Override
			public void attributes(Map<String, Object> attributes) {
			}

			@Override
			public void unknown(RouterFunction<?> routerFunction) {
				throw new IllegalArgumentException("Cannot tell what this route serves: " + routerFunction);
			}

		});
		Map<String, List<MediaType>> result = new LinkedHashMap<>();
		offered.forEach((path, types) -> {
			if (!takeAnything.contains(path)) {
				result.put(path, List.copyOf(types));
			}
		});
		return result;
	}

	/**
	 * The terms of a {@code method && path [&& accept(...)]} predicate. Any other term, or an
	 * {@code or} or a negation, is refused: what such a route serves could not be told.
	 */
	private static final class Terms implements RequestPredicates.Visitor {

		private final RequestPredicate predicate;

		private final Set<HttpMethod> methods = new LinkedHashSet<>();

		private final List<String> paths = new ArrayList<>();

		private final List<MediaType> accepts = new ArrayList<>();

		private Terms(RequestPredicate predicate) {
			this.predicate = predicate;
		}

		static Terms of(RequestPredicate predicate) {
			Terms terms = new Terms(predicate);
			predicate.accept(terms);
			if (terms.methods.isEmpty() || terms.paths.size() != 1) {
				terms.unsupported();
			}
			return terms;
		}

		String path() {
			return this.paths.get(0);
		}

		@Override
		public void method(Set<HttpMethod> methods) {
			this.methods.addAll(methods);
		}

		@Override
		public void path(String pattern) {
			this.paths.add(pattern);
		}

		@Override
		public void header(String name, String value) {
			if (!HttpHeaders.ACCEPT.equalsIgnoreCase(name)) {
				unsupported();
			}
			// the accept predicate shows one type as it is, and several as a list: "[a, b]"
			String types = (value.startsWith("[") && value.endsWith("]")) ? value.substring(1, value.length() - 1)
					: value;
			this.accepts.addAll(MediaType.parseMediaTypes(types));
		}

		@Override
		public void startAnd() {
		}

		@Override
		public void and() {
		}

		@Override
		public void endAnd() {
		}

		@Override
		@SuppressWarnings("removal")
		public void pathExtension(String extension) {
			unsupported();
		}

		@Override
		public void queryParam(String name, String value) {
			unsupported();
		}

		@Override
		public void version(String version) {
			unsupported();
		}

		@Override
		public void startOr() {
			unsupported();
		}

		@Override
		public void or() {
		}

		@Override
		public void endOr() {
		}

		@Override
		public void startNegate() {
			unsupported();
		}

		@Override
		public void endNegate() {
		}

		@Override
		public void unknown(RequestPredicate predicate) {
			unsupported();
		}

		private void unsupported() {
			throw new IllegalArgumentException("Cannot tell what this route serves: " + this.predicate);
		}

	}

}
