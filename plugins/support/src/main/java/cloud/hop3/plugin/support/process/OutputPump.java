package cloud.hop3.plugin.support.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.build.BuildLog;

/**
 * Reads a process's output to its end, one line at a time, and hands every line to a
 * {@link BuildLog} as soon as it is complete. Lines end with {@code \n}, {@code \r\n} or a lone
 * {@code \r} (progress bars); a line longer than {@value #MAX_LINE_CHARS} characters is split, so
 * that a tool writing without newlines cannot exhaust memory. Keeps the last
 * {@value #TAIL_LINES} non-blank lines for failures, with one blank line where the output had
 * blank lines between them: tools end a message block with a blank line, and the builders'
 * explanations of a failure read those blocks.
 */
final class OutputPump implements Runnable {

    static final int MAX_LINE_CHARS = 4096;
    static final int TAIL_LINES = 40;

    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    private final InputStream in;
    private final BuildLog log;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private boolean logFailed;

    OutputPump(InputStream in, BuildLog log) {
        this.in = in;
        this.log = log;
    }

    @Override
    public void run() {
        StringBuilder line = new StringBuilder();
        char[] buffer = new char[8192];
        boolean afterCarriageReturn = false;
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n' && afterCarriageReturn) {
                        afterCarriageReturn = false;
                    } else if (c == '\n' || c == '\r') {
                        emit(line);
                        afterCarriageReturn = c == '\r';
                    } else {
                        afterCarriageReturn = false;
                        line.append(c);
                        if (line.length() >= MAX_LINE_CHARS) {
                            emit(line);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the stream was closed under us: the process is gone, its output ends here
        } finally {
            if (line.length() > 0) {
                emit(line);
            }
            ended.countDown();
        }
    }

    private void emit(StringBuilder line) {
        String text = line.toString();
        line.setLength(0);
        synchronized (tail) {
            if (!text.isBlank()) {
                if (tail.stream().filter(l -> !l.isEmpty()).count() == TAIL_LINES) {
                    tail.removeFirst();
                    if (!tail.isEmpty() && tail.peekFirst().isEmpty()) {
                        tail.removeFirst();
                    }
                }
                tail.addLast(text);
            } else if (!tail.isEmpty() && !tail.peekLast().isEmpty()) {
                tail.addLast("");
            }
        }
        try {
            log.info(text);
        } catch (RuntimeException e) {
            // keep draining, or the process blocks on a full pipe
            if (!logFailed) {
                logFailed = true;
                LOG.warn("A build log refused output ({}); the rest of this command's output is dropped", e.toString());
            }
        }
    }

    /** Waits until the output has ended (the process and all its children closed it). */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The last non-blank lines read so far, oldest first, with an empty line where blank lines
     * separated them; never an empty line last.
     */
    List<String> tail() {
        synchronized (tail) {
            List<String> lines = List.copyOf(tail);
            return !lines.isEmpty() && lines.get(lines.size() - 1).isEmpty() ? lines.subList(0, lines.size() - 1) : lines;
        }
    }
}
