package cloud.hop3.rest;

import java.io.IOException;
import java.net.URI;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.security.auth.Subject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditResult;

/**
 * Who a request of the API is, and the defences around it: a bearer token's user, or the user of
 * a session opened with a password (its secret in an HttpOnly, SameSite=Strict cookie); the
 * count of failed logins per address (a 429 with Retry-After once too many failed), each failure
 * recorded in the audit trail through {@link Door#API}; and, for a request that a session's cookie
 * authenticates and that may change something (any method but GET and HEAD), the defence against
 * cross-site requests: its {@code Origin}, when sent, is the platform's own (the host the request
 * was sent to), and it carries the header {@value #CSRF_HEADER}, which the dashboard's scripts
 * set and a form or a script of another site cannot (a cross-origin request with a header of its
 * own needs a preflight, which the API refuses). Used by {@link Api} and {@link SessionRoutes}, on
 * the request's thread; thread-safe.
 */
final class Logins {

    static final String COOKIE = "hop3_session";
    /** The cookie is sent with the API's requests only. */
    static final String COOKIE_PATH = "/api/v1";
    static final String CSRF_HEADER = "X-Hop3-Csrf";
    private static final Logger LOG = LoggerFactory.getLogger(Logins.class);

    /**
     * Who a request was authenticated as: a token's user, or a session's.
     *
     * @param user    the user's name
     * @param session the session, when a cookie authenticated the request
     */
    record Login(String user, Optional<Sessions.Session> session) {

        /** Work run as this login. */
        @FunctionalInterface
        interface Work<T> {
            T run() throws IOException;
        }

        /**
         * Runs {@code work} as this login: for a session's, as the JAAS subject of its login, which
         * is what the authorization service reads a directory user's roles from.
         */
        @SuppressWarnings("removal") // the subject is read through the access control context, as Karaf's shell does
        <T> T as(Work<T> work) throws IOException {
            if (session.isEmpty()) {
                return work.run();
            }
            Subject subject = session.get().subject();
            try {
                return Subject.doAs(subject, (PrivilegedExceptionAction<T>) work::run);
            } catch (PrivilegedActionException e) {
                if (e.getException() instanceof IOException io) {
                    throw io;
                }
                throw new IllegalStateException(e.getException());
            }
        }

        /** {@link #as} for work that throws no checked exception. */
        <T> T asUnchecked(java.util.function.Supplier<T> work) {
            try {
                return as(work::get);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Services services;
    private final LoginThrottle throttle;
    private final Sessions sessions;
    private final JaasLogin realm;

    Logins(Services services, LoginThrottle throttle, Sessions sessions, JaasLogin realm) {
        this.services = services;
        this.throttle = throttle;
        this.sessions = sessions;
        this.realm = realm;
    }

    Sessions sessions() {
        return sessions;
    }

    /** Refuses, with 429 and Retry-After, an address that failed too many logins of late. */
    void checkNotBlocked(String address) {
        Optional<Duration> wait = throttle.blocked(address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new Problem(429, "too-many-failed-logins", "Too many failed logins from " + address + "; try again in "
                    + seconds + " s.").with("Retry-After", String.valueOf(seconds));
        }
    }

    /**
     * The login of a request: its bearer token when it sends one, else its session's cookie.
     *
     * @throws Problem 401 when it sends neither, or one that is refused (counted as a failed login)
     */
    Login authenticate(ApiRequest request) {
        String address = request.address();
        String header = request.header("authorization").orElse("").strip();
        if (header.isEmpty()) {
            Optional<String> cookie = cookie(request);
            if (cookie.isPresent()) {
                Optional<Sessions.Session> session = sessions.find(cookie.get());
                if (session.isEmpty()) {
                    failed(address, null, "session refused");
                    throw new Problem(401, "invalid-session", "Your session has ended (it was not used for "
                            + hours(sessions.idle()) + ", lasted its longest, was logged out, or the platform restarted);"
                            + " log in again.").with("WWW-Authenticate", "Bearer realm=\"hop3\"")
                            .with("Set-Cookie", clearCookie(request.secure()));
                }
                return new Login(session.get().user(), session);
            }
            throw new Problem(401, "unauthenticated", "This request needs a login: send 'Authorization: Bearer <token>'"
                    + " (an admin creates one with token:create <user>), or log in with your password at POST"
                    + " /api/v1/session.").with("WWW-Authenticate", "Bearer realm=\"hop3\"");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            failed(address, null, "not a bearer token");
            throw new Problem(401, "unauthenticated", "The Authorization header is 'Bearer <token>'.")
                    .with("WWW-Authenticate", "Bearer realm=\"hop3\", error=\"invalid_request\"");
        }
        try {
            return new Login(services.accessService().authenticate(header.substring(7).strip()).name(), Optional.empty());
        } catch (AccessDeniedException e) {
            failed(address, null, "token refused");
            throw new Problem(401, "invalid-token", e.getMessage())
                    .with("WWW-Authenticate", "Bearer realm=\"hop3\", error=\"invalid_token\"");
        }
    }

    /**
     * Opens a session for {@code user} if the login realm takes {@code password}.
     *
     * @throws Problem 401 when it is refused (counted as a failed login and recorded)
     */
    Sessions.Opened open(String user, char[] password, String address) {
        if (!Actor.USER_NAME.matcher(user).matches() || password.length == 0) {
            failed(address, user, "password refused");
            throw refused();
        }
        Optional<Subject> subject = realm.login(user, password, address);
        if (subject.isEmpty()) {
            failed(address, user, "password refused");
            throw refused();
        }
        Sessions.Opened opened = sessions.open(user, subject.get());
        LOG.info("API: {} logged in with a password from {}", user, address);
        record(new AuditEntry(new Actor(user, Door.API, address), "api.login", user, AuditResult.success(), List.of("session")));
        return opened;
    }

    private static Problem refused() {
        return new Problem(401, "invalid-login", "The user name or the password is not right, or this user may not log in"
                + " here (a directory user needs a group that gives a Hop3 role); nothing was opened.");
    }

    /** Ends the session of the request's cookie, if it is open; whether it was. */
    boolean close(ApiRequest request, String user) {
        boolean closed = cookie(request).map(sessions::close).orElse(false);
        if (closed) {
            LOG.info("API: {} logged out from {}", user, request.address());
            record(new AuditEntry(new Actor(user, Door.API, request.address()), "api.logout", user, AuditResult.success(),
                    List.of("session")));
        }
        return closed;
    }

    /**
     * The defence of a request that a session authenticates and that may change something: its
     * Origin, when sent, is the platform's own, and it carries {@value #CSRF_HEADER}.
     *
     * @throws Problem 403 when it lacks either
     */
    static void checkCrossSite(ApiRequest request) {
        if (request.method().equals("GET") || request.method().equals("HEAD")) {
            return;
        }
        checkOrigin(request);
        if (request.header(CSRF_HEADER).filter(v -> !v.isBlank()).isEmpty()) {
            throw new Problem(403, "csrf-refused", "A change made with a session's cookie carries the header " + CSRF_HEADER
                    + ": 1, which the dashboard sends and other sites cannot; nothing was changed.");
        }
    }

    /** Refuses a request whose Origin, when it sends one, is not the host it was sent to. */
    static void checkOrigin(ApiRequest request) {
        Optional<String> origin = request.header("origin");
        if (origin.isPresent() && !sameOrigin(origin.get(), request.header("host").orElse(""))) {
            throw new Problem(403, "csrf-refused", "This request comes from a page of " + Texts.shown(origin.get())
                    + ", not of this platform; nothing was changed.");
        }
    }

    /** Whether {@code origin} (scheme://host[:port]) names the same host and port as the Host header {@code host}. */
    static boolean sameOrigin(String origin, String host) {
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || host.isBlank()) {
            return false;
        }
        String defaultPort = scheme.equals("https") ? ":443" : ":80";
        String own = uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        String sent = host.strip().toLowerCase(Locale.ROOT);
        return withoutPort(own, defaultPort).equals(withoutPort(sent, defaultPort));
    }

    private static String withoutPort(String authority, String defaultPort) {
        return authority.endsWith(defaultPort) ? authority.substring(0, authority.length() - defaultPort.length()) : authority;
    }

    /** The session secret of the request's cookie, if it sends one. */
    static Optional<String> cookie(ApiRequest request) {
        for (String part : request.header("cookie").orElse("").split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(COOKIE)) {
                String value = part.substring(eq + 1).strip();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The cookie of a session: for the API's paths only, out of scripts' reach, never sent by another site. */
    static String cookie(String secret, boolean secure) {
        return COOKIE + "=" + secret + "; Path=" + COOKIE_PATH + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** A cookie that removes the session's. */
    static String clearCookie(boolean secure) {
        return COOKIE + "=; Path=" + COOKIE_PATH + "; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /**
     * A failed login: counted for the address, and recorded in the audit trail as the shell's are,
     * with the user name tried when there is a valid one.
     */
    void failed(String address, String tried, String reason) {
        throttle.failed(address);
        boolean named = tried != null && Actor.USER_NAME.matcher(tried).matches();
        LOG.info("API: login refused from {}{}: {}", address, named ? " as " + tried : "", reason);
        String who = named ? tried : "unknown";
        record(new AuditEntry(new Actor(who, Door.API, address), "api.login", who, AuditResult.failed(reason), List.of()));
    }

    private void record(AuditEntry entry) {
        try {
            services.auditService().record(entry);
        } catch (RuntimeException e) {
            LOG.error("Audit: cannot record {} of {} from {}: {}", entry.action(), entry.actor().user(),
                    entry.actor().address(), e.getMessage());
        }
    }

    private static String hours(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }
}
