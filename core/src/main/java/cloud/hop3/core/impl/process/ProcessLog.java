package cloud.hop3.core.impl.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of one process as one stream of bytes, whatever rotation did to its files: a
 * position in it ({@code long}) stays valid when the live file is copied to {@code .1} and
 * truncated, because the position of the live file's first byte is kept beside it
 * ({@code web.1.log.base}) and moved on by each rotation. The rotated files ({@code .1} newest)
 * hold the bytes just before it, so a reader that fell behind continues from them, and only
 * bytes older than the oldest rotated file are gone.
 * <p>
 * Only complete lines (ended by a newline) are read: a line still being written is read once it
 * is ended. Not thread-safe against rotation: {@link AppLogs} holds one lock around both.
 */
final class ProcessLog {

    private static final String BASE_SUFFIX = ".base";
    private static final int CHUNK = 8192;

    /** One file of the stream: it holds the bytes from {@code start} to {@code start + size}. */
    private record Segment(Path file, long start, long size) {
        long end() {
            return start + size;
        }
    }

    /** Complete lines read, and the position just after the last one. */
    record Lines(List<String> lines, long next) {
    }

    private final Path live;

    ProcessLog(Path live) {
        this.live = live;
    }

    /** The position of the live file's first byte in the process's output; 0 until a rotation. */
    static long base(Path live) {
        try {
            return Long.parseLong(Files.readString(baseFile(live), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Records that {@code bytes} more were moved out of the live file (rotated or truncated). */
    static void advanceBase(Path live, long bytes) throws IOException {
        Path file = baseFile(live);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, Long.toString(base(live) + bytes), StandardCharsets.US_ASCII);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path baseFile(Path live) {
        return live.resolveSibling(live.getFileName() + BASE_SUFFIX);
    }

    /** The position just after the last byte written. */
    long end() throws IOException {
        List<Segment> segments = segments();
        return segments.get(segments.size() - 1).end();
    }

    /**
     * The complete lines from {@code from} on, at most {@code max}. A position before the oldest
     * byte kept continues from that byte; a position after the end (the log was removed and
     * started again) continues from the start.
     */
    Lines read(long from, int max) throws IOException {
        List<Segment> segments = segments();
        long oldest = segments.get(0).start();
        long position = from < oldest || from > segments.get(segments.size() - 1).end() ? oldest : from;
        List<String> lines = new ArrayList<>();
        long next = position;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        for (Segment segment : segments) {
            if (lines.size() >= max || segment.end() <= position) {
                continue;
            }
            if (position < segment.start()) {
                // the file before this one is gone (rotated away meanwhile): its partial line too
                position = segment.start();
                line.reset();
            }
            boolean isLive = segment.file().equals(live);
            try (SeekableByteChannel ch = open(segment.file())) {
                if (ch == null) {
                    continue;
                }
                ch.position(position - segment.start());
                // the live file may grow while it is read: read it to its end
                long limit = isLive ? Long.MAX_VALUE : segment.end();
                while (lines.size() < max && position < limit) {
                    buffer.clear();
                    if (!isLive) {
                        buffer.limit((int) Math.min(CHUNK, limit - position));
                    }
                    int n = ch.read(buffer);
                    if (n <= 0) {
                        break;
                    }
                    for (int i = 0; i < n && lines.size() < max; i++) {
                        byte b = buffer.get(i);
                        position++;
                        if (b == '\n') {
                            lines.add(text(line));
                            line.reset();
                            next = position;
                        } else {
                            line.write(b);
                        }
                    }
                }
            }
        }
        return new Lines(lines, next);
    }

    /** The last {@code n} complete lines, and the position just after them. */
    Lines last(int n) throws IOException {
        List<Segment> segments = segments();
        long end = afterNewline(segments, segments.get(segments.size() - 1).end(), 1);
        if (n <= 0) {
            return new Lines(List.of(), end); // follow from here
        }
        long start = afterNewline(segments, end, n + 1);
        return read(start, n);
    }

    /**
     * Scanning back from {@code before} (exclusive), the position just after the {@code count}-th
     * newline met, or the oldest position kept when there are fewer.
     */
    private static long afterNewline(List<Segment> segments, long before, int count) throws IOException {
        int seen = 0;
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        for (int s = segments.size() - 1; s >= 0; s--) {
            Segment segment = segments.get(s);
            long to = Math.min(before, segment.end());
            if (to <= segment.start()) {
                continue;
            }
            try (SeekableByteChannel ch = open(segment.file())) {
                if (ch == null) {
                    continue;
                }
                long pos = Math.min(to - segment.start(), ch.size());
                while (pos > 0) {
                    int len = (int) Math.min(CHUNK, pos);
                    pos -= len;
                    buffer.clear().limit(len);
                    ch.position(pos);
                    int read = 0;
                    while (read < len) {
                        int r = ch.read(buffer);
                        if (r < 0) {
                            break;
                        }
                        read += r;
                    }
                    for (int i = read - 1; i >= 0; i--) {
                        if (buffer.get(i) == '\n' && ++seen == count) {
                            return segment.start() + pos + i + 1;
                        }
                    }
                }
            }
        }
        return segments.get(0).start();
    }

    /** The files that hold what is kept of the output, oldest first. */
    private List<Segment> segments() throws IOException {
        long base = base(live);
        List<Segment> segments = new ArrayList<>();
        segments.add(new Segment(live, base, size(live)));
        long start = base;
        for (int k = 1; ; k++) {
            Path rotated = LogRotator.rotated(live, k);
            if (!Files.isRegularFile(rotated, LinkOption.NOFOLLOW_LINKS)) {
                break;
            }
            long size = size(rotated);
            start -= size;
            segments.add(0, new Segment(rotated, start, size));
        }
        return segments;
    }

    private static long size(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** The file opened for reading, or null when it is gone or a symbolic link. */
    private static SeekableByteChannel open(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            return Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String text(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
