package cloud.hop3.plugin.support.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few facts builders need from an app's {@code Procfile}: its process lines, which of them
 * run for as long as the app runs, and the command of a process type. Deliberately minimal and
 * lenient: core owns the full Procfile parser (and refuses a bad Procfile at deploy), and a
 * plugin does not depend on core.
 * <p>
 * A line is {@code name: command}; blank lines, {@code #} comments and lines of any other shape
 * are ignored. Only the first {@value #MAX_BYTES} bytes are read, which keeps detection fast.
 *
 * @param entries the process lines, in file order
 */
public record Procfile(List<Procfile.Entry> entries) {

    public static final String FILE_NAME = "Procfile";
    public static final int MAX_BYTES = 64 * 1024;
    /** Kinds of line that start no process between deploys: run once, on a schedule, at build time, or served as files. */
    public static final Set<String> NOT_LONG_RUNNING = Set.of("release", "prerun", "cron", "static", "prebuild",
            "postbuild");
    /** A Procfile without lines, as a missing one reads. */
    public static final Procfile EMPTY = new Procfile(List.of());

    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_-]+)\\s*:(.*)");

    public Procfile {
        entries = List.copyOf(entries);
    }

    /**
     * One process line.
     *
     * @param lineNumber 1-based line number in the file
     * @param name       the process type ({@code web}, {@code worker}, {@code static}, ...)
     * @param command    what follows the colon, trimmed; may be empty
     */
    public record Entry(int lineNumber, String name, String command) {

        /** A process that runs for as long as the app runs, with a command to run. */
        public boolean longRunning() {
            return !NOT_LONG_RUNNING.contains(name) && !command.isEmpty();
        }

        /** The line as the user wrote it, normalised: {@code web: ./server}. */
        public String shown() {
            return command.isEmpty() ? name + ":" : name + ": " + command;
        }
    }

    /**
     * Reads the Procfile at the top of {@code source}; empty when there is none, or when it is a
     * symbolic link leading outside {@code source}.
     */
    public static Optional<Procfile> read(Path source) throws IOException {
        Path file = source.resolve(FILE_NAME);
        if (!AppFiles.inside(source, file)) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        }
        return Optional.of(parse(new String(bytes, StandardCharsets.UTF_8)));
    }

    public static Procfile parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()) {
                entries.add(new Entry(i + 1, matcher.group(1), matcher.group(2).strip()));
            }
        }
        return new Procfile(entries);
    }

    /** The lines that declare long-running processes, in file order. */
    public List<Entry> longRunning() {
        return entries.stream().filter(Entry::longRunning).toList();
    }

    /** The first line declaring process type {@code name}. */
    public Optional<Entry> first(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The command of the first line of process type {@code name} that has one. */
    public Optional<String> command(String name) {
        return entries.stream().filter(e -> e.name().equals(name) && !e.command().isEmpty()).map(Entry::command)
                .findFirst();
    }
}
