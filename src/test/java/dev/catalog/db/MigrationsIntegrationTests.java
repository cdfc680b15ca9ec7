package dev.catalog.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.catalog.CatalogIntegrationTest;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The changelog applied to an empty database, rolled back completely, and applied again.
 */
@CatalogIntegrationTest
class MigrationsIntegrationTests {

	private static final String SCRATCH = "catalog_migrations_check";

	@Value("${spring.liquibase.url}")
	String url;

	@Value("${spring.liquibase.user}")
	String user;

	@Value("${spring.liquibase.password}")
	String password;

	@BeforeEach
	@AfterEach
	void dropScratchDatabase() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url, this.user, this.password);
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + SCRATCH);
		}
	}

	@Test
	void migrationsApplyToAnEmptyDatabaseRollBackAndApplyAgain() throws Exception {
		try (Connection admin = DriverManager.getConnection(this.url, this.user, this.password);
				Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE " + SCRATCH);
		}
		String scratchUrl = this.url.replaceFirst("/[^/?]+(\\?.*)?$", "/" + SCRATCH);
		try (Connection connection = DriverManager.getConnection(scratchUrl, this.user, this.password)) {
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(new JdbcConnection(connection));
			Liquibase liquibase = new Liquibase("migrations/changelog.yaml", new ClassLoaderResourceAccessor(),
					database);

			liquibase.update();
			assertThat(tables(connection)).contains("artifacts", "artifact_tags", "artifact_versions", "collections",
					"collection_artifacts", "catalog_settings");
			assertThat(triggers(connection)).contains("collection_artifacts_counted_insert",
					"collection_artifacts_counted_delete");

			liquibase.rollback(Integer.MAX_VALUE, null);
			assertThat(tables(connection)).containsOnly("databasechangelog", "databasechangeloglock");
			assertThat(triggers(connection)).isEmpty();

			liquibase.update();
			assertThat(tables(connection)).contains("artifacts", "collections", "collection_artifacts");
		}
	}

	private static List<String> tables(Connection connection) throws SQLException {
		return strings(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
	}

	private static List<String> triggers(Connection connection) throws SQLException {
		return strings(connection,
				"SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = 'public'");
	}

	private static List<String> strings(Connection connection, String sql) throws SQLException {
		List<String> values = new ArrayList<>();
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				values.add(rows.getString(1));
			}
		}
		return values;
	}

}
