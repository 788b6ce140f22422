package cloud.hop3.core.impl.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.audit.AuditVerification;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;

/**
 * The audit trail in {@code HOP3_HOME/audit/trail.jsonl} ({@link TrailFile}): records appended and
 * forced to disk one at a time, a cut last line set aside and reported at start, and records
 * older than {@code audit.keepDays} removed once a day.
 */
@Component(service = {AuditService.class, AuditTrail.class}, configurationPid = CoreConfig.PID)
public class AuditTrail implements AuditService {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final Clock clock;
    private volatile TrailFile trail;
    private volatile int keepDays = 365;
    private ScheduledExecutorService retention;

    /** For DS. */
    public AuditTrail() {
        this(Clock.systemUTC());
    }

    /** For tests: a trail on this clock; {@link #open} it. */
    public AuditTrail(Clock clock) {
        this.clock = clock;
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        keepDays = config.audit_keepDays();
        open(PlatformSettings.resolve(config).home().resolve("audit"));
        retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hop3-audit-retention");
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(this::applyRetention, 1, TimeUnit.DAYS.toMinutes(1), TimeUnit.MINUTES);
    }

    /** The retention applies from the next daily run; the trail's place does not move while the platform runs. */
    @Modified
    void modified(CoreConfig config) {
        keepDays = config.audit_keepDays();
    }

    @Deactivate
    void deactivate() throws IOException {
        if (retention != null) {
            retention.shutdownNow();
        }
        close();
    }

    /** Opens the trail in {@code directory}, setting aside and recording a line cut by a crash. */
    public void open(Path directory) throws IOException {
        trail = TrailFile.open(directory, clock);
        Optional<Path> torn = trail.setAsideTornEnd();
        if (torn.isPresent()) {
            String reason = "the last line of the trail was cut by a stop during a write; its bytes are in "
                    + torn.get().getFileName();
            LOG.error("Audit: {}", reason);
            trail.append(new AuditEntry(Actor.platform(Door.PLATFORM), "audit.recover", "trail", AuditResult.failed(reason),
                    List.of()));
        }
    }

    /** Closes the trail file; for tests, which open it with {@link #open}. */
    public void close() throws IOException {
        trail.close();
    }

    /** For tests: the retention in days. */
    public void keepDays(int days) {
        keepDays = days;
    }

    /**
     * Checks the trail, logging an error when it does not verify, then removes the records older
     * than the retention; logs what it did. Runs a minute after the start, then daily.
     */
    public void applyRetention() {
        try {
            AuditVerification v = trail.verify();
            if (!v.intact()) {
                LOG.error("Audit: the trail does not verify: {}; audit:verify names it", v.problem());
            }
        } catch (IOException e) {
            LOG.error("Audit: the trail cannot be read: {}", e.getMessage());
        }
        int days = keepDays;
        if (days <= 0) {
            return;
        }
        try {
            long removed = trail.removeBefore(clock.instant().minus(Duration.ofDays(days)));
            if (removed > 0) {
                LOG.info("Audit: removed {} records older than {} days", removed, days);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Audit: old records could not be removed: {}", e.getMessage());
        }
    }

    /**
     * Writes the trail's whole records, as they are now, to {@code target} (owner-only): what a
     * platform backup holds.
     */
    public void copyTo(Path target) throws IOException {
        List<String> lines = trail.snapshot();
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        Files.createDirectories(target.getParent());
        Files.writeString(target, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Puts the records of a restored platform's trail ({@code restored}, as {@link #copyTo} wrote
     * it) before this installation's, which follow renumbered, and records that it did. This
     * trail as it was is kept in {@code audit/trail-before-<from>.jsonl}.
     *
     * @param from what the records come from (a backup id), for the record and the kept file's name
     * @return what was done, in one sentence
     * @throws IOException when the restored trail does not verify or this one cannot be rewritten;
     *                     nothing changed then
     */
    public String adopt(Path restored, String from) throws IOException {
        List<String> lines = Files.readAllLines(restored, StandardCharsets.UTF_8);
        Path aside = trail.file().resolveSibling("trail-before-" + from + ".jsonl");
        long renumbered = trail.adopt(lines, aside);
        long records = lines.stream().filter(l -> !TrailLine.isCheckpoint(l)).count();
        trail.append(new AuditEntry(CurrentActor.orPlatform(), "audit.adopt", "trail", AuditResult.success(),
                List.of(from, "records:" + records, "renumbered:" + renumbered)));
        LOG.info("Audit: {} records of {} put before this installation's {}, which were renumbered; the trail as it was is"
                + " in {}", records, from, renumbered, aside.getFileName());
        return records + " records of the restored platform come first in the audit trail; this installation's " + renumbered
                + " follow them, renumbered (the trail as it was: audit/" + aside.getFileName() + ")";
    }

    /** The trail's file. */
    public Path file() {
        return trail.file();
    }

    @Override
    public AuditRecord record(AuditEntry entry) {
        try {
            return trail.append(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("The audit trail cannot be written: " + e.getMessage(), e);
        }
    }

    @Override
    public List<AuditRecord> list(AuditFilter filter) {
        try {
            return trail.list(filter);
        } catch (IOException e) {
            throw new UncheckedIOException("The audit trail cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public AuditVerification verify() {
        try {
            return trail.verify();
        } catch (IOException e) {
            throw new UncheckedIOException("The audit trail cannot be read: " + e.getMessage(), e);
        }
    }
}
