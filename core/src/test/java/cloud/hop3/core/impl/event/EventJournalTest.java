package cloud.hop3.core.impl.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.event.PlatformEvent;

class EventJournalTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final Optional<AppName> SHOP = Optional.of(AppName.of("shop"));

    @TempDir
    Path dir;

    private EventJournal open(int kept) throws Exception {
        EventJournal j = new EventJournal(CLOCK, kept);
        j.open(dir);
        return j;
    }

    private static Event deployed(String app, int release, String message) {
        return new Event(Hop3Events.APP_DEPLOYED, Map.of(Hop3Events.APP, app, Hop3Events.RELEASE, release,
                Hop3Events.MESSAGE, message, Hop3Events.ACTOR, "alice", "event.topics", "ignored"));
    }

    @Test
    void eventsGetIncreasingIdsAndAreReadAfterACursorAndByApp() throws Exception {
        EventJournal j = open(100);
        j.handleEvent(deployed("shop", 1, "Deploy abc"));
        j.handleEvent(deployed("blog", 1, "Deploy def"));
        j.handleEvent(deployed("shop", 2, "Deploy ghi"));
        List<PlatformEvent> all = j.after(0, Optional.empty(), 10);
        assertEquals(List.of(1L, 2L, 3L), all.stream().map(PlatformEvent::id).toList());
        assertEquals(List.of(3L), j.after(1, SHOP, 10).stream().map(PlatformEvent::id).toList());
        PlatformEvent first = all.get(0);
        assertEquals("deployed", first.kind());
        assertEquals(SHOP, first.app());
        assertEquals(Map.of("actor", "alice", "message", "Deploy abc", "release", "1"), first.properties());
        assertEquals(2, j.after(0, Optional.empty(), 2).size());
    }

    @Test
    void theLogSurvivesARestartAndIdsGoOnFromTheLastOne() throws Exception {
        EventJournal j = open(100);
        j.handleEvent(deployed("shop", 1, "x"));
        j.handleEvent(deployed("shop", 2, "y"));
        j.close();
        // a crash cut the last line in the middle
        Files.writeString(dir.resolve("events.jsonl"), "{\"id\":3,\"ti", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        EventJournal again = open(100);
        assertEquals(2, again.last());
        again.handleEvent(deployed("shop", 3, "z"));
        assertEquals(List.of(1L, 2L, 3L), again.after(0, SHOP, 10).stream().map(PlatformEvent::id).toList());
    }

    @Test
    void itKeepsOnlyTheLastEventsInMemoryAndOnDisk() throws Exception {
        EventJournal j = open(5);
        for (int i = 1; i <= 23; i++) {
            j.handleEvent(deployed("shop", i, "n" + i));
        }
        assertEquals(List.of(19L, 20L, 21L, 22L, 23L), j.after(0, Optional.empty(), 100).stream().map(PlatformEvent::id).toList());
        long lines = Files.readAllLines(j.file()).size();
        assertTrue(lines < 10, "the file is bounded, it has " + lines + " lines");
        j.close();
        assertEquals(23, open(5).last());
    }

    @Test
    void passwordsInAMessageAreBlankedOut() throws Exception {
        EventJournal j = open(10);
        j.handleEvent(deployed("shop", 1, "cannot reach postgres://shop:s3cret@localhost/shop"));
        String stored = Files.readString(j.file());
        assertFalse(stored.contains("s3cret"), stored);
        assertTrue(j.after(0, SHOP, 1).get(0).properties().get("message").contains("shop:***@"));
    }

    @Test
    void aWaitingReaderIsWokenByTheNextEventOfItsApp() throws Exception {
        EventJournal j = open(10);
        CompletableFuture<List<PlatformEvent>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return j.await(0, SHOP, 10, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        j.handleEvent(deployed("blog", 1, "not this one"));
        j.handleEvent(deployed("shop", 1, "this one"));
        List<PlatformEvent> got = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(1, got.size());
        assertEquals("this one", got.get(0).properties().get("message"));
        assertEquals(List.of(), j.await(2, SHOP, 10, Duration.ofMillis(50)));
    }
}
