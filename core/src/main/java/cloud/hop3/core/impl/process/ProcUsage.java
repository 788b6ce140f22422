package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Linux says a process has used: CPU time from {@code /proc/<pid>/stat} (user and system, in
 * clock ticks of 1/100 s, the kernel's fixed USER_HZ), and its session, read for every process in
 * one scan; resident memory from {@code VmRSS} of {@code /proc/<pid>/status}, read for the
 * processes asked about.
 *
 * @param pid      process id
 * @param session  session id
 * @param cpuTicks user and system time, in 1/100 s
 */
record ProcUsage(long pid, long session, long cpuTicks) {

    private static final Path PROC = Path.of("/proc");
    static final long NANOS_PER_TICK = 10_000_000L;

    /** Every readable process, grouped by session. */
    static Map<Long, List<ProcUsage>> bySession() {
        Map<Long, List<ProcUsage>> result = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path entry : entries) {
                try {
                    parse(Files.readString(entry.resolve("stat"), StandardCharsets.ISO_8859_1))
                            .ifPresent(u -> result.computeIfAbsent(u.session(), s -> new ArrayList<>()).add(u));
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException | RuntimeException e) {
            return result;
        }
        return result;
    }

    /**
     * Parses a stat line: {@code pid (comm) state ppid pgrp session ... utime stime ...}; fields are
     * counted from the last ')' since the command name may hold spaces and parentheses.
     */
    static Optional<ProcUsage> parse(String line) {
        int open = line.indexOf(" (");
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open || close + 2 >= line.length()) {
            return Optional.empty();
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        if (fields.length < 13) {
            return Optional.empty();
        }
        try {
            char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
            if (state == 'Z' || state == 'X' || state == 'x') {
                return Optional.empty();
            }
            return Optional.of(new ProcUsage(Long.parseLong(line.substring(0, open)), Long.parseLong(fields[3]),
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The resident memory of a process in bytes; 0 when it is gone or tells none (a kernel thread). */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
