package dev.catalog.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Any PostgreSQL or Redis setting means "use that server", never an embedded one beside it; a
 * configuration the service cannot use is refused before anything starts.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerSettingsTests {

	@Test
	void nothingConfiguredMeansEmbeddedForBoth() {
		assertThat(ServerSettings.of(new MockEnvironment())).isEqualTo(new ServerSettings(false, false));
	}

	@Test
	void eachRedisPlaceAloneMeansThatRedis() {
		assertThat(redis("spring.data.redis.url", "redis://cache:6379")).isTrue();
		assertThat(redis("spring.data.redis.host", "cache")).isTrue();
		assertThat(redis("spring.data.redis.port", "6380")).isTrue();
		assertThat(redis("spring.data.redis.cluster.nodes", "r1:7000,r2:7001,r3:7002")).isTrue();
		assertThat(ServerSettings.of(new MockEnvironment().withProperty("spring.data.redis.sentinel.master", "main")
			.withProperty("spring.data.redis.sentinel.nodes", "s1:26379,s2:26379")).redisConfigured()).isTrue();
	}

	@Test
	void clusterNodesAsAnIndexedYamlListCountToo() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.data.redis.cluster.nodes[0]", "r1:7000")
			.withProperty("spring.data.redis.cluster.nodes[1]", "r2:7001");
		assertThat(ServerSettings.of(environment).redisConfigured()).isTrue();
	}

	@Test
	void eachPostgresSettingMeansThatPostgres() {
		assertThat(ServerSettings.of(new MockEnvironment().withProperty("spring.r2dbc.url", "r2dbc:postgresql://db/catalog"))
			.postgresConfigured()).isTrue();
		for (String name : ServerSettings.POSTGRES) {
			if (!name.equals("spring.r2dbc.url")) {
				assertThatExceptionOfType(UnusableServerConfigurationException.class)
					.as(name + " alone")
					.isThrownBy(() -> ServerSettings.of(new MockEnvironment().withProperty(name, "x")))
					.withMessageContaining(name)
					.withMessageContaining("spring.r2dbc.url is not");
			}
		}
	}

	@Test
	void poolTuningAloneIsNoPostgresSetting() {
		assertThat(ServerSettings.of(new MockEnvironment().withProperty("spring.r2dbc.pool.max-size", "4")))
			.isEqualTo(new ServerSettings(false, false));
	}

	@Test
	void aRedisCredentialWithoutAServerIsRefused() {
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> ServerSettings.of(new MockEnvironment().withProperty("spring.data.redis.password", "s")))
			.withMessageContaining("no Redis server is named");
	}

	@Test
	void clusterNodesBesideAUrlAreRefused() {
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> ServerSettings.of(new MockEnvironment().withProperty("spring.data.redis.url", "redis://a:1")
				.withProperty("spring.data.redis.cluster.nodes", "r1:7000")))
			.withMessageContaining("More than one kind of Redis server")
			.withMessageContaining("spring.data.redis.url")
			.withMessageContaining("spring.data.redis.cluster.nodes");
	}

	@Test
	void aSentinelBesideAHostIsRefused() {
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> ServerSettings.of(new MockEnvironment().withProperty("spring.data.redis.host", "a")
				.withProperty("spring.data.redis.sentinel.master", "main")
				.withProperty("spring.data.redis.sentinel.nodes", "s1:26379")))
			.withMessageContaining("More than one kind of Redis server");
	}

	@Test
	void aSentinelNeedsBothItsMasterAndItsNodes() {
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> ServerSettings
				.of(new MockEnvironment().withProperty("spring.data.redis.sentinel.nodes", "s1:26379")))
			.withMessageContaining("sentinel.master and spring.data.redis.sentinel.nodes");
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> ServerSettings
				.of(new MockEnvironment().withProperty("spring.data.redis.sentinel.master", "main")))
			.withMessageContaining("sentinel.master and spring.data.redis.sentinel.nodes");
	}

	@Test
	void malformedRedisUrlsAndNodesAreRefused() {
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> redis("spring.data.redis.url", "cache:6379"))
			.withMessageContaining("not a Redis URL");
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> redis("spring.data.redis.url", "http://cache:6379"))
			.withMessageContaining("not a Redis URL");
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> redis("spring.data.redis.cluster.nodes", "r1:7000,r2"))
			.withMessageContaining("'r2', not host:port");
	}

	@Test
	void malformedR2dbcUrlsAreRefused() {
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> ServerSettings.of(new MockEnvironment().withProperty("spring.r2dbc.url", "postgres://db/x")))
			.withMessageContaining("not a PostgreSQL R2DBC URL");
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> ServerSettings.of(new MockEnvironment().withProperty("spring.r2dbc.url", "r2dbc:postgresql:///x")))
			.withMessageContaining("not a PostgreSQL R2DBC URL");
	}

	@Test
	void configuredServersStartNoEmbeddedOne() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.r2dbc.url", "r2dbc:postgresql://db/c")
			.withProperty("spring.data.redis.cluster.nodes", "r1:7000");
		new EmbeddedServersEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.data.redis.url")).isNull();
		assertThat(environment.getProperty("spring.r2dbc.url")).isEqualTo("r2dbc:postgresql://db/c");
		assertThat(environment.getProperty("catalog.embedded.active")).isNull();
		assertThat(EmbeddedServers.runningRedis()).isEmpty();
		assertThat(EmbeddedServers.runningPostgres()).isEmpty();
	}

	@Test
	void anUnusableConfigurationStopsStartUpWithItsReason(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatExceptionOfType(UnusableServerConfigurationException.class)
			.isThrownBy(() -> application.run("--spring.data.redis.url=redis://cache:6379",
					"--spring.data.redis.cluster.nodes=r1:7000", "--spring.r2dbc.url=r2dbc:postgresql://db/c"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Unusable server configuration: More than one kind of Redis server")
			.contains("Name exactly one");
	}

	private static boolean redis(String name, String value) {
		return ServerSettings.of(new MockEnvironment().withProperty(name, value)).redisConfigured();
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
