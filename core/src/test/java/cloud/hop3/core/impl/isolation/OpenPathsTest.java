package cloud.hop3.core.impl.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenPathsTest {

    private Path root;
    private Path closedBin;
    private Path openBin;

    @BeforeEach
    void tree() throws IOException {
        // not a JUnit temp dir: those are closed to others, and here what others may enter matters
        root = Files.createTempDirectory(Path.of("/tmp"), "open-paths");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectories(root.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        closedBin = Files.createDirectories(home.resolve("shims"));
        openBin = Files.createDirectories(root.resolve("usr-bin"));
        Files.setPosixFilePermissions(openBin, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path bin : new Path[] {closedBin, openBin}) {
            Path tool = Files.writeString(bin.resolve("python3"), "#!/bin/sh\n");
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(Files.writeString(openBin.resolve("private-tool"), ""),
                PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void clean() throws IOException {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aProgramUnderAClosedDirectoryIsNotRunnableByOthers() {
        assertFalse(OpenPaths.runnable(closedBin.resolve("python3")));
        assertTrue(OpenPaths.runnable(openBin.resolve("python3")));
        assertFalse(OpenPaths.runnable(openBin.resolve("private-tool")), "a file without o+x");
        assertFalse(OpenPaths.runnable(openBin.resolve("missing")));
    }

    @Test
    void theSearchPathKeepsOnlyOpenDirectoriesInOrder() {
        String path = closedBin + ":" + openBin + "::relative:" + root.resolve("none") + ":/usr/bin";
        assertEquals(openBin + ":/usr/bin", OpenPaths.searchPath(path));
    }

    @Test
    void theSameNameIsFoundWhereOthersMayRunIt() {
        assertEquals(Optional.of(openBin.resolve("python3")), OpenPaths.locate("python3", closedBin + ":" + openBin));
        assertEquals(Optional.empty(), OpenPaths.locate("python3", closedBin.toString()));
    }
}
