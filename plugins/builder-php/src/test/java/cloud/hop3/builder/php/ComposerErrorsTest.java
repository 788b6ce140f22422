package cloud.hop3.builder.php;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ComposerErrorsTest {

    @Test
    void exceptionBlockIsTheReason() {
        List<String> output = List.of(
                "No composer.lock file present. Updating dependencies to latest instead of installing from lock file.",
                "Loading composer repositories with package information",
                "",
                "In RemoteFilesystem.php line 476:",
                "                                                      ",
                "  The \"https://repo.packagist.org/packages.json\" file could not be downloaded: php_network_getaddresses:"
                        + " getaddrinfo for repo.packagist.org failed: Name or service not known  ",
                "  Failed to open stream: php_network_getaddresses: getaddrinfo for repo.packagist.org failed  ",
                "                                                      ",
                "",
                "install [--prefer-source] [--prefer-dist] [--dry-run] [--] [<packages>...]");

        assertEquals(List.of("The \"https://repo.packagist.org/packages.json\" file could not be downloaded:"
                + " php_network_getaddresses: getaddrinfo for repo.packagist.org failed: Name or service not known"
                + " Failed to open stream: php_network_getaddresses: getaddrinfo for repo.packagist.org failed"),
                ComposerErrors.reasons(output));
    }

    @Test
    void usageRightAfterTheExceptionIsNotPartOfIt() {
        List<String> output = List.of(
                "In CurlDownloader.php line 389:",
                "  The \"https://127.0.0.1:9/packages.json\" file could not be downloaded: Connection refused  ",
                "install [--prefer-source] [--prefer-dist] [--dry-run] [--] [<packages>...]");

        assertEquals(List.of("The \"https://127.0.0.1:9/packages.json\" file could not be downloaded: Connection refused"),
                ComposerErrors.reasons(output));
    }

    @Test
    void jsonErrorLeavesOutThePointer() {
        List<String> output = List.of(
                "",
                "In JsonFile.php line 347:",
                "                                                                    ",
                "  \"./composer.json\" does not contain valid JSON                     ",
                "  Parse error on line 3:                                            ",
                "  ...x\", \"require\": {},}                                            ",
                "  --------------------^                                             ",
                "  Expected: 'STRING' - It appears you have an extra trailing comma  ",
                "                                                                    ");

        assertEquals(List.of("\"./composer.json\" does not contain valid JSON Parse error on line 3: ...x\", \"require\":"
                + " {},} Expected: 'STRING' - It appears you have an extra trailing comma"), ComposerErrors.reasons(output));
    }

    @Test
    void unresolvableRequirementsAreEachProblem() {
        List<String> output = List.of(
                "Updating dependencies",
                "Your requirements could not be resolved to an installable set of packages.",
                "",
                "  Problem 1",
                "    - Root composer.json requires foo/bar, it could not be found in any version, there may be a typo in"
                        + " the package name.",
                "  Problem 2",
                "    - Root composer.json requires php >=9 but your php version (8.2.32) does not satisfy that requirement.",
                "",
                "Potential causes:",
                " - A typo in the package name",
                "",
                "Read <https://getcomposer.org/doc/articles/troubleshooting.md> for further common problems.");

        assertEquals(List.of("Root composer.json requires foo/bar, it could not be found in any version, there may be a"
                        + " typo in the package name.",
                "Root composer.json requires php >=9 but your php version (8.2.32) does not satisfy that requirement."),
                ComposerErrors.reasons(output));
    }

    @Test
    void nothingRecognisableGivesNoReason() {
        assertEquals(List.of(), ComposerErrors.reasons(List.of("Killed")));
    }
}
