package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestFilesTest {

    @TempDir
    Path app;

    @TempDir
    Path elsewhere;

    @Test
    void aMissingFileIsEmpty() throws ManifestException {
        assertEquals(Optional.empty(), ManifestFiles.read(app, "Procfile"));
    }

    @Test
    void readsUtf8AndDropsAByteOrderMark() throws Exception {
        Files.write(app.resolve("Procfile"), "\uFEFFweb: echo héllo\n".getBytes(StandardCharsets.UTF_8));

        assertEquals(Optional.of("web: echo héllo\n"), ManifestFiles.read(app, "Procfile"));
    }

    @Test
    void exactly64KbIsAccepted() throws Exception {
        byte[] bytes = new byte[ManifestFiles.MAX_BYTES];
        Arrays.fill(bytes, (byte) '#');
        Files.write(app.resolve("Procfile"), bytes);

        assertEquals(ManifestFiles.MAX_BYTES, ManifestFiles.read(app, "Procfile").orElseThrow().length());
    }

    @Test
    void largerThan64KbIsAnError() throws Exception {
        byte[] bytes = new byte[ManifestFiles.MAX_BYTES + 1];
        Arrays.fill(bytes, (byte) '#');
        Files.write(app.resolve("Procfile"), bytes);

        ManifestException e = assertThrows(ManifestException.class, () -> ManifestFiles.read(app, "Procfile"));
        assertEquals("Procfile: is larger than 64 KB (65536 bytes)", e.getMessage());
        assertEquals(OptionalInt.empty(), e.line());
    }

    @Test
    void notUtf8IsAnErrorNamingTheLine() throws Exception {
        byte[] latin1 = "web: ./web\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(app.resolve("Procfile"), latin1);

        ManifestException e = assertThrows(ManifestException.class, () -> ManifestFiles.read(app, "Procfile"));
        assertEquals("Procfile line 2: not UTF-8 text (byte 0xE9)", e.getMessage());
    }

    @Test
    void aDirectoryIsNotAFile() throws Exception {
        Files.createDirectory(app.resolve("hop3.toml"));

        ManifestException e = assertThrows(ManifestException.class, () -> ManifestFiles.read(app, "hop3.toml"));
        assertEquals("hop3.toml: is not a regular file", e.getMessage());
    }

    @Test
    void aLinkInsideTheAppIsFollowed() throws Exception {
        Files.writeString(app.resolve("Procfile.production"), "web: ./web\n");
        Files.createSymbolicLink(app.resolve("Procfile"), Path.of("Procfile.production"));

        assertEquals(Optional.of("web: ./web\n"), ManifestFiles.read(app, "Procfile"));
    }

    @Test
    void aLinkOutOfTheAppIsAnError() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0\n");
        Files.createSymbolicLink(app.resolve("Procfile"), secret);

        ManifestException e = assertThrows(ManifestException.class, () -> ManifestFiles.read(app, "Procfile"));
        assertEquals("Procfile: is a symbolic link that leads out of the app", e.getMessage());
        Files.delete(app.resolve("Procfile")); // so that the clean-up of @TempDir has no link to warn about
    }

    @Test
    void aDanglingLinkIsAnError() throws IOException {
        Files.createSymbolicLink(app.resolve("Procfile"), Path.of("nowhere"));

        ManifestException e = assertThrows(ManifestException.class, () -> ManifestFiles.read(app, "Procfile"));
        assertEquals("Procfile: is a symbolic link that leads nowhere", e.getMessage());
    }
}
