package io.megastream.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.megastream.ingest.queue.FrameQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the arrows one-way: ingest never touches DJL, the recover stage or the model. */
class IngestArchitectureTest {

  private static JavaClasses ingest;

  @BeforeAll
  static void importIngestClasses() {
    ingest =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.megastream.ingest");
  }

  @Test
  void shouldImportTheProductionClassesOnly() {
    // Then: the rules below are not vacuously true
    assertThat(ingest.contain(FrameQueue.class)).isTrue();
    assertThat(ingest.contain(Ingest.class)).isTrue();
    assertThat(ingest.stream().map(JavaClass::getSimpleName)).doesNotContain("IngestIT");
  }

  @Test
  void shouldNotDependOnDjl() {
    // Given
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.megastream.ingest..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("ai.djl..")
            .because("ingest runs on cameras' hosts without the model runtime");

    // Then
    rule.check(ingest);
  }

  @Test
  void shouldNotDependOnTheRecoverStageOrTheModel() {
    // Given
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.megastream.ingest..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.megastream.recover..", "io.megastream.mega..")
            .because("ingest only produces frames; downstream stages depend on it, not back");

    // Then
    rule.check(ingest);
  }

  @Test
  void shouldDetectAForbiddenDependencyWhenThereIsOne() {
    // Given: ingest does use JavaCV, so a rule forbidding it must fail
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.megastream.ingest..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.bytedeco..");

    // Then
    assertThatThrownBy(() -> rule.check(ingest))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("org.bytedeco");
  }
}
