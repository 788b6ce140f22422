package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A mark of a directory tree taken from its listing alone, without reading a file: for every
 * entry, its path, type, size, modification and change times (nanoseconds), mode, owner, group,
 * inode and, for a link, its target, digested with SHA-256. An archive of the tree (tar keeps
 * names, modes, owners, times and contents) can be kept for a later backup when the mark then is
 * equal.
 * <p>
 * Writing to a file, or changing its mode or owner, sets its change time to the current time, which
 * no program can set back (unlike the modification time); a file replaced by a rename has another
 * inode. What this cannot see is a change within the clock tick of the entry's last change (file
 * systems keep times in ticks of up to 2 s): so a tree that has an entry changed in the last
 * {@link #SETTLING} before the listing has no mark, and is archived every time until it settles.
 * A clock stepped back by hand could bring a change time back to an earlier value: the operator
 * who does that on a live platform should take the next backup with {@code backup:create} after
 * touching the data directory.
 */
final class ListingMark {

    /** How recent a change makes a tree too fresh to mark. */
    static final Duration SETTLING = Duration.ofSeconds(3);

    private ListingMark() {
    }

    /**
     * The mark of the tree at {@code root} (which must be a directory), or empty when an entry
     * changed less than {@link #SETTLING} before {@code now}, or when the file system does not
     * give the change times and inodes this needs.
     */
    static Optional<String> of(Path root, Instant now) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Instant fresh = now.minus(SETTLING);
        try {
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(root)) {
                entries = walk.sorted().toList();
            }
            for (Path entry : entries) {
                Map<String, Object> a;
                try {
                    a = Files.readAttributes(entry, "unix:*", LinkOption.NOFOLLOW_LINKS);
                } catch (UnsupportedOperationException | IllegalArgumentException e) {
                    return Optional.empty();
                }
                FileTime changed = (FileTime) a.get("ctime");
                if (changed == null || !changed.toInstant().isBefore(fresh)) {
                    return Optional.empty();
                }
                String relative = root.relativize(entry).toString();
                boolean link = Boolean.TRUE.equals(a.get("isSymbolicLink"));
                String line = String.join("\0", relative, type(a), String.valueOf(a.get("size")),
                        nanos((FileTime) a.get("lastModifiedTime")), nanos(changed), String.valueOf(a.get("mode")),
                        String.valueOf(a.get("uid")), String.valueOf(a.get("gid")), String.valueOf(a.get("ino")),
                        link ? Files.readSymbolicLink(entry).toString() : "") + "\n";
                digest.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return Optional.of(HexFormat.of().formatHex(digest.digest()));
    }

    private static String type(Map<String, Object> a) {
        if (Boolean.TRUE.equals(a.get("isRegularFile"))) {
            return "f";
        }
        if (Boolean.TRUE.equals(a.get("isDirectory"))) {
            return "d";
        }
        return Boolean.TRUE.equals(a.get("isSymbolicLink")) ? "l" : "o";
    }

    private static String nanos(FileTime time) {
        Instant i = time.toInstant();
        return i.getEpochSecond() + "." + i.getNano();
    }
}
