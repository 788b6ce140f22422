package cloud.hop3.builder.staticsite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few facts this builder needs from an app's {@code Procfile}: which process types it
 * declares, on which line. Deliberately minimal: core owns the full Procfile parser, and a plugin
 * does not depend on core.
 * <p>
 * A line is {@code name: command}; blank lines, {@code #} comments and lines of any other shape
 * are ignored. Only the first {@value #MAX_BYTES} bytes are read, which keeps detection fast.
 *
 * @param entries the process lines, in file order
 */
record Procfile(List<Procfile.Entry> entries) {

    static final String FILE_NAME = "Procfile";
    static final int MAX_BYTES = 64 * 1024;

    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_-]+)\\s*:(.*)");
    private static final Procfile EMPTY = new Procfile(List.of());

    Procfile {
        entries = List.copyOf(entries);
    }

    /**
     * One process line.
     *
     * @param lineNumber 1-based line number in the file
     * @param name       the process type ({@code web}, {@code static}, ...)
     * @param command    what follows the colon, trimmed; may be empty
     */
    record Entry(int lineNumber, String name, String command) {

        /** The line as the user wrote it, normalised: {@code static: www}. */
        String shown() {
            return command.isEmpty() ? name + ":" : name + ": " + command;
        }
    }

    /**
     * Reads the Procfile at the top of {@code source}. A missing Procfile, or one that is a
     * symbolic link leading outside {@code source}, reads as empty.
     */
    static Procfile read(Path source) throws IOException {
        Path file = source.resolve(FILE_NAME);
        if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(source.toRealPath())) {
            return EMPTY;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    static Procfile parse(String text) {
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

    /** The first line declaring process type {@code name}. */
    Optional<Entry> first(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
