package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads the last lines of a file from its end, without reading the rest of it. */
final class LogTail {

    private static final int CHUNK = 8192;

    private LogTail() {
    }

    /**
     * The last {@code n} lines of a file, oldest first, without line terminators; an empty list
     * when the file does not exist or is a symbolic link. Invalid UTF-8 is replaced, not fatal.
     */
    static List<String> lastLines(Path file, int n) throws IOException {
        if (n <= 0 || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            long start = startOfLastLines(ch, size, n);
            ByteBuffer content = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - start));
            ch.position(start);
            while (content.hasRemaining() && ch.read(content) > 0) {
                // reads until full or end of file (the file may have been truncated meanwhile)
            }
            return split(new String(content.array(), 0, content.position(), StandardCharsets.UTF_8), n);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** The offset where the last {@code n} lines begin: just after the n-th newline from the end. */
    private static long startOfLastLines(SeekableByteChannel ch, long size, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = size;
        int newlines = 0;
        while (pos > 0) {
            int len = (int) Math.min(CHUNK, pos);
            pos -= len;
            buf.clear().limit(len);
            ch.position(pos);
            int read = 0;
            while (read < len) {
                int r = ch.read(buf);
                if (r < 0) {
                    return pos + read;
                }
                read += r;
            }
            for (int i = len - 1; i >= 0; i--) {
                if (buf.get(i) == '\n' && pos + i != size - 1 && ++newlines == n) {
                    return pos + i + 1;
                }
            }
        }
        return 0;
    }

    private static List<String> split(String text, int n) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(from, end);
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            from = end + 1;
        }
        return lines.size() <= n ? lines : lines.subList(lines.size() - n, lines.size());
    }
}
