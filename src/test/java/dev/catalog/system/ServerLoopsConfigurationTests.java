package dev.catalog.system;

import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ServerLoopsConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(ServerLoopsConfiguration.class);

	@Test
	void connectionsAreAcceptedByOneThreadThatServesNoRequests() {
		this.contexts.run((context) -> {
			LoopResources loops = context.getBean(NettyServerCustomizer.class)
				.apply(HttpServer.create())
				.configuration()
				.loopResources();
			EventLoopGroup acceptor = loops.onServerSelect(true);
			EventLoopGroup workers = loops.onServer(true);
			assertThat(acceptor).isNotSameAs(workers);
			assertThat(acceptor).hasSize(1);
			assertThat(workers).hasSize(LoopResources.DEFAULT_IO_WORKER_COUNT);
		});
	}

}
