package dev.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the service, kept true by the build: features on top ({@code artifact},
 * {@code collection}, {@code stats}, {@code share}, {@code page}), then {@code cache}, then {@code web}, then {@code db};
 * {@code embedded} apart, reached only through {@code META-INF}. Nothing points upward and no
 * two packages import each other. {@link #theRulesCatchAnUpwardImportAndACycle} shows that the
 * rules are not vacuous: the same rules, applied to a planted copy of the layout with one upward
 * import and one cycle, report both. And no main class grows past 250 lines.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.catalog";

	private static final JavaClasses SERVICE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	/** Features, cache, web, db, each only reached from above; embedded reached by nobody. */
	static ArchRule layers(String root) {
		return layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("Features")
			.definedBy(root + ".artifact..", root + ".collection..", root + ".stats..", root + ".change..",
					root + ".share..", root + ".page..")
			.layer("Cache")
			.definedBy(root + ".cache..")
			.layer("Web")
			.definedBy(root + ".web..")
			.layer("Db")
			.definedBy(root + ".db..")
			.layer("Embedded")
			.definedBy(root + ".embedded..")
			.whereLayer("Features")
			.mayOnlyBeAccessedByLayers("Features")
			.whereLayer("Cache")
			.mayOnlyBeAccessedByLayers("Features")
			.whereLayer("Web")
			.mayOnlyBeAccessedByLayers("Features", "Cache")
			.whereLayer("Db")
			.mayOnlyBeAccessedByLayers("Features", "Cache", "Web")
			.whereLayer("Embedded")
			.mayNotBeAccessedByAnyLayer();
	}

	/** No two packages depend on each other, directly or around a loop (features included). */
	static ArchRule noCycles(String root) {
		return slices().matching(root + ".(*)..").should().beFreeOfCycles();
	}

	/** The embedded servers stand on their libraries alone. */
	static ArchRule embeddedStandsApart(String root) {
		return noClasses().that()
			.resideInAPackage(root + ".embedded..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(root + ".artifact..", root + ".collection..", root + ".stats..", root + ".change..",
					root + ".share..", root + ".page..", root + ".cache..", root + ".web..", root + ".db..");
	}

	@Test
	void layersOnlyPointDown() {
		layers(ROOT).check(SERVICE);
	}

	@Test
	void noPackagesImportEachOther() {
		noCycles(ROOT).check(SERVICE);
	}

	@Test
	void theEmbeddedServersStandApart() {
		embeddedStandsApart(ROOT).check(SERVICE);
	}

	@Test
	void theRulesCatchAnUpwardImportAndACycle() {
		String planted = ROOT + ".architecture.planted";
		JavaClasses classes = new ClassFileImporter().importPackages(planted);
		assertThat(layers(planted).evaluate(classes).getFailureReport().getDetails())
			.anySatisfy((line) -> assertThat(line).contains("planted.db.Upward").contains("planted.web.Problems"));
		assertThat(noCycles(planted).evaluate(classes).hasViolation()).isTrue();
		assertThat(layers(ROOT).evaluate(SERVICE).hasViolation()).isFalse();
	}

	@Test
	void noMainClassIsLongerThan250Lines() throws IOException {
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			List<String> tooLong = sources.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> lines(path) > 250)
				.map((path) -> path + " (" + lines(path) + " lines)")
				.toList();
			assertThat(tooLong).isEmpty();
		}
	}

	private static long lines(Path path) {
		try (Stream<String> lines = Files.lines(path)) {
			return lines.count();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
