package cloud.hop3.plugin.support.accesslog;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Follows a log that a server writes, line by line, as {@code tail -F} does: each {@link #poll}
 * hands over the complete lines written since the previous one and keeps an unfinished last line
 * for the next. Memory is bounded: one read buffer and one line of at most {@code maxLineBytes}
 * (a longer line is skipped whole).
 * <ul>
 * <li>A <b>regular file</b> is read from where the previous poll stopped. When the file was
 * truncated (it is shorter than what was read), reading starts again at its beginning; when it was
 * replaced (renamed away by a rotation, another file created under its name), the old file is read
 * to its end first, then the new one from its beginning. Once at least {@code maxBytes} have been
 * read and the file holds nothing more, the tailer truncates it, so that a log nobody rotates stays
 * small: the server must write it in append mode ({@code O_APPEND}), as nginx and Caddy do. A
 * line written in the instant between the last read and the truncation is lost. Bytes 0 (the
 * hole a writer without append mode leaves) are skipped.</li>
 * <li>A <b>named pipe</b> (FIFO) is opened for reading and writing, so that opening it never
 * waits and a server opening it for writing never waits either; each poll reads what the pipe
 * holds, without blocking. Nothing is kept on disk.</li>
 * </ul>
 * A file that exists when the tailer is {@link #open}ed is read from its end: what it holds was
 * written before (another instance may have read it). Not thread-safe: one thread opens and polls.
 */
public final class LogTailer implements Closeable {

    private static final int READ_BUFFER = 64 * 1024;

    private final Path file;
    private final long maxBytes;
    private final byte[] line;
    private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
    private FileChannel channel;
    private Object key;
    private long position;
    private RandomAccessFile pipe;
    private FileInputStream pipeInput;
    private int lineLength;
    private boolean skipping;

    /**
     * @param file         the log file, or named pipe
     * @param maxBytes     how much of a regular file is read before it is truncated
     * @param maxLineBytes the longest line kept; a longer one is skipped
     */
    public LogTailer(Path file, long maxBytes, int maxLineBytes) {
        this.file = Objects.requireNonNull(file);
        if (maxBytes < 1 || maxLineBytes < 1) {
            throw new IllegalArgumentException("maxBytes and maxLineBytes must be positive");
        }
        this.maxBytes = maxBytes;
        this.line = new byte[maxLineBytes];
    }

    /** The file followed. */
    public Path file() {
        return file;
    }

    /**
     * Hands each complete line written since the previous poll to {@code lines} (without its line
     * end), and returns how many; 0 while the file does not exist.
     *
     * @throws IOException when the file or pipe cannot be read
     */
    public int poll(Consumer<String> lines) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            // renamed away and not yet created again: what the old file still gets is read
            return channel == null ? 0 : readFile(lines);
        }
        if (attributes.isOther()) {
            return readPipe(lines);
        }
        if (!attributes.isRegularFile()) {
            return 0;
        }
        int count = 0;
        if (channel != null && !Objects.equals(key, attributes.fileKey())) {
            count += readFile(lines); // the rest of the file that was rotated away
            closeFile();
            clearLine();
        }
        if (channel == null) {
            openFile(attributes, false);
        }
        count += readFile(lines);
        if (position >= maxBytes && lineLength == 0 && !skipping && channel.size() == position) {
            channel.truncate(0);
            position = 0;
        }
        return count;
    }

    private int readFile(Consumer<String> lines) throws IOException {
        if (channel.size() < position) { // truncated by someone else
            position = 0;
            clearLine();
        }
        int count = 0;
        while (true) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read <= 0) {
                return count;
            }
            position += read;
            count += split(lines, read);
        }
    }

    private int readPipe(Consumer<String> lines) throws IOException {
        if (pipe == null) {
            closeFile();
            clearLine();
            pipe = new RandomAccessFile(file.toFile(), "rw");
            pipeInput = new FileInputStream(pipe.getFD());
        }
        int count = 0;
        int available;
        while ((available = pipeInput.available()) > 0) {
            int read = pipeInput.read(buffer.array(), 0, Math.min(available, buffer.capacity()));
            if (read <= 0) {
                break;
            }
            count += split(lines, read);
        }
        return count;
    }

    /**
     * Opens the log now: a named pipe for reading, so that a server can open it for writing
     * without waiting for the first poll; a regular file at its end, so that polls read only what
     * is written from now on.
     *
     * @throws IOException when the log does not exist or cannot be opened
     */
    public void open() throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isOther()) {
            readPipe(ignored -> {
            });
        } else if (channel == null) {
            openFile(attributes, true);
        }
    }

    private void openFile(BasicFileAttributes attributes, boolean atEnd) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        key = attributes.fileKey();
        position = atEnd ? channel.size() : 0;
    }

    private int split(Consumer<String> lines, int read) {
        byte[] bytes = buffer.array();
        int count = 0;
        for (int i = 0; i < read; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (!skipping) {
                    int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                    lines.accept(new String(line, 0, end, StandardCharsets.UTF_8));
                    count++;
                }
                clearLine();
            } else if (b != 0 && !skipping) {
                if (lineLength == line.length) {
                    skipping = true;
                    lineLength = 0;
                } else {
                    line[lineLength++] = b;
                }
            }
        }
        return count;
    }

    private void clearLine() {
        lineLength = 0;
        skipping = false;
    }

    private void closeFile() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            key = null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            closeFile();
        } finally {
            if (pipe != null) {
                pipe.close();
                pipe = null;
                pipeInput = null;
            }
        }
    }
}
