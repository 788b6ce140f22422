package cloud.hop3.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import javax.security.auth.Subject;

import org.junit.jupiter.api.Test;

/** Sessions end when unused for the idle limit, at the lifetime limit, and at a logout. */
class SessionsTest {

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-01-05T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Hands clock = new Hands();
    private final Sessions sessions = new Sessions(Duration.ofHours(12), Duration.ofHours(24), clock);

    @Test
    void aSessionUsedWithinTheIdleLimitLastsUntilItsLifetimeEnds() {
        Sessions.Opened opened = sessions.open("ada", new Subject());
        assertTrue(opened.secret().startsWith(Sessions.PREFIX));
        assertEquals(Instant.parse("2026-01-06T08:00:00Z"), opened.session().expires());
        for (int hours = 11; hours <= 22; hours += 11) {
            clock.now = clock.now.plus(Duration.ofHours(11));
            assertEquals("ada", sessions.find(opened.secret()).orElseThrow().user(), "used after 11 h: still open");
        }
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertEquals(Optional.empty(), sessions.find(opened.secret()), "24 h after the login it has ended, used or not");
        assertEquals(0, sessions.size());
    }

    @Test
    void aSessionUnusedForTheIdleLimitEndsAndALogoutEndsOneAtOnce() {
        String idle = sessions.open("ada", new Subject()).secret();
        String used = sessions.open("vic", new Subject()).secret();
        assertNotEquals(idle, used);
        clock.now = clock.now.plus(Duration.ofHours(12));
        assertEquals(Optional.empty(), sessions.find(idle));
        assertEquals(Optional.empty(), sessions.find(used));

        String other = sessions.open("vic", new Subject()).secret();
        assertTrue(sessions.close(other));
        assertFalse(sessions.close(other));
        assertEquals(Optional.empty(), sessions.find(other));
        assertEquals(Optional.empty(), sessions.find("hop3_a-token-is-no-session"));
        assertEquals(Optional.empty(), sessions.find(null));
    }

    @Test
    void theSessionsKeptAreBoundedAndThoseThatEndedUnusedAreDroppedAtTheNextLogin() {
        String first = sessions.open("ada", new Subject()).secret();
        for (int i = 0; i < Sessions.MAX_SESSIONS; i++) {
            sessions.open("vic", new Subject());
        }
        assertEquals(Sessions.MAX_SESSIONS, sessions.size());
        assertEquals(Optional.empty(), sessions.find(first), "the least recently used went first");
        clock.now = clock.now.plus(Duration.ofHours(13));
        sessions.open("ada", new Subject());
        assertEquals(1, sessions.size());
    }
}
