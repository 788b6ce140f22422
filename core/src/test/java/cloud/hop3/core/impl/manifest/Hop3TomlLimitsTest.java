package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.process.ResourceLimits;

/** {@code [run] memory}, {@code cpu}, {@code processes} and {@code files}: read, or refused with the line. */
class Hop3TomlLimitsTest {

    @Test
    void limitsAreRead() throws ManifestException {
        Hop3Toml t = Hop3TomlParser.parse("""
                [run]
                start = "python app.py"
                memory = "64M"
                cpu = 0.5
                processes = 32
                files = "256"
                """);
        assertEquals(new ResourceLimits(64L << 20, 0.5, 32, 256), t.limits());
        assertEquals(Map.of("memory", "64M", "cpu", "0.5", "processes", "32", "files", "256"), t.limits().describe());
    }

    @Test
    void noLimitsByDefault() throws ManifestException {
        assertEquals(ResourceLimits.NONE, Hop3TomlParser.parse("[run]\nstart = \"./web\"\n").limits());
    }

    @Test
    void aBadMemoryValueIsAnErrorWithItsLine() {
        ManifestException e = assertThrows(ManifestException.class, () -> Hop3TomlParser.parse("""
                [run]
                start = "./web"
                memory = "lots"
                """));
        assertEquals("hop3.toml line 3: [run] memory must be bytes with an optional unit K, M, G or T, such as 512M, not 'lots'",
                e.getMessage());
    }

    @Test
    void tooLittleMemoryIsRefused() {
        ManifestException e = assertThrows(ManifestException.class, () -> Hop3TomlParser.parse("[run]\nmemory = \"1M\"\n"));
        assertTrue(e.getMessage().contains("memory must be at least 4M"), e.getMessage());
    }

    @Test
    void aTableIsNotALimit() {
        ManifestException e = assertThrows(ManifestException.class, () -> Hop3TomlParser.parse("[run]\nfiles = [1]\n"));
        assertTrue(e.getMessage().contains("[run] files must be a string or a number, such as 4096"), e.getMessage());
    }

    @Test
    void zeroProcessesIsRefused() {
        ManifestException e = assertThrows(ManifestException.class, () -> Hop3TomlParser.parse("[run]\nprocesses = 0\n"));
        assertTrue(e.getMessage().contains("processes must be a whole number of at least 2"), e.getMessage());
    }
}
