package dev.catalog.system;

import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTransportConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(ServerTransportConfiguration.class);

	@Test
	void serverRunsOnNioUnlessTheNativeTransportIsAskedFor() {
		assertThat(HttpServer.create().configuration().isPreferNative()).isTrue();
		this.contexts.run((context) -> assertThat(context.getBean(NettyServerCustomizer.class)
			.apply(HttpServer.create())
			.configuration()
			.isPreferNative()).isFalse());
		this.contexts.withPropertyValues("catalog.server.native-transport=true")
			.run((context) -> assertThat(context).doesNotHaveBean(NettyServerCustomizer.class));
	}

}
