package cloud.hop3.api.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one process of an app may use: memory, CPU, processes and open files. Each limit applies
 * to every process of the app on its own (each {@code web.N} gets the memory limit), the way a
 * dyno gets its size; a null component is not limited here and falls back to the next source
 * ({@link #over}).
 * <p>
 * Users write limits as {@code key=value} pairs, in hop3.toml {@code [run]}, with
 * {@code app:limits} and in the platform's defaults; {@link #with(String, String)} is the one
 * validator of those pairs.
 *
 * @param memoryBytes bytes of memory (resident and swap together); a process above it is killed
 * @param cpus        CPU time as a number of processors, {@code 0.5} is half of one
 * @param processes   processes and threads the process and its children may have at once
 * @param openFiles   files and sockets one process may hold open at once ({@code RLIMIT_NOFILE})
 */
public record ResourceLimits(Long memoryBytes, Double cpus, Integer processes, Integer openFiles) {

    /** Key of the memory limit, its value bytes with an optional unit: {@code 512M}, {@code 2G}. */
    public static final String MEMORY = "memory";
    /** Key of the CPU limit, its value a number of processors: {@code 0.5}, {@code 2}. */
    public static final String CPU = "cpu";
    /** Key of the process count limit, its value a whole number. */
    public static final String PROCESSES = "processes";
    /** Key of the open files limit, its value a whole number. */
    public static final String FILES = "files";
    /** Every key, in the order they are shown. */
    public static final List<String> KEYS = List.of(MEMORY, CPU, PROCESSES, FILES);

    /** Nothing limited. */
    public static final ResourceLimits NONE = new ResourceLimits(null, null, null, null);

    /** The smallest memory limit: below it no runtime starts, and the error would be obscure. */
    public static final long MIN_MEMORY = 4L * 1024 * 1024;
    /** The smallest open files limit a process can start with (its standard streams, a library or two). */
    public static final int MIN_FILES = 16;
    /** The smallest process count limit: the shell that starts a command and the command. */
    public static final int MIN_PROCESSES = 2;
    /** The largest number of processors a CPU limit may give. */
    public static final double MAX_CPUS = 1024;

    private static final Pattern MEMORY_VALUE = Pattern.compile("([0-9]{1,12})([KMGT]?)(I?B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CPU_VALUE = Pattern.compile("[0-9]{1,4}(\\.[0-9]{1,3})?");
    private static final Pattern COUNT_VALUE = Pattern.compile("[0-9]{1,9}");

    public ResourceLimits {
        if (memoryBytes != null && memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory must be at least 4M, not " + memoryBytes + " bytes");
        }
        if (cpus != null && !(cpus >= 0.01 && cpus <= MAX_CPUS)) {
            throw new IllegalArgumentException("cpu must be a number of processors from 0.01 to " + (int) MAX_CPUS + ", not " + cpus);
        }
        if (processes != null && processes < MIN_PROCESSES) {
            throw new IllegalArgumentException("processes must be at least " + MIN_PROCESSES + ", not " + processes);
        }
        if (openFiles != null && openFiles < MIN_FILES) {
            throw new IllegalArgumentException("files must be at least " + MIN_FILES + ", not " + openFiles);
        }
    }

    /**
     * These limits with one more set from a user's {@code key=value}; an empty value removes the
     * limit of that key.
     *
     * @throws IllegalArgumentException with a message for the user when the key is unknown or
     *                                  the value is not one of its form
     */
    public ResourceLimits with(String key, String value) {
        String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
        String v = value == null ? "" : value.trim();
        boolean clear = v.isEmpty();
        return switch (k) {
            case MEMORY -> new ResourceLimits(clear ? null : memory(v), cpus, processes, openFiles);
            case CPU -> new ResourceLimits(memoryBytes, clear ? null : cpus(v), processes, openFiles);
            case PROCESSES -> new ResourceLimits(memoryBytes, cpus, clear ? null : count(PROCESSES, v), openFiles);
            case FILES -> new ResourceLimits(memoryBytes, cpus, processes, clear ? null : count(FILES, v));
            default -> throw new IllegalArgumentException("unknown limit '" + key + "'; the limits are "
                    + String.join(", ", KEYS));
        };
    }

    /**
     * Limits from {@code key=value} pairs, as {@link #describe()} gives them.
     *
     * @throws IllegalArgumentException when a pair is not valid
     */
    public static ResourceLimits of(Map<String, String> values) {
        ResourceLimits limits = NONE;
        if (values != null) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                limits = limits.with(e.getKey(), e.getValue());
            }
        }
        return limits;
    }

    /** These limits where set, else those of {@code base}: an app's own limits over the platform's defaults. */
    public ResourceLimits over(ResourceLimits base) {
        return new ResourceLimits(memoryBytes != null ? memoryBytes : base.memoryBytes,
                cpus != null ? cpus : base.cpus,
                processes != null ? processes : base.processes,
                openFiles != null ? openFiles : base.openFiles);
    }

    /** Whether no limit is set. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The limits set, as {@code key -> value} in the form users write: {@code memory=512M}. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        if (memoryBytes != null) {
            out.put(MEMORY, memoryText(memoryBytes));
        }
        if (cpus != null) {
            out.put(CPU, cpus == Math.rint(cpus) ? String.valueOf(cpus.longValue()) : String.valueOf(cpus));
        }
        if (processes != null) {
            out.put(PROCESSES, String.valueOf(processes));
        }
        if (openFiles != null) {
            out.put(FILES, String.valueOf(openFiles));
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        describe().forEach((k, v) -> text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return text.length() == 0 ? "none" : text.toString();
    }

    private static long memory(String v) {
        Matcher m = MEMORY_VALUE.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("memory must be bytes with an optional unit K, M, G or T, such as 512M, not '" + v + "'");
        }
        long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            case "T" -> 1L << 40;
            default -> 1L;
        };
        long n = Long.parseLong(m.group(1));
        if (n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("memory " + v + " is too large");
        }
        long bytes = n * unit;
        if (bytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory must be at least 4M, not " + v);
        }
        return bytes;
    }

    private static double cpus(String v) {
        if (!CPU_VALUE.matcher(v).matches()) {
            throw new IllegalArgumentException("cpu must be a number of processors such as 0.5 or 2, not '" + v + "'");
        }
        double n = Double.parseDouble(v);
        if (n < 0.01 || n > MAX_CPUS) {
            throw new IllegalArgumentException("cpu must be from 0.01 to " + (int) MAX_CPUS + " processors, not " + v);
        }
        return n;
    }

    private static int count(String key, String v) {
        int min = key.equals(FILES) ? MIN_FILES : MIN_PROCESSES;
        if (!COUNT_VALUE.matcher(v).matches() || Integer.parseInt(v) < min) {
            throw new IllegalArgumentException(key + " must be a whole number of at least " + min + ", not '" + v + "'");
        }
        return Integer.parseInt(v);
    }

    private static String memoryText(long bytes) {
        String[] units = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return String.valueOf(bytes);
    }
}
