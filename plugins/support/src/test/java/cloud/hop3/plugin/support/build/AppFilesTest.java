package cloud.hop3.plugin.support.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppFilesTest {

    @TempDir
    Path tmp;

    @Test
    void filesOfTheTreeAndLinksWithinItCount() throws IOException {
        Path app = Files.createDirectory(tmp.resolve("app"));
        Files.writeString(app.resolve("go.mod"), "module x\n");
        Files.createDirectories(app.resolve("config"));
        Files.createSymbolicLink(app.resolve("Gemfile"), Path.of("config/../go.mod"));

        assertTrue(AppFiles.has(app, "go.mod"));
        assertTrue(AppFiles.has(app, "Gemfile"), "a link within the app");
        assertTrue(AppFiles.inside(app, app.resolve("go.mod")));
    }

    @Test
    void linksOutOfTheTreeDirectoriesAndMissingFilesDoNot() throws IOException {
        Path app = Files.createDirectory(tmp.resolve("app"));
        Path secret = Files.writeString(tmp.resolve("secret"), "server's own\n");
        Files.createSymbolicLink(app.resolve("package.json"), secret);
        Files.createSymbolicLink(app.resolve("dangling"), tmp.resolve("none"));
        Files.createDirectory(app.resolve("pom.xml"));

        assertFalse(AppFiles.has(app, "package.json"), "a link out of the app");
        assertFalse(AppFiles.has(app, "dangling"));
        assertFalse(AppFiles.has(app, "pom.xml"), "a directory");
        assertFalse(AppFiles.has(app, "missing"));
        assertFalse(AppFiles.has(app, "bad\0name"));
        assertFalse(AppFiles.has(tmp.resolve("no-app"), "go.mod"));
    }

    @Test
    void theReasonNamesTheFirstMarkerTheTreeHas() throws IOException {
        Path app = Files.createDirectory(tmp.resolve("app"));
        Files.writeString(app.resolve("config.ru"), "run App\n");
        Files.createDirectory(app.resolve("Gemfile"));

        assertEquals(Optional.of("found config.ru"), AppFiles.found(app, "Gemfile", "config.ru"));
        Files.writeString(app.resolve("go.mod"), "module x\n");
        assertEquals(Optional.of("found go.mod"), AppFiles.found(app, "go.mod", "config.ru"));
        assertEquals(Optional.empty(), AppFiles.found(app, "Gemfile", "package.json"));
    }
}
