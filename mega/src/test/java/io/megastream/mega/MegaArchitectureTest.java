package io.megastream.mega;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** mega/ is the model side: it never talks to Kafka and never reaches into other stages. */
class MegaArchitectureTest {

  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.megastream.mega");

  @Test
  void shouldNotDependOnKafka() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "io.megastream.proto..",
            "io.megastream.ingest..",
            "io.megastream.train..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTheBodyModelFreeOfDjl() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.megastream.mega.body..",
            "io.megastream.mega.motion..",
            "io.megastream.mega.render..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("ai.djl..")
        .check(CLASSES);
  }
}
