package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void stripsPortCaseAndTrailingDots() {
        assertEquals("shop.example.org", HostNames.fromHeader("Shop.Example.ORG:8080"));
        assertEquals("shop.example.org", HostNames.fromHeader("shop.example.org."));
        assertEquals("shop.example.org", HostNames.fromHeader("shop.example.org.:80"));
        assertEquals("[::1]", HostNames.fromHeader("[::1]:8080"));
        assertEquals("shop.example.org", HostNames.normalise(" Shop.example.org. "));
    }

    @Test
    void aNormalValueIsReturnedAsIs() {
        String host = "shop.example.org";
        assertSame(host, HostNames.fromHeader(host));
    }

    @Test
    void emptyOrMalformedValuesHaveNoHost() {
        assertNull(HostNames.fromHeader(null));
        assertNull(HostNames.fromHeader(""));
        assertNull(HostNames.fromHeader(":8080"));
        assertNull(HostNames.fromHeader("."));
        assertNull(HostNames.fromHeader("[::1"));
    }
}
