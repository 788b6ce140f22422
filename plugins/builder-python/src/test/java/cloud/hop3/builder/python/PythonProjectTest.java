package cloud.hop3.builder.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonProjectTest {

    @TempDir
    Path source;

    @Test
    void requirementsCountWhenALineIsNeitherBlankNorAComment() throws IOException {
        assertFalse(PythonProject.hasRequirements(source), "no file");

        Files.writeString(source.resolve("requirements.txt"), "\n# comment\n   # indented comment\n\t\n");
        assertFalse(PythonProject.hasRequirements(source));

        Files.writeString(source.resolve("requirements.txt"), "# web\nflask==3.0  # pinned\n");
        assertTrue(PythonProject.hasRequirements(source));

        Files.writeString(source.resolve("requirements.txt"), "-r base.txt\n");
        assertTrue(PythonProject.hasRequirements(source), "an include is a requirement");
    }

    @Test
    void runtimeVersionIsHerokuStyle() throws IOException {
        assertEquals(Optional.empty(), PythonProject.runtimeVersion(source));

        Files.writeString(source.resolve("runtime.txt"), "python-3.12.1\n");
        assertEquals(Optional.of("3.12.1"), PythonProject.runtimeVersion(source));

        Files.writeString(source.resolve("runtime.txt"), "python\n");
        assertEquals(Optional.empty(), PythonProject.runtimeVersion(source));
    }

    @Test
    void markersAreListedInOrder() throws IOException {
        Files.writeString(source.resolve("Pipfile"), "");
        Files.writeString(source.resolve("requirements.txt"), "");

        assertEquals(List.of("requirements.txt", "Pipfile"), PythonProject.markers(source));
    }
}
