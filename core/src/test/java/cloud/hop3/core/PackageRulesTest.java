package cloud.hop3.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rules of core's structure, checked on the
 * compiled classes so that they stay true: core's packages form no cycle, shell commands are
 * front ends of the api services only, core never depends on a plugin, and no plugin on core.
 */
class PackageRulesTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        // core's own classes, as compiled (not the whole class path: faster, and only core's)
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of("target", "classes"));
    }

    @Test
    void corePackagesFormNoCycle() {
        slices().matching("cloud.hop3.core.impl.(*)..")
                .should().beFreeOfCycles()
                .because("a package that needs another which needs it back cannot be understood, tested or"
                        + " moved on its own; invert the dependency with a small interface or move the class")
                .check(core);
    }

    @Test
    void commandsUseTheApiServicesOnly() {
        classes().that().resideInAPackage("cloud.hop3.core.command..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("cloud.hop3.api..", "cloud.hop3.core.command..",
                        "org.apache.karaf.shell..", "java..")
                .because("a shell command and a REST resource are two faces of the same api service;"
                        + " what a command needs from core belongs in an api service")
                .check(core);
    }

    @Test
    void coreNeverDependsOnAPlugin() {
        noClasses().that().resideInAPackage("cloud.hop3.core..")
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "are in a plugin (a cloud.hop3 package outside api, core and the support library)",
                        (JavaClass c) -> c.getPackageName().startsWith("cloud.hop3.")
                                && !c.getPackageName().startsWith("cloud.hop3.api.")
                                && !c.getPackageName().startsWith("cloud.hop3.plugin.support.")
                                && !c.getPackageName().startsWith("cloud.hop3.core")))
                .because("core finds plugins in the service registry and never names an implementation;"
                        + " the support library is embedded at build time, like the plugins embed it")
                .check(core);
    }

    /**
     * Plugins are built after core, so their classes are not there to import: their sources are
     * read instead. A plugin that names a core class (an import, or a fully qualified name in
     * code) would couple its bundle to core's internals, which core does not export.
     */
    @Test
    void pluginsNeverReferToCore() throws IOException {
        Path plugins = Path.of("..", "plugins");
        assumeTrue(Files.isDirectory(plugins), "run from the core module of the source tree");
        Pattern reference = Pattern.compile("import\\s+(static\\s+)?cloud\\.hop3\\.core\\.|\\bcloud\\.hop3\\.core\\.(impl|command)\\b");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(plugins)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (reference.matcher(lines.get(i)).find()) {
                        found.add(plugins.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "plugins use the api only, never core");
    }
}
