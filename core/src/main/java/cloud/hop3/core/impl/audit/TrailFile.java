package cloud.hop3.core.impl.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.audit.AuditVerification;
import cloud.hop3.plugin.support.files.AtomicFiles;

/**
 * The audit trail's file, {@code trail.jsonl}: one {@link TrailLine} per record, only ever
 * appended to, each line forced to disk before {@link #append} returns. A crash during an append
 * can only cut the last line; {@link #verify} reports such a line and {@link #setAsideTornEnd}
 * moves its bytes to a file of their own before anything is appended after it. Retention
 * ({@link #removeBefore}) rewrites the file atomically without its oldest records, starting with
 * a checkpoint that holds the hash of the last one removed, so the rest still verifies.
 * Thread-safe: one writer at a time, readers read the file.
 */
final class TrailFile implements Closeable {

    static final String NAME = "trail.jsonl";

    private final Path directory;
    private final Path file;
    private final Clock clock;
    private FileChannel channel;
    private long lastSequence;
    private String lastHash = AuditRecord.GENESIS;

    private TrailFile(Path directory, Clock clock) {
        this.directory = directory;
        this.file = directory.resolve(NAME);
        this.clock = clock;
    }

    /** Opens the trail in {@code directory} (created owner-only), ready to append after its last whole line. */
    static TrailFile open(Path directory, Clock clock) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        TrailFile trail = new TrailFile(directory, clock);
        if (!Files.exists(trail.file)) {
            Files.createFile(trail.file, PosixFilePermissions.asFileAttribute(AtomicFiles.PRIVATE));
            AtomicFiles.forceDirectory(directory);
        }
        Files.setPosixFilePermissions(trail.file, AtomicFiles.PRIVATE);
        trail.reopen();
        return trail;
    }

    Path file() {
        return file;
    }

    private void reopen() throws IOException {
        if (channel != null) {
            channel.close();
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        lastSequence = 0;
        lastHash = AuditRecord.GENESIS;
        for (String line : lines().whole()) {
            if (TrailLine.isCheckpoint(line)) {
                try {
                    TrailLine.Checkpoint c = TrailLine.parseCheckpoint(line);
                    lastSequence = c.sequence();
                    lastHash = c.hash();
                } catch (IllegalArgumentException e) {
                    // verify reports it; the chain goes on from the records after it
                }
                continue;
            }
            // a damaged line still has a place: the next record follows it, and verify names it
            lastSequence++;
            String stored = TrailLine.storedHash(line);
            lastHash = AuditRecord.HASH.matcher(stored).matches() ? stored : TrailLine.hash(lastHash, line);
        }
    }

    /** Appends a record of {@code entry} and forces it to disk. */
    synchronized AuditRecord append(AuditEntry entry) throws IOException {
        Instant now = clock.instant();
        String line = TrailLine.record(lastSequence + 1, now, entry, lastHash);
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
        AuditRecord stored = TrailLine.parse(line);
        lastSequence = stored.sequence();
        lastHash = stored.hash();
        return stored;
    }

    /** The records that match {@code filter}, oldest first; lines that are not records are skipped (verify names them). */
    List<AuditRecord> list(AuditFilter filter) throws IOException {
        List<AuditRecord> found = new ArrayList<>();
        for (String line : lines().whole()) {
            if (TrailLine.isCheckpoint(line)) {
                continue;
            }
            AuditRecord r;
            try {
                r = TrailLine.parse(line);
            } catch (RuntimeException e) {
                continue;
            }
            if (r.sequence() <= filter.cursor()
                    || filter.app().isPresent() && !filter.app().get().value().equals(r.target())
                    || filter.user().isPresent() && !filter.user().get().equals(r.actor().user())
                    || filter.since().isPresent() && r.time().isBefore(filter.since().get())) {
                continue;
            }
            found.add(r);
            if (found.size() == filter.limit()) {
                break;
            }
        }
        return found;
    }

    /** Checks every line: each record's hash, its link to the one before, its sequence; and that the last line is whole. */
    synchronized AuditVerification verify() throws IOException {
        Lines lines = lines();
        return verify(lines.whole(), lines.torn());
    }

    /** {@link #verify()} of these lines, as if they were a trail's. */
    static AuditVerification verify(List<String> whole, Optional<String> torn) {
        String previous = AuditRecord.GENESIS;
        long expected = 1;
        long firstKept = 1;
        long records = 0;
        for (int i = 0; i < whole.size(); i++) {
            String line = whole.get(i);
            long number = i + 1;
            if (TrailLine.isCheckpoint(line)) {
                if (i > 0) {
                    return broken(records, firstKept, number, "line " + number + " is a checkpoint, which only the first"
                            + " line may be: lines were moved or added");
                }
                try {
                    TrailLine.Checkpoint c = TrailLine.parseCheckpoint(line);
                    previous = c.hash();
                    expected = c.sequence() + 1;
                    firstKept = expected;
                } catch (IllegalArgumentException e) {
                    return broken(records, firstKept, number, "line 1, the checkpoint of the records removed by retention,"
                            + " is damaged: " + e.getMessage());
                }
                continue;
            }
            AuditRecord r;
            try {
                r = TrailLine.parse(line);
            } catch (RuntimeException e) {
                return broken(records, firstKept, number, "line " + number + " (record " + expected + ") was changed: "
                        + e.getMessage());
            }
            if (r.sequence() != expected) {
                return broken(records, firstKept, number, "line " + number + " holds record " + r.sequence() + " where record "
                        + expected + " should be: " + (r.sequence() > expected ? "records " + expected + " to "
                        + (r.sequence() - 1) + " were removed" : "records are out of order or repeated"));
            }
            if (!r.previousHash().equals(previous)) {
                return broken(records, firstKept, number, "line " + number + " (record " + r.sequence() + ") does not follow"
                        + " the record before it: " + (i == 0 ? "the records before it were removed" : "a record before"
                        + " it was changed or replaced"));
            }
            previous = r.hash();
            expected++;
            records++;
        }
        if (torn.isPresent()) {
            long number = whole.size() + 1;
            return broken(records, firstKept, number, "line " + number + " (record " + expected + ") is cut short: a write"
                    + " did not finish (the platform stopped during it)");
        }
        return new AuditVerification(records, firstKept, Optional.empty(), "");
    }

    private static AuditVerification broken(long records, long firstKept, long line, String problem) {
        return new AuditVerification(records, firstKept, Optional.of(line), problem);
    }

    /**
     * Moves a cut last line (the mark of a crash during an append) out of the trail into a file
     * of its own next to it, so that the next record starts on a line of its own.
     *
     * @return the file the cut line was moved to, if there was one
     */
    synchronized Optional<Path> setAsideTornEnd() throws IOException {
        Lines lines = lines();
        if (lines.torn().isEmpty()) {
            return Optional.empty();
        }
        Path aside = directory.resolve("torn-" + (lastSequence + 1) + "-" + clock.millis() + ".jsonl");
        AtomicFiles.write(aside, lines.torn().get(), AtomicFiles.PRIVATE);
        channel.truncate(lines.wholeBytes());
        channel.force(true);
        reopen();
        return Optional.of(aside);
    }

    /**
     * Removes the records older than {@code cutoff} from the head of the trail, whole, and puts a
     * checkpoint in their place. Removes nothing when the records to remove do not verify, so
     * that retention never hides a damaged record.
     *
     * @return how many records were removed
     * @throws IOException when the records to remove do not verify, or the file cannot be rewritten
     */
    synchronized long removeBefore(Instant cutoff) throws IOException {
        List<String> whole = lines().whole();
        int first = 0;
        long alreadyRemoved = 0;
        if (!whole.isEmpty() && TrailLine.isCheckpoint(whole.get(0))) {
            first = 1;
            alreadyRemoved = TrailLine.parseCheckpoint(whole.get(0)).removed();
        }
        int cut = first;
        AuditRecord last = null;
        while (cut < whole.size()) {
            AuditRecord r;
            try {
                r = TrailLine.parse(whole.get(cut));
            } catch (RuntimeException e) {
                throw new IOException("The oldest records are kept, since the trail does not verify there: "
                        + verify().problem());
            }
            if (!r.time().isBefore(cutoff)) {
                break;
            }
            last = r;
            cut++;
        }
        if (last == null) {
            return 0;
        }
        AuditVerification v = verify();
        if (!v.intact() && v.brokenLine().get() <= cut + 1) {
            throw new IOException("The oldest records are kept, since the trail does not verify there: " + v.problem());
        }
        long removed = cut - first;
        StringBuilder text = new StringBuilder(TrailLine.checkpoint(last.sequence(), last.hash(), clock.instant(),
                alreadyRemoved + removed)).append('\n');
        for (String line : whole.subList(cut, whole.size())) {
            text.append(line).append('\n');
        }
        AtomicFiles.write(file, text.toString(), AtomicFiles.PRIVATE);
        reopen();
        return removed;
    }

    /** The trail's whole lines as they are now (a cut last line left out), for a backup. */
    synchronized List<String> snapshot() throws IOException {
        return lines().whole();
    }

    /**
     * Puts the records of another trail (a restored platform's, which must verify) before this
     * one's: this trail's records follow them, renumbered and chained on from the last of them, so
     * that the whole verifies. This trail's file as it was is kept beside it, in {@code aside}.
     *
     * @return how many of this trail's records were renumbered
     * @throws IOException when the other trail does not verify, when this one begins with a
     *                     retention checkpoint, or the file cannot be rewritten; nothing changed then
     */
    synchronized long adopt(List<String> other, Path aside) throws IOException {
        AuditVerification v = verify(other, Optional.empty());
        if (!v.intact()) {
            throw new IOException("the restored trail does not verify: " + v.problem());
        }
        List<String> own = lines().whole();
        if (!own.isEmpty() && TrailLine.isCheckpoint(own.get(0))) {
            throw new IOException("this installation's trail had records removed by retention, so the restored records"
                    + " cannot be put before it");
        }
        long sequence = 0;
        String previous = AuditRecord.GENESIS;
        for (String line : other) {
            if (TrailLine.isCheckpoint(line)) {
                TrailLine.Checkpoint c = TrailLine.parseCheckpoint(line);
                sequence = c.sequence();
                previous = c.hash();
            } else {
                AuditRecord r = TrailLine.parse(line);
                sequence = r.sequence();
                previous = r.hash();
            }
        }
        StringBuilder text = new StringBuilder();
        other.forEach(line -> text.append(line).append('\n'));
        long renumbered = 0;
        for (String line : own) {
            AuditRecord r;
            try {
                r = TrailLine.parse(line);
            } catch (RuntimeException e) {
                throw new IOException("this installation's trail does not verify, so it is not rewritten: " + verify().problem());
            }
            String moved = TrailLine.record(++sequence, r.time(), r.entry(), previous);
            previous = TrailLine.parse(moved).hash();
            text.append(moved).append('\n');
            renumbered++;
        }
        Files.copy(file, aside);
        Files.setPosixFilePermissions(aside, AtomicFiles.PRIVATE);
        AtomicFiles.write(file, text.toString(), AtomicFiles.PRIVATE);
        reopen();
        return renumbered;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    /** The file's whole lines, and a last line without its line feed if the file ends in one. */
    private record Lines(List<String> whole, long wholeBytes, Optional<String> torn) {
    }

    private Lines lines() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> whole = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                whole.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        Optional<String> torn = start < bytes.length
                ? Optional.of(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8)) : Optional.empty();
        return new Lines(whole, start, torn);
    }
}
