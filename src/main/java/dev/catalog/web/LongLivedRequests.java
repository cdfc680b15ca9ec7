package dev.catalog.web;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Requests that stay open for as long as a client listens (a subscription to the change
 * feed). They are bounded by their feature's own limit, so the in-flight limit, meant for work
 * that ends, does not count them: ten thousand idle subscribers must not shed every other
 * request.
 */
@FunctionalInterface
public interface LongLivedRequests {

	boolean matches(ServerHttpRequest request);

}
