package cloud.hop3.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The parts of a session's defences that are pure: the origin's check and the cookie. */
class LoginsTest {

    @Test
    void anOriginIsThePlatformsOwnWhenItNamesTheHostAndPortTheRequestWasSentTo() {
        assertTrue(Logins.sameOrigin("https://hop3.example.com", "hop3.example.com"));
        assertTrue(Logins.sameOrigin("https://hop3.example.com:443", "hop3.example.com"));
        assertTrue(Logins.sameOrigin("https://HOP3.example.com", "hop3.example.com:443"));
        assertTrue(Logins.sameOrigin("http://127.0.0.1:8181", "127.0.0.1:8181"));
        assertTrue(Logins.sameOrigin("http://[::1]:8181", "[::1]:8181"));
        assertFalse(Logins.sameOrigin("https://evil.example", "hop3.example.com"));
        assertFalse(Logins.sameOrigin("https://hop3.example.com.evil.example", "hop3.example.com"));
        assertFalse(Logins.sameOrigin("http://hop3.example.com:8080", "hop3.example.com"));
        assertFalse(Logins.sameOrigin("http://127.0.0.1:8182", "127.0.0.1:8181"));
        assertFalse(Logins.sameOrigin("null", "hop3.example.com"));
        assertFalse(Logins.sameOrigin("file:///etc/passwd", "hop3.example.com"));
        assertFalse(Logins.sameOrigin("https://hop3.example.com", ""));
        assertFalse(Logins.sameOrigin("not a url at all", "hop3.example.com"));
    }

    @Test
    void theSessionIsReadFromItsOwnCookieAmongOthers() {
        assertEquals(Optional.of("hop3s_abc"), Logins.cookie(request("theme=dark; hop3_session=hop3s_abc; other=1")));
        assertEquals(Optional.of("hop3s_abc"), Logins.cookie(request("hop3_session=hop3s_abc")));
        assertEquals(Optional.empty(), Logins.cookie(request("xhop3_session=hop3s_abc")));
        assertEquals(Optional.empty(), Logins.cookie(request("hop3_session=")));
        assertEquals(Optional.empty(), Logins.cookie(request("")));
    }

    private static ApiRequest request(String cookie) {
        return new ApiRequest("GET", "/me", "", Map.of("Cookie", cookie), null, "192.0.2.7");
    }
}
