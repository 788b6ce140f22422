package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Linux says about one process in {@code /proc/<pid>/stat}: its state and its session.
 * <p>
 * The JDK reports a zombie (exited, not yet reaped) as alive; after a restart of the platform the
 * app processes are children of PID 1, which may reap them late, so liveness is checked here too.
 * The session is how the driver finds every process an app process started, also the ones whose
 * parent has died: each supervised process leads its own session.
 *
 * @param pid     process id
 * @param state   the state letter ({@code R}, {@code S}, {@code Z}, ...)
 * @param ppid    parent process id
 * @param session session id (the pid of the session leader)
 */
record ProcStat(long pid, char state, long ppid, long session) {

    private static final Path PROC = Path.of("/proc");

    /** Whether this system has a Linux {@code /proc}. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self").resolve("stat"));
    }

    /** Exited and waiting to be reaped: not running any more. */
    boolean zombie() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /** Reads one process; empty when it does not exist (or there is no /proc). */
    static Optional<ProcStat> read(long pid) {
        try {
            return parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Every process of the system that can be read. */
    static List<ProcStat> all() {
        List<ProcStat> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path entry : entries) {
                read(Long.parseLong(entry.getFileName().toString())).ifPresent(result::add);
            }
        } catch (IOException | RuntimeException e) {
            return result;
        }
        return result;
    }

    /**
     * Parses the content of a stat file: {@code pid (comm) state ppid pgrp session ...}. The
     * command name may hold spaces and parentheses, so the fields are counted from the last ')'.
     */
    static Optional<ProcStat> parse(String line) {
        int open = line.indexOf(" (");
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open || close + 2 >= line.length()) {
            return Optional.empty();
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        if (fields.length < 4 || fields[0].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ProcStat(Long.parseLong(line.substring(0, open)), fields[0].charAt(0),
                    Long.parseLong(fields[1]), Long.parseLong(fields[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether a process runs: alive for the JDK and, where /proc tells, not a zombie. */
    static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        if (!available()) {
            return true;
        }
        return read(handle.pid()).map(s -> !s.zombie()).orElse(false);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
