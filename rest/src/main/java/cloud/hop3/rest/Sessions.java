package cloud.hop3.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.Subject;

/**
 * The sessions of password logins, in memory only and only by the SHA-256 of their secret: a
 * session ends when it has not been used for the idle limit, at the latest after the lifetime
 * limit, when its user logs out, and when the platform (or this bundle) stops. Bounded: at most
 * {@value #MAX_SESSIONS} are kept, the least recently used dropped first. Thread-safe.
 */
final class Sessions {

    static final int MAX_SESSIONS = 10_000;
    /** How a session's secret starts, so that it is told from an API token at a glance. */
    static final String PREFIX = "hop3s_";

    /** One session: who logged in, the subject of their login, since when and until when at the latest. */
    record Session(String user, Subject subject, Instant opened, Instant expires) {
    }

    /** A session just opened, with its secret, which is not kept. */
    record Opened(String secret, Session session) {
    }

    private static final class Entry {
        final Session session;
        Instant lastUsed;

        Entry(Session session, Instant lastUsed) {
            this.session = session;
            this.lastUsed = lastUsed;
        }
    }

    private final Duration idle;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> byHash = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    /**
     * @param idle     how long an unused session lasts
     * @param lifetime how long a session lasts however much it is used
     */
    Sessions(Duration idle, Duration lifetime, Clock clock) {
        if (idle.isNegative() || idle.isZero() || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("A session lasts some time: idle " + idle + ", lifetime " + lifetime);
        }
        this.idle = idle;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    Duration idle() {
        return idle;
    }

    /** Opens a session for {@code user}, as the subject of their login. */
    synchronized Opened open(String user, Subject subject) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        // the least recently used first: drop those that ended unused
        for (var it = byHash.values().iterator(); it.hasNext(); ) {
            if (now.isBefore(it.next().lastUsed.plus(idle))) {
                break;
            }
            it.remove();
        }
        Session session = new Session(user, subject, now, now.plus(lifetime));
        byHash.put(sha256(secret), new Entry(session, now));
        return new Opened(secret, session);
    }

    /** The session of {@code secret}, if it is open; using it puts off its idle end. */
    synchronized Optional<Session> find(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String hash = sha256(secret);
        Entry e = byHash.get(hash);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(e.lastUsed.plus(idle)) || !now.isBefore(e.session.expires())) {
            byHash.remove(hash);
            return Optional.empty();
        }
        e.lastUsed = now;
        return Optional.of(e.session);
    }

    /** Ends the session of {@code secret}; whether it was open. */
    synchronized boolean close(String secret) {
        return secret != null && byHash.remove(sha256(secret)) != null;
    }

    synchronized int size() {
        return byHash.size();
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
