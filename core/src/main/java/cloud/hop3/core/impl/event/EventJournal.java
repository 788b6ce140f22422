package cloud.hop3.core.impl.event;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.event.EventLog;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.event.PlatformEvent;
import cloud.hop3.core.impl.audit.Audited;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;

/**
 * The platform's event log: every {@code cloud/hop3/*} event, appended as one JSON line to
 * {@code HOP3_HOME/events/events.jsonl} with the next id, and the last {@link #KEPT} held in
 * memory for readers. The file is rewritten with those last ones (atomically) when it holds twice
 * as many, so it stays bounded; a line cut by a crash is skipped when read back. Only the
 * properties a reader needs are kept, as text, and passwords in URLs of a message are blanked.
 */
@Component(service = {EventLog.class, EventHandler.class}, configurationPid = CoreConfig.PID,
        property = EventConstants.EVENT_TOPIC + "=cloud/hop3/*")
public class EventJournal implements EventLog, EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);
    /** How many of the last events are kept. */
    public static final int KEPT = 10_000;
    private static final Set<String> PROPERTIES = Set.of(Hop3Events.MESSAGE, Hop3Events.RELEASE, Hop3Events.REVISION,
            Hop3Events.HOSTS, Hop3Events.BACKUP, Hop3Events.PLUGIN, Hop3Events.VERSION, Hop3Events.ACTOR,
            Hop3Events.ACTOR_DOOR, Hop3Events.ACTOR_ADDRESS);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of the file. */
    record Line(long id, String time, String topic, String app, Map<String, String> properties) {
    }

    private final Clock clock;
    private final int kept;
    private final Deque<PlatformEvent> events = new ArrayDeque<>();
    private Path file;
    private BufferedWriter out;
    private int linesInFile;
    private long last;
    private boolean closed;

    /** For DS. */
    public EventJournal() {
        this(Clock.systemUTC(), KEPT);
    }

    /** For tests: a journal on this clock keeping this many events; {@link #open} it. */
    public EventJournal(Clock clock, int kept) {
        this.clock = clock;
        this.kept = kept;
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        open(PlatformSettings.resolve(config).home().resolve("events"));
    }

    /** Called by SCR when core's configuration changes: the log's place does not move while the platform runs. */
    @Modified
    void modified(CoreConfig config) {
        // nothing to change
    }

    @Deactivate
    synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        closed = true;
        notifyAll();
    }

    /** Reads back what {@code directory} holds and appends to it from now on. */
    public synchronized void open(Path directory) throws IOException {
        Files.createDirectories(directory);
        file = directory.resolve("events.jsonl");
        events.clear();
        linesInFile = 0;
        closed = false;
        if (Files.exists(file)) {
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                linesInFile++;
                PlatformEvent e = parse(text);
                if (e == null) {
                    continue;
                }
                last = Math.max(last, e.id());
                remember(e);
            }
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        LOG.info("Events: {} kept in {}, the last numbered {}", events.size(), file, last);
    }

    private PlatformEvent parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            Line line = JSON.readValue(text, Line.class);
            return new PlatformEvent(line.id(), Instant.parse(line.time()), line.topic(),
                    Optional.ofNullable(line.app()).filter(AppName::isValid).map(AppName::of), line.properties());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("Events: a line of {} cannot be read and is skipped: {}", file, e.getMessage());
            return null;
        }
    }

    private void remember(PlatformEvent e) {
        events.addLast(e);
        while (events.size() > kept) {
            events.removeFirst();
        }
    }

    @Override
    public void handleEvent(Event event) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String name : event.getPropertyNames()) {
            Object v = event.getProperty(name);
            if (PROPERTIES.contains(name) && v != null) {
                String text = v.toString();
                properties.put(name, name.equals(Hop3Events.MESSAGE) ? Audited.withoutPasswords(text) : text);
            }
        }
        Object app = event.getProperty(Hop3Events.APP);
        Optional<AppName> name = app != null && AppName.isValid(app.toString()) ? Optional.of(AppName.of(app.toString()))
                : Optional.empty();
        record(event.getTopic(), name, properties);
    }

    /** Appends an event with the next id, and wakes the readers waiting for one. */
    public synchronized PlatformEvent record(String topic, Optional<AppName> app, Map<String, String> properties) {
        PlatformEvent e = new PlatformEvent(last + 1, clock.instant(), topic, app, properties);
        last = e.id();
        remember(e);
        notifyAll();
        if (out == null) {
            return e;
        }
        try {
            out.write(JSON.writeValueAsString(new Line(e.id(), e.time().toString(), e.topic(),
                    e.app().map(AppName::value).orElse(null), e.properties())));
            out.write('\n');
            out.flush();
            linesInFile++;
            if (linesInFile >= 2 * kept) {
                compact();
            }
        } catch (IOException ex) {
            LOG.error("Events: event {} ({}) could not be written to {}: {}", e.id(), topic, file, ex.getMessage());
        }
        return e;
    }

    /** Rewrites the file with the events kept in memory: a temporary file, forced, renamed over it. */
    private void compact() throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            for (PlatformEvent e : events) {
                w.write(JSON.writeValueAsString(new Line(e.id(), e.time().toString(), e.topic(),
                        e.app().map(AppName::value).orElse(null), e.properties())));
                w.write('\n');
            }
        }
        try (FileChannel c = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        out.close();
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        linesInFile = events.size();
    }

    @Override
    public synchronized List<PlatformEvent> after(long cursor, Optional<AppName> app, int max) {
        List<PlatformEvent> found = new ArrayList<>();
        for (PlatformEvent e : events) {
            if (found.size() >= max) {
                break;
            }
            if (e.id() > cursor && (app.isEmpty() || app.equals(e.app()))) {
                found.add(e);
            }
        }
        return found;
    }

    @Override
    public synchronized List<PlatformEvent> await(long cursor, Optional<AppName> app, int max, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<PlatformEvent> found = after(cursor, app, max);
            long left = deadline - System.nanoTime();
            if (!found.isEmpty() || left <= 0 || closed) {
                return found;
            }
            // woken by record(); only events after the cursor are looked at again
            cursor = Math.max(cursor, last);
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public synchronized long last() {
        return last;
    }

    /** For tests: where the events are written. */
    Path file() {
        return file;
    }
}
