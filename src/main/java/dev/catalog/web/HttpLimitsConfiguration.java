package dev.catalog.web;

import java.util.concurrent.TimeUnit;

import io.netty.handler.timeout.WriteTimeoutHandler;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class HttpLimitsConfiguration {

	/**
	 * On every connection: slow and oversized request heads ({@link RequestHeadLimits}); clients
	 * that stop reading ({@code catalog.http.write-timeout}: Netty's handler, first in the
	 * pipeline so that it sees every write as it goes to the socket, closes the connection when
	 * one has not been taken within the timeout).
	 */
	@Bean
	NettyServerCustomizer httpLimits(HttpLimitProperties properties) {
		long writeTimeout = properties.writeTimeout().toMillis();
		return (server) -> server.doOnChannelInit((observer, channel, address) -> {
			RequestHeadLimits.install(channel, properties.headerTimeout());
			if (channel.pipeline().get(WRITE_TIMEOUT) == null) {
				channel.pipeline().addFirst(WRITE_TIMEOUT, new WriteTimeoutHandler(writeTimeout, TimeUnit.MILLISECONDS));
			}
		});
	}

	private static final String WRITE_TIMEOUT = "catalog.writeTimeout";

}
