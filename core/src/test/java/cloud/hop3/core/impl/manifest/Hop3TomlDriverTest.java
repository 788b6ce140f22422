package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** hop3.toml's top-level {@code driver} names a process driver, and nothing else passes. */
class Hop3TomlDriverTest {

    @Test
    void aDriverNameIsRead() throws Exception {
        assertEquals(Optional.of("kubernetes"), Hop3TomlParser.parse("driver = \"kubernetes\"\n").driver());
        assertEquals(Optional.empty(), Hop3TomlParser.parse("[run]\nstart = \"./web\"\n").driver());
    }

    @Test
    void aDriverThatIsNotANameIsRefusedWithItsLine() {
        ManifestException notText = assertThrows(ManifestException.class, () -> Hop3TomlParser.parse("\ndriver = 3\n"));
        assertTrue(notText.getMessage().contains("driver must be a string") && notText.getMessage().contains("2"),
                notText.getMessage());
        ManifestException badName = assertThrows(ManifestException.class,
                () -> Hop3TomlParser.parse("driver = \"Kube rnetes\"\n"));
        assertTrue(badName.getMessage().contains("not a process driver name"), badName.getMessage());
    }
}
