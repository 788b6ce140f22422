package cloud.hop3.api.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each value type either refuses an input with a readable message, or accepts a value that is
 * safe as a file name, a configuration token and a DNS name: nothing in between, for any input.
 */
class ValueTypesFuzzTest {

    private static final Pattern SAFE_HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    private static final Pattern SAFE_TYPE = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern SAFE_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final Pattern READABLE = Pattern.compile("[\\x20-\\x7e]+");

    @Test
    void hostNamesAcceptedAreSafe() {
        Fuzz.strings(1, 200_000, 20, input -> {
            try {
                HostName host = HostName.of(input);
                assertTrue(SAFE_HOST.matcher(host.value()).matches(), input);
                assertFalse(host.value().contains(".."), input);
                assertEquals(host, HostName.of(host.value()), "normalising twice changes nothing");
            } catch (IllegalArgumentException e) {
                assertTrue(READABLE.matcher(e.getMessage()).matches(), e.getMessage());
            }
        });
    }

    @Test
    void processTypesAcceptedAreSafe() {
        Fuzz.strings(2, 200_000, 12, input -> {
            try {
                assertTrue(SAFE_TYPE.matcher(ProcessType.of(input).value()).matches(), input);
            } catch (IllegalArgumentException e) {
                assertTrue(READABLE.matcher(e.getMessage()).matches(), e.getMessage());
            }
        });
    }

    @Test
    void configVarNamesAcceptedAreSafe() {
        Fuzz.strings(3, 200_000, 12, input -> {
            try {
                assertTrue(SAFE_VAR.matcher(ConfigVarName.of(input).value()).matches(), input);
                assertTrue(ConfigVarName.isValid(input));
            } catch (IllegalArgumentException e) {
                assertFalse(ConfigVarName.isValid(input));
                assertTrue(READABLE.matcher(e.getMessage()).matches(), e.getMessage());
            }
        });
    }

    @Test
    void appNamesAcceptedAreSafe() {
        Fuzz.strings(4, 200_000, 12, input -> {
            try {
                assertTrue(Pattern.matches("[a-z]([a-z0-9-]*[a-z0-9])?", AppName.of(input).value()), input);
            } catch (IllegalArgumentException e) {
                assertTrue(READABLE.matcher(e.getMessage()).matches(), e.getMessage());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"Shop.Example.ORG.", " shop.example.org ", "xn--bcher-kva.example", "a.b", "app.localhost", "localhost"})
    void hostNamesAreNormalised(String input) {
        HostName host = HostName.of(input);
        assertEquals(input.strip().toLowerCase().replaceAll("\\.$", ""), host.value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", ".a.b", "-a.b", "a-.b", "a_b.c", "a.b/c", "*.example.org",
            "exa mple.org", "bücher.example", "a.b:80", "a.b\nc.d"})
    void hostNamesRefused(String input) {
        assertThrows(IllegalArgumentException.class, () -> HostName.of(input));
        assertFalse(HostName.isValid(input));
    }

    @Test
    void hostNamesHaveALengthLimit() {
        String label = "a".repeat(63);
        String ok = String.join(".", label, label, label, "a".repeat(61));
        assertEquals(253, ok.length());
        HostName.of(ok);
        assertThrows(IllegalArgumentException.class, () -> HostName.of(ok + "a"));
        assertThrows(IllegalArgumentException.class, () -> HostName.of("a".repeat(64) + ".org"));
    }

    @Test
    void processTypeCaseIsNeverFolded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcessType.of("Web"));
        assertTrue(e.getMessage().contains("write 'web'"), e.getMessage());
        assertEquals(ProcessType.WEB, ProcessType.of("web"));
    }

    @Test
    void formationBoundsEveryCountTheSameWay() {
        assertEquals(Formation.MAX_PER_TYPE, new Formation(Map.of("web", Formation.MAX_PER_TYPE)).count("web"));
        assertThrows(IllegalArgumentException.class, () -> new Formation(Map.of("web", Formation.MAX_PER_TYPE + 1)));
        assertThrows(IllegalArgumentException.class, () -> new Formation(Map.of("web", -1)));
        assertThrows(IllegalArgumentException.class, () -> new Formation(Map.of("Web", 1)));
        assertThrows(IllegalArgumentException.class, () -> new Formation(Map.of("../x", 1)));
        assertEquals(3, Formation.none().with(ProcessType.WEB, 3).count("web"));
    }

    @Test
    void configValuesRefuseNulAndHugeValues() {
        ConfigVarName name = ConfigVarName.of("SECRET");
        assertEquals("x", name.checkValue("x"));
        assertThrows(IllegalArgumentException.class, () -> name.checkValue("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> name.checkValue("a".repeat(ConfigVarName.MAX_VALUE_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> ConfigVarName.of("A".repeat(256)));
        ConfigVarName.of("A".repeat(255));
    }
}
