package cloud.hop3.core.impl.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.audit.AuditVerification;

class TrailFileTest {

    private static final Actor ADA = new Actor("ada", Door.SHELL, "10.0.0.7");
    private static final Actor BOB = new Actor("bob", Door.GIT, "10.0.0.8");

    @TempDir
    Path dir;

    private final MovingClock clock = new MovingClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void recordsAreChainedNumberedOwnerOnlyAndSurviveAReopen() throws IOException {
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            AuditRecord first = trail.append(entry(ADA, "app.create", "shop"));
            AuditRecord second = trail.append(entry(BOB, "app.deploy", "shop", "v1"));
            assertEquals(1, first.sequence());
            assertEquals(AuditRecord.GENESIS, first.previousHash());
            assertEquals(first.hash(), second.previousHash());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trail.file())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit"))));
        }
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            AuditRecord third = trail.append(entry(ADA, "config.set", "shop", "SECRET_KEY"));
            assertEquals(3, third.sequence());
            AuditVerification v = trail.verify();
            assertTrue(v.intact(), v.problem());
            assertEquals(3, v.records());
            List<AuditRecord> all = trail.list(AuditFilter.all(10));
            assertEquals(List.of("app.create", "app.deploy", "config.set"), all.stream().map(AuditRecord::action).toList());
            assertEquals(BOB, all.get(1).actor());
            assertEquals(List.of("SECRET_KEY"), all.get(2).details());
        }
    }

    @Test
    void anotherTrailIsPutFirstOnlyWhenItVerifiesAndThisOneFollowsRenumbered() throws IOException {
        List<String> restored;
        try (TrailFile old = TrailFile.open(dir.resolve("old"), clock)) {
            old.append(entry(ADA, "app.create", "shop"));
            old.append(entry(BOB, "app.deploy", "shop", "v1"));
            restored = old.snapshot();
        }
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            trail.append(entry(BOB, "plugin.install", "hop3-backup-dir"));
            String before = Files.readString(trail.file());

            List<String> edited = new ArrayList<>(restored);
            edited.set(0, edited.get(0).replace("shop", "bank"));
            IOException refused = assertThrows(IOException.class, () -> trail.adopt(edited, dir.resolve("aside-1")));
            assertTrue(refused.getMessage().contains("does not verify"), refused.getMessage());
            assertEquals(before, Files.readString(trail.file()), "nothing changed");

            assertEquals(1, trail.adopt(restored, dir.resolve("aside-2")));
            assertEquals(before, Files.readString(dir.resolve("aside-2")), "the trail as it was, kept");
            AuditRecord next = trail.append(entry(ADA, "audit.adopt", "trail"));
            assertEquals(4, next.sequence());
            List<AuditRecord> all = trail.list(AuditFilter.all(10));
            assertEquals(List.of("app.create", "app.deploy", "plugin.install", "audit.adopt"),
                    all.stream().map(AuditRecord::action).toList());
            assertEquals(restored.get(0) + "\n" + restored.get(1), String.join("\n", trail.snapshot().subList(0, 2)),
                    "the restored lines, byte for byte");
            AuditVerification v = trail.verify();
            assertTrue(v.intact(), v.problem());
        }
    }

    @Test
    void anEditedLineIsNamed() throws IOException {
        Path file = threeRecords();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("\"result\":\"ok\"", "\"result\":\"failed: no\""));
        Files.write(file, lines);
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            AuditVerification v = trail.verify();
            assertEquals(Optional.of(2L), v.brokenLine());
            assertTrue(v.problem().startsWith("line 2 (record 2) was changed"), v.problem());
        }
    }

    @Test
    void anEditedLineWhoseHashWasRecomputedBreaksTheNextLink() throws IOException {
        Path file = threeRecords();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String line = lines.get(1);
        String content = line.substring(0, line.indexOf(",\"hash\":\"")) + "}";
        String edited = content.replace("\"user\":\"bob\"", "\"user\":\"eve\"");
        String prev = edited.replaceAll(".*\"prev\":\"([0-9a-f]{64})\".*", "$1");
        lines.set(1, edited.substring(0, edited.length() - 1) + ",\"hash\":\"" + TrailLine.hash(prev, edited) + "\"}");
        Files.write(file, lines);
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            AuditVerification v = trail.verify();
            assertEquals(Optional.of(3L), v.brokenLine(), v.problem());
            assertTrue(v.problem().contains("record 3") && v.problem().contains("does not follow"), v.problem());
        }
    }

    @Test
    void aRemovedLineIsNamed() throws IOException {
        Path file = threeRecords();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(1);
        Files.write(file, lines);
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            AuditVerification v = trail.verify();
            assertEquals(Optional.of(2L), v.brokenLine());
            assertTrue(v.problem().contains("records 2 to 2 were removed"), v.problem());
        }
        lines.remove(0); // the first record gone too: the chain starts nowhere
        Files.write(file, lines);
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            AuditVerification v = trail.verify();
            assertEquals(Optional.of(1L), v.brokenLine(), v.problem());
        }
    }

    @Test
    void aTornLastLineIsReportedThenSetAsideWithItsBytesAndTheTrailGoesOn() throws IOException {
        Path file = threeRecords();
        byte[] whole = Files.readAllBytes(file);
        String torn = "{\"seq\":4,\"time\":\"2026-01-01T00:10:00Z\",\"user\":\"ada\",\"door\":\"sh";
        Files.write(file, torn.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            AuditVerification v = trail.verify();
            assertEquals(Optional.of(4L), v.brokenLine());
            assertTrue(v.problem().contains("cut short"), v.problem());
            assertEquals(3, v.records(), "the records before the cut line are whole");

            Path aside = trail.setAsideTornEnd().orElseThrow();
            assertEquals(torn, Files.readString(aside));
            assertEquals(whole.length, Files.size(file));
            assertEquals(4, trail.append(entry(ADA, "app.scale", "shop", "web:2")).sequence());
            assertTrue(trail.verify().intact(), trail.verify().problem());
            assertEquals(Optional.empty(), trail.setAsideTornEnd());
        }
    }

    @Test
    void retentionRemovesOldRecordsWholeAndWhatRemainsVerifies() throws IOException {
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            for (int day = 0; day < 5; day++) {
                trail.append(entry(ADA, "app.restart", "shop", "day" + day));
                clock.advance(Duration.ofDays(1));
            }
            assertEquals(2, trail.removeBefore(Instant.parse("2026-01-03T00:00:00Z")));
            AuditVerification v = trail.verify();
            assertTrue(v.intact(), v.problem());
            assertEquals(3, v.records());
            assertEquals(3, v.firstKept());
            assertEquals(List.of(3L, 4L, 5L), trail.list(AuditFilter.all(10)).stream().map(AuditRecord::sequence).toList());
            assertEquals(6, trail.append(entry(ADA, "app.stop", "shop")).sequence());
            assertEquals(0, trail.removeBefore(Instant.parse("2026-01-03T00:00:00Z")));
            assertEquals(1, trail.removeBefore(Instant.parse("2026-01-04T00:00:00Z")));
            assertTrue(trail.verify().intact(), trail.verify().problem());
            assertTrue(Files.readAllLines(trail.file()).get(0).startsWith("{\"checkpoint\":3,"), "3 removed in all");
        }
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            assertEquals(7, trail.append(entry(ADA, "app.start", "shop")).sequence());
            assertTrue(trail.verify().intact());
            List<String> lines = Files.readAllLines(trail.file());
            Files.write(trail.file(), lines.subList(1, lines.size()));
            AuditVerification v = trail.verify();
            assertEquals(Optional.of(1L), v.brokenLine(), "without its checkpoint the trail starts nowhere");
        }
    }

    @Test
    void retentionKeepsRecordsThatDoNotVerify() throws IOException {
        Path file = threeRecords();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(0, lines.get(0).replace("\"ada\"", "\"eve\""));
        Files.write(file, lines);
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> trail.removeBefore(Instant.parse("2027-01-01T00:00:00Z")));
            assertTrue(e.getMessage().contains("line 1"), e.getMessage());
            assertEquals(lines, Files.readAllLines(file));
        }
    }

    @Test
    void filtersByAppUserSinceAndPageByCursor() throws IOException {
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            trail.append(entry(ADA, "app.create", "shop"));
            clock.advance(Duration.ofHours(1));
            trail.append(entry(BOB, "app.deploy", "shop"));
            clock.advance(Duration.ofHours(1));
            trail.append(entry(ADA, "app.create", "blog"));
            clock.advance(Duration.ofHours(1));
            trail.append(entry(BOB, "app.deploy", "blog"));

            assertEquals(List.of(1L, 2L), seqs(trail, new AuditFilter(Optional.of(AppName.of("shop")), Optional.empty(),
                    Optional.empty(), 0, 10)));
            assertEquals(List.of(2L, 4L), seqs(trail, new AuditFilter(Optional.empty(), Optional.of("bob"),
                    Optional.empty(), 0, 10)));
            assertEquals(List.of(3L, 4L), seqs(trail, new AuditFilter(Optional.empty(), Optional.empty(),
                    Optional.of(Instant.parse("2026-01-01T02:00:00Z")), 0, 10)));
            assertEquals(List.of(4L), seqs(trail, new AuditFilter(Optional.of(AppName.of("blog")), Optional.of("bob"),
                    Optional.of(Instant.parse("2026-01-01T00:30:00Z")), 0, 10)));
            assertEquals(List.of(1L, 2L), seqs(trail, AuditFilter.all(2)));
            assertEquals(List.of(3L, 4L), seqs(trail, AuditFilter.all(2).after(2)));
            assertEquals(List.of(), seqs(trail, AuditFilter.all(2).after(4)));
        }
    }

    @Test
    void aLineThatIsNotARecordIsSkippedByListAndNamedByVerify() throws IOException {
        Path file = threeRecords();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(2, "not json at all");
        Files.write(file, lines);
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            assertEquals(3, trail.list(AuditFilter.all(10)).size());
            AuditVerification v = trail.verify();
            assertEquals(Optional.of(3L), v.brokenLine());
        }
    }

    private Path threeRecords() throws IOException {
        try (TrailFile trail = TrailFile.open(dir.resolve("audit"), clock)) {
            trail.append(entry(ADA, "app.create", "shop"));
            trail.append(entry(BOB, "app.deploy", "shop", "v1"));
            trail.append(entry(ADA, "config.set", "shop", "SECRET_KEY"));
            assertTrue(trail.verify().intact());
            assertFalse(trail.verify().brokenLine().isPresent());
            return trail.file();
        }
    }

    private static List<Long> seqs(TrailFile trail, AuditFilter filter) throws IOException {
        return trail.list(filter).stream().map(AuditRecord::sequence).toList();
    }

    static AuditEntry entry(Actor actor, String action, String target, String... details) {
        return new AuditEntry(actor, action, target, AuditResult.success(), List.of(details));
    }

    /** A clock that moves when told. */
    static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
