package cloud.hop3.core.impl.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;

class ProcessBuildCommandsReachableTest {

    private final List<String> lines = new ArrayList<>();
    private final BuildLog log = new BuildLog() {
        @Override
        public void step(String text) {
            lines.add(text);
        }

        @Override
        public void info(String text) {
            lines.add(text);
        }

        @Override
        public void warn(String text) {
            lines.add(text);
        }
    };

    @Test
    void aToolInAClosedDirectoryIsTakenFromTheOpenSearchPathAndTheLogSaysSo(@TempDir Path closed) throws Exception {
        Path shim = executable(closed.resolve("sh"));
        List<String> argv = ProcessBuildCommands.reachable(List.of(shim.toString(), "-c", "true"), "/usr/bin:/bin", log);
        assertEquals(List.of("/usr/bin/sh", "-c", "true"), argv);
        assertTrue(lines.get(0).contains(shim + " is closed to the app's user; using /usr/bin/sh"), lines.toString());
    }

    @Test
    void noOpenCopyFailsTheBuildWithTheWayOut(@TempDir Path closed) throws Exception {
        Path shim = executable(closed.resolve("no-such-tool-anywhere"));
        BuildException e = assertThrows(BuildException.class,
                () -> ProcessBuildCommands.reachable(List.of(shim.toString()), "/usr/bin:/bin", log));
        assertTrue(e.getMessage().contains("install no-such-tool-anywhere where every user can run it"), e.getMessage());
    }

    @Test
    void anOpenToolIsLeftAlone() throws Exception {
        assertEquals(List.of("/bin/sh", "-c", "true"), ProcessBuildCommands.reachable(List.of("/bin/sh", "-c", "true"), "", log));
        assertEquals(List.of(), lines);
    }

    private static Path executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
