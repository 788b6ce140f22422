package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Rotates a process log that grew past a size: {@code .1} becomes {@code .2} and so on (the
 * oldest beyond {@code keep} is deleted), the live file is copied to {@code .1} and truncated in
 * place. The process keeps its file open and writes on, because it writes in append mode; only
 * what it writes between the copy and the truncation is lost (as with logrotate's copytruncate).
 * Each rotation moves the live file's {@linkplain ProcessLog#base base} on by the bytes it moved
 * out, so that positions of readers stay valid.
 */
final class LogRotator {

    private final long maxBytes;
    private final int keep;

    /**
     * @param maxBytes size above which a log is rotated
     * @param keep     how many rotated files to keep (0: the log is only truncated)
     */
    LogRotator(long maxBytes, int keep) {
        if (maxBytes < 1 || keep < 0) {
            throw new IllegalArgumentException("Invalid log rotation: max " + maxBytes + " bytes, keep " + keep);
        }
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    /** The n-th rotated file of a live log ({@code web.1.log.2}). */
    static Path rotated(Path live, int n) {
        return live.resolveSibling(live.getFileName() + "." + n);
    }

    /**
     * Rotates the log when it is larger than the limit. Symbolic links are left alone.
     *
     * @return whether it was rotated
     */
    boolean rotateIfNeeded(Path live) throws IOException {
        if (!Files.isRegularFile(live, LinkOption.NOFOLLOW_LINKS) || Files.size(live) <= maxBytes) {
            return false;
        }
        if (keep > 0) {
            Files.deleteIfExists(rotated(live, keep));
            for (int i = keep - 1; i >= 1; i--) {
                Path from = rotated(live, i);
                if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(from, rotated(live, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        long removed;
        try (FileChannel in = FileChannel.open(live, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            removed = in.size();
            if (keep > 0) {
                Path first = rotated(live, 1);
                try (FileChannel out = FileChannel.open(first, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                    long copied = 0;
                    // copy until the end, including what the process appended during the copy
                    while (copied < in.size()) {
                        long n = in.transferTo(copied, in.size() - copied, out);
                        if (n <= 0) {
                            break;
                        }
                        copied += n;
                    }
                    removed = copied;
                }
            }
            in.truncate(0);
        }
        ProcessLog.advanceBase(live, removed);
        return true;
    }
}
