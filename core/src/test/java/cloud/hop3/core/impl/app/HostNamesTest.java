package cloud.hop3.core.impl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.hop3.api.app.HostName;

/** app:domains-add checks names by HostName's one rule (tested, and fuzzed, in the api). */
class HostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"www.example.org", "WWW.Example.ORG", "  Www.Example.Org.\t", "xn--bcher-kva.example"})
    void acceptsAndNormalisesAsHostNameDoes(String host) {
        assertEquals(HostName.of(host).value(), HostNames.check(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "-www.example.org", "*.example.org", "bücher.example", "example.org:8080"})
    void refusesWithHostNamesMessage(String host) {
        String expected = assertThrows(IllegalArgumentException.class, () -> HostName.of(host)).getMessage();

        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> HostNames.check(host)).getMessage());
    }
}
