package cloud.hop3.api.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "shop", "my-app", "app2", "a1-b2-c3"})
    void acceptsDnsLabelNames(String name) {
        assertEquals(name, AppName.of(name).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Shop", "1app", "-app", "app-", "my_app", "my.app", "../etc", "a/b",
            "app\n", "app name", "ünïcode"})
    void rejectsNamesThatAreNotSafePathsAndDnsLabels(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppName.of(name));
        assertFalse(e.getMessage().isBlank());
        assertFalse(AppName.isValid(name));
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> AppName.of(null));
    }

    @Test
    void limitsLengthTo63() {
        assertTrue(AppName.isValid("a".repeat(63)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppName.of("a".repeat(64)));
        assertTrue(e.getMessage().contains("63"), e.getMessage());
    }

    @Test
    void errorNamesTheProblemWithoutEchoingControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppName.of("bad\u001b[31m"));
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    }
}
