package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigVarsTest {

    private static final String RULE = "': use letters, digits and underscores, not starting with a digit.";

    @ParameterizedTest
    @ValueSource(strings = {"DATABASE_URL", "debug", "_PRIVATE", "A1", "x", "HOP3_BUILDER"})
    void acceptsShellVariableNames(String name) {
        assertDoesNotThrow(() -> ConfigVars.checkName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1ST", "MY-VAR", "MY VAR", "A=B", "PATH.EXT", "$HOME"})
    void refusesOtherNamesWithTheRule(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigVars.checkName(name));
        assertEquals("Invalid config var name '" + name + RULE, e.getMessage());
    }

    @Test
    void aMissingNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConfigVars.checkName(null));
    }

    @Test
    void nonAsciiInANameIsShownAsQuestionMarks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigVars.checkName("CAFÉ\n"));
        assertEquals("Invalid config var name 'CAF??" + RULE, e.getMessage());
    }

    @Test
    void aNameHasAtMost255Characters() {
        assertDoesNotThrow(() -> ConfigVars.checkName("A".repeat(255)));
        assertThrows(IllegalArgumentException.class, () -> ConfigVars.checkName("A".repeat(256)));
    }

    @Test
    void valuesMayBeEmptyMultiLineAndUnicode() {
        assertDoesNotThrow(() -> ConfigVars.checkValue("A", ""));
        assertDoesNotThrow(() -> ConfigVars.checkValue("A", "line 1\nline 2 = ü €"));
        assertDoesNotThrow(() -> ConfigVars.checkValue("A", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
    }

    @Test
    void aValueWithANulCharacterIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigVars.checkValue("SECRET", "abc\0def"));
        assertEquals("The value of SECRET may not contain a NUL character.", e.getMessage());
    }

    @Test
    void aMissingValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConfigVars.checkValue("SECRET", null));
    }

    @Test
    void aValueHasAtMost32768Characters() {
        assertDoesNotThrow(() -> ConfigVars.checkValue("BIG", "x".repeat(32_768)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigVars.checkValue("BIG", "x".repeat(32_769)));
        assertEquals("The value of BIG is longer than 32768 characters.", e.getMessage());
    }

    @Test
    void describeNamesWhatWasSetAndUnsetInOrder() {
        assertEquals("Set DEBUG", ConfigVars.describe(List.of("DEBUG"), List.of()));
        assertEquals("Set DEBUG, WORKERS", ConfigVars.describe(List.of("DEBUG", "WORKERS"), List.of()));
        assertEquals("Unset OLD_URL", ConfigVars.describe(List.of(), List.of("OLD_URL")));
        assertEquals("Set A, B; Unset C", ConfigVars.describe(List.of("A", "B"), List.of("C")));
        assertEquals("Config unchanged", ConfigVars.describe(List.of(), List.of()));
    }
}
