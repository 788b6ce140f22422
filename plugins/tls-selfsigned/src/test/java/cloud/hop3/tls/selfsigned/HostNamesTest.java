package cloud.hop3.tls.selfsigned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.tls.CertificateException;

class HostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "shop.example.com", "*.apps.example.com", "a-b.c0.io", "xn--bcher-kva.example",
            "*.localhost", "Shop.Example.COM"})
    void acceptsDnsNames(String host) {
        assertNull(HostNames.problem(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exa mple.com", "-shop.example.com", "shop-.example.com", "shop..example.com",
            ".example.com", "example.com.", "foo*.example.com", "*.*.example.com", "shop.*.example.com", "*",
            "shop_1.example.com", "10.0.0.1", "shop.example.com/path", "bücher.example"})
    void rejectsOtherNames(String host) {
        assertNotNull(HostNames.problem(host), host);
    }

    @Test
    void rejectsOverlongLabelsAndNames() {
        assertNotNull(HostNames.problem("a".repeat(64) + ".example.com"));
        assertNull(HostNames.problem("a".repeat(63) + ".example.com"));
        assertNotNull(HostNames.problem(("a".repeat(60) + ".").repeat(5) + "com"));
    }

    @Test
    void theErrorNamesTheBadHost() {
        CertificateException e = assertThrows(CertificateException.class,
                () -> HostNames.check(new LinkedHashSet<>(List.of("good.example.com", "bad host.example.com"))));
        assertTrue(e.getMessage().contains("'bad host.example.com'"), e.getMessage());
    }

    @Test
    void keepsTheOrderAndDropsDuplicatesIgnoringCase() throws CertificateException {
        assertEquals(List.of("b.example", "a.example"),
                HostNames.check(new LinkedHashSet<>(List.of("b.example", "a.example", "B.EXAMPLE"))));
    }

    @Test
    void noHostsIsAnError() {
        assertThrows(CertificateException.class, () -> HostNames.check(Set.of()));
    }
}
