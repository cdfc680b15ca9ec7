package dev.catalog.web;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class HttpLimitsConfiguration {

	/** Slow and oversized request heads, on every connection: {@link RequestHeadLimits}. */
	@Bean
	NettyServerCustomizer requestHeadLimits(HttpLimitProperties properties) {
		return (server) -> server.doOnChannelInit((observer, channel, address) -> RequestHeadLimits.install(channel,
				properties.headerTimeout()));
	}

}
