package cloud.hop3.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.event.EventLog;
import cloud.hop3.api.event.PlatformEvent;

/**
 * The event routes as a viewer of one app sees them: only its app's events and the platform's,
 * from a cursor, as JSON and as server-sent events whose ids resume; who they are; bad cursors.
 */
class EventRoutesTest {

    private static final String TOKEN = "hop3_viewer-of-shop";
    private static final AppName SHOP = AppName.of("shop");
    private static final AppName BANK = AppName.of("bank");
    private final User viewer = new User("vic", false, List.of(new Grant(Role.VIEWER, Set.of(SHOP))), List.of(), Instant.EPOCH);

    /** The events of a small platform, with a log that never waits. */
    private final List<PlatformEvent> events = List.of(
            event(1, "cloud/hop3/plugin/INSTALLED", null),
            event(2, "cloud/hop3/app/DEPLOYED", SHOP),
            event(3, "cloud/hop3/app/DEPLOYED", BANK),
            event(4, "cloud/hop3/app/CRASHED", SHOP));

    private static PlatformEvent event(long id, String topic, AppName app) {
        return new PlatformEvent(id, Instant.parse("2026-12-01T10:00:00Z").plusSeconds(id), topic, Optional.ofNullable(app),
                Map.of("message", "event " + id));
    }

    private final EventLog log = new EventLog() {
        @Override
        public List<PlatformEvent> after(long cursor, Optional<AppName> app, int max) {
            List<PlatformEvent> out = new ArrayList<>();
            for (PlatformEvent e : events) {
                if (e.id() > cursor && (app.isEmpty() || app.equals(e.app())) && out.size() < max) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public List<PlatformEvent> await(long cursor, Optional<AppName> app, int max, Duration timeout) {
            return after(cursor, app, max);
        }

        @Override
        public long last() {
            return events.size();
        }
    };

    /** The viewer of shop, as the platform's rules decide: reading shop and the platform's lists, nothing else. */
    private final AccessService access = (AccessService) Proxy.newProxyInstance(AccessService.class.getClassLoader(),
            new Class<?>[] {AccessService.class}, (proxy, method, args) -> switch (method.getName()) {
                case "authenticate" -> {
                    if (!TOKEN.equals(args[0])) {
                        throw new AccessDeniedException("This token is not valid.");
                    }
                    yield viewer;
                }
                case "user" -> Optional.of(viewer).filter(u -> u.name().equals(args[0]));
                case "userOf" -> Optional.of(viewer).filter(u -> u.name().equals(((Actor) args[0]).user()));
                case "allows" -> allows((Actor) args[0], (Permission) args[1], (Optional<?>) args[2]);
                case "check" -> {
                    if (!allows((Actor) args[0], (Permission) args[1], (Optional<?>) args[2])) {
                        throw new AccessDeniedException("User 'vic' may not " + ((Permission) args[1]).verb() + " " + args[2]);
                    }
                    yield null;
                }
                case "runAs" -> ((AccessService.Work<?, ?>) args[1]).run();
                default -> throw new AssertionError("not called by these routes: " + method.getName());
            });

    /**
     * vic by his token; dora, a directory user, only while the thread runs as the subject of her
     * password login, whose role (a deployer of shop) the platform reads from there.
     */
    @SuppressWarnings("removal")
    private static boolean allows(Actor actor, Permission permission, Optional<?> app) {
        if (actor.user().equals("dora")) {
            javax.security.auth.Subject subject = javax.security.auth.Subject.getSubject(java.security.AccessController.getContext());
            boolean deployer = subject != null && subject.getPrincipals().stream().anyMatch(p -> p.getName().equals("deployer:shop"));
            return deployer && (app.isEmpty() || app.get().equals(SHOP));
        }
        return permission == Permission.READ && (app.isEmpty() || app.get().equals(SHOP));
    }

    private final Services services = new Services(() -> access, () -> null, () -> null, () -> null, () -> null, () -> null,
            () -> null, () -> null, () -> log, () -> null, () -> null);
    private final Api api = new Api(services, TestRealm.logins(services, new LoginThrottle(3, Duration.ofMinutes(1),
            Clock.systemUTC()), Clock.systemUTC()));

    private ApiResponse get(String path, Map<String, String> headers) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        h.put("Authorization", "Bearer " + TOKEN);
        int q = path.indexOf('?');
        return api.handle(new ApiRequest("GET", q < 0 ? path : path.substring(0, q), q < 0 ? "" : path.substring(q + 1), h,
                new byte[0], "192.0.2.7"));
    }

    private static String body(ApiResponse r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<Long> ids(ApiResponse r) throws IOException {
        JsonNode page = Json.MAPPER.readTree(body(r));
        List<Long> ids = new ArrayList<>();
        page.get("items").forEach(i -> ids.add(i.get("id").asLong()));
        return ids;
    }

    @Test
    void aViewerOfOneAppSeesItsEventsAndThePlatformsButNotAnotherApps() throws IOException {
        ApiResponse all = get("/events", Map.of());
        assertEquals(200, all.status());
        assertEquals(List.of(1L, 2L, 4L), ids(all));
        assertEquals(List.of(4L), ids(get("/events?after=2", Map.of())));
        assertEquals(List.of(2L, 4L), ids(get("/events?app=shop", Map.of())));
        assertEquals(List.of(4L), ids(get("/events?app=shop&limit=1", Map.of())), "the latest ones");
        assertEquals(403, get("/events?app=bank", Map.of()).status());
        JsonNode first = Json.MAPPER.readTree(body(get("/events?app=shop&limit=1", Map.of()))).at("/items/0");
        assertEquals("crashed", first.get("kind").asText());
        assertEquals("shop", first.get("app").asText());
        assertEquals("event 4", first.at("/properties/message").asText());
    }

    @Test
    void theStreamStartsAfterLastEventIdAndNamesEachEventByItsId() throws IOException {
        ApiResponse r = get("/events", Map.of("Accept", "text/event-stream", "Last-Event-ID", "1"));
        assertEquals(200, r.status());
        assertEquals("text/event-stream", r.headers().get("Content-Type"));
        // the stream runs until the client goes: a client that reads two events and hangs up
        StringBuilder seen = new StringBuilder();
        OutputStream client = new OutputStream() {
            int writes;

            @Override
            public void write(int b) {
                seen.append((char) b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                seen.append(new String(b, off, len, StandardCharsets.UTF_8));
                if (++writes > 2) {
                    throw new IOException("the client went away");
                }
            }
        };
        try {
            r.writeTo(client);
        } catch (IOException e) {
            // as the servlet sees a client that left
        }
        String text = seen.toString();
        assertTrue(text.contains("id: 2\ndata: {\"id\":2,"), text);
        assertTrue(text.contains("id: 4\ndata: {\"id\":4,"), text);
        assertTrue(text.contains("id: 3\n: nothing for you") || !text.contains("\"id\":3"), "bank's event is never sent: " + text);
        assertTrue(text.indexOf("id: 2") < text.indexOf("id: 4"), text);
    }

    @Test
    void theStreamOfAPasswordSessionIsWrittenAsItsLoginsSubjectLongAfterTheRequestWasAllowed() throws IOException {
        ApiResponse login = api.handle(new ApiRequest("POST", "/session", "", Map.of("Content-Type", "application/json"),
                "{\"user\": \"dora\", \"password\": \"dora-pw\"}".getBytes(StandardCharsets.UTF_8), "192.0.2.7"));
        assertEquals(201, login.status());
        String cookie = login.headers().get("Set-Cookie").split(";")[0];
        ApiResponse r = api.handle(new ApiRequest("GET", "/events", "", Map.of("Cookie", cookie, "Accept", "text/event-stream",
                "Last-Event-ID", "1"), new byte[0], "192.0.2.7"));
        assertEquals(200, r.status());
        StringBuilder seen = new StringBuilder();
        try {
            r.writeTo(new OutputStream() {
                int writes;

                @Override
                public void write(int b) {
                    seen.append((char) b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    seen.append(new String(b, off, len, StandardCharsets.UTF_8));
                    if (++writes > 2) {
                        throw new IOException("the client went away");
                    }
                }
            });
        } catch (IOException e) {
            // as the servlet sees a client that left
        }
        String text = seen.toString();
        assertTrue(text.contains("id: 2\ndata: {\"id\":2,") && text.contains("id: 4\ndata: {\"id\":4,"), text);
        assertFalse(text.contains("\"id\":3"), "bank's event is never sent: " + text);
    }

    @Test
    void aBadCursorIs400AndMeSaysWhoTheTokensUserIs() throws IOException {
        assertEquals(400, get("/events?after=yesterday", Map.of()).status());
        assertEquals(400, get("/events?app=Not_An_App", Map.of()).status());
        JsonNode me = Json.MAPPER.readTree(body(get("/me", Map.of())));
        assertEquals("vic", me.get("user").asText());
        assertEquals(false, me.get("admin").asBoolean());
        assertEquals("viewer", me.at("/grants/0/role").asText());
        assertEquals("shop", me.at("/grants/0/apps/0").asText());
    }
}
