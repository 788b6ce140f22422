package cloud.hop3.plugin.support.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LoggedRequestTest {

    @Test
    void threeFieldsInSecondsOrMilliseconds() {
        assertEquals(new LoggedRequest("shop.example", 200, 4_000_000), LoggedRequest.ofFields("shop.example 200 0.004", false));
        assertEquals(new LoggedRequest("shop.example", 503, 1_250_000_000L), LoggedRequest.ofFields("Shop.Example 503 1.25", false));
        assertEquals(new LoggedRequest("shop.example", 404, 17_000_000), LoggedRequest.ofFields("shop.example 404 17", true));
    }

    @Test
    void linesThatAreNotRequestsAreNone() {
        assertNull(LoggedRequest.ofFields("", false));
        assertNull(LoggedRequest.ofFields("[NOTICE] (12) : Loading success.", true));
        assertNull(LoggedRequest.ofFields("shop.example - 12", true), "no status");
        assertNull(LoggedRequest.ofFields("shop.example 200 -1", true), "aborted: no time");
        assertNull(LoggedRequest.ofFields("shop.example 999 1", true));
        assertNull(LoggedRequest.ofFields("shop.example 200 1e3", false));
        assertNull(LoggedRequest.ofFields("shop.example 200", false));
    }

    @Test
    void hostsLoseTheirPortAndCase() {
        assertEquals("shop.example", LoggedRequest.host("SHOP.example:8080"));
        assertEquals("shop.example", LoggedRequest.host("shop.example"));
        assertEquals("[::1]", LoggedRequest.host("[::1]:80"));
        assertEquals("[::1]", LoggedRequest.host("[::1]"));
    }

    @Test
    void secondsAsNumbers() {
        assertEquals(123_000, LoggedRequest.seconds(0.000123));
        assertEquals(-1, LoggedRequest.seconds(-0.5));
        assertEquals(-1, LoggedRequest.seconds(Double.NaN));
        assertEquals(1_000_000_001L, LoggedRequest.seconds("1.0000000019"));
    }
}
