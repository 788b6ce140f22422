package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What app:config-set checks before it changes anything; the name and value rule itself is ConfigVarName's. */
class ConfigVarsTest {

    @ParameterizedTest
    @ValueSource(strings = {"DATABASE_URL", "debug", "_PRIVATE", "A1", "x", "HOP3_BUILDER"})
    void acceptsShellVariableNames(String name) {
        assertDoesNotThrow(() -> ConfigVars.check(name, "value"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ST", "MY-VAR", "MY VAR", "A=B", "PATH.EXT", "$HOME"})
    void refusesOtherNamesWithTheRule(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigVars.check(name, "value"));
        assertEquals("Invalid config var name '" + name + "': use letters, digits and underscores, not starting with a digit.",
                e.getMessage());
    }

    @Test
    void aNameHasAtMost255CharactersAsInManifests() {
        assertDoesNotThrow(() -> ConfigVars.check("A".repeat(255), "v"));
        assertThrows(IllegalArgumentException.class, () -> ConfigVars.check("A".repeat(256), "v"));
    }

    @Test
    void aValueWithANulCharacterOrTooLongIsRefused() {
        assertEquals("The value of SECRET may not contain a NUL character.",
                assertThrows(IllegalArgumentException.class, () -> ConfigVars.check("SECRET", "abc\0def")).getMessage());
        assertDoesNotThrow(() -> ConfigVars.check("BIG", "x".repeat(32_768)));
        assertThrows(IllegalArgumentException.class, () -> ConfigVars.check("BIG", "x".repeat(32_769)));
    }

    @Test
    void theHttpsRedirectSettingMustBeAYesOrANo() {
        assertDoesNotThrow(() -> ConfigVars.check("HOP3_HTTPS_REDIRECT", "off"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigVars.check("HOP3_HTTPS_REDIRECT", "maybe"));
        assertTrue(e.getMessage().contains("HOP3_HTTPS_REDIRECT must be true or false"), e.getMessage());
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
