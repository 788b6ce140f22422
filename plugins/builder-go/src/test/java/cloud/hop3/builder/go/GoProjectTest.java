package cloud.hop3.builder.go;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoProjectTest {

    @TempDir
    Path dir;

    @Test
    void modulePathIsReadFromGoMod() throws IOException {
        Files.writeString(dir.resolve("go.mod"), "// the shop\n\nmodule example.com/shop // main module\n\ngo 1.19\n");
        assertEquals(Optional.of("example.com/shop"), GoProject.modulePath(dir));

        Files.writeString(dir.resolve("go.mod"), "module \"example.com/quoted/v3\"\n");
        assertEquals(Optional.of("example.com/quoted/v3"), GoProject.modulePath(dir));

        Files.writeString(dir.resolve("go.mod"), "go 1.19\n");
        assertEquals(Optional.empty(), GoProject.modulePath(dir));
    }

    @Test
    void commandIsNamedAfterTheLastElementButAMajorVersion() {
        assertEquals("shop", GoProject.commandName("example.com/shop"));
        assertEquals("shop", GoProject.commandName("example.com/shop/v2"));
        assertEquals("demo", GoProject.commandName("demo"));
        assertEquals("v2", GoProject.commandName("v2"));
        assertEquals("hello-world", GoProject.commandName("github.com/me/hello-world"));
    }

    @Test
    void vendoredMeansVendorModulesTxt() throws IOException {
        assertFalse(GoProject.vendored(dir));
        Files.createDirectories(dir.resolve("vendor"));
        assertFalse(GoProject.vendored(dir), "an empty vendor directory is not go mod vendor's");
        Files.writeString(dir.resolve("vendor/modules.txt"), "# example.com/x v1.0.0\n");
        assertTrue(GoProject.vendored(dir));
    }
}
