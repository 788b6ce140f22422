package cloud.hop3.builder.python;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.plugin.support.build.AppFiles;

/**
 * What a source tree says about a Python app, from its files only. A file counts only when it
 * is a regular file whose real path stays inside the tree, so a link cannot make the builder read
 * files of the server.
 */
final class PythonProject {

    static final String REQUIREMENTS = "requirements.txt";
    static final String RUNTIME = "runtime.txt";
    /** Files that make a tree a Python app, in the order they are reported. */
    static final List<String> MARKERS = List.of(REQUIREMENTS, "pyproject.toml", "setup.py", "Pipfile");

    private static final int MAX_RUNTIME_BYTES = 4096;
    private static final Pattern RUNTIME_VERSION = Pattern.compile("python-(\\S+)", Pattern.CASE_INSENSITIVE);

    private PythonProject() {
    }

    /** Why the tree is a Python app ({@code found requirements.txt}); empty when it is not one. */
    static Optional<String> detect(Path source) {
        try {
            for (String marker : MARKERS) {
                if (file(source, marker).isPresent()) {
                    return Optional.of("found " + marker);
                }
            }
            Optional<String> runtime = runtime(source);
            if (runtime.isPresent() && runtime.get().toLowerCase(Locale.ROOT).contains("python")) {
                return Optional.of("found python in " + RUNTIME);
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable tree is not claimed
        }
        return Optional.empty();
    }

    /** The markers present in the tree, in {@link #MARKERS} order. */
    static List<String> markers(Path source) throws IOException {
        List<String> found = new ArrayList<>();
        for (String marker : MARKERS) {
            if (file(source, marker).isPresent()) {
                found.add(marker);
            }
        }
        return found;
    }

    /** The Python version that runtime.txt asks for, Heroku style ({@code python-3.12.1} gives {@code 3.12.1}). */
    static Optional<String> runtimeVersion(Path source) throws IOException {
        return runtime(source).map(RUNTIME_VERSION::matcher).filter(Matcher::find).map(m -> m.group(1));
    }

    /**
     * Whether requirements.txt lists anything for pip: a line that is neither blank nor a
     * comment. False when there is no requirements.txt.
     */
    static boolean hasRequirements(Path source) throws IOException {
        Optional<Path> file = file(source, REQUIREMENTS);
        if (file.isEmpty()) {
            return false;
        }
        try (BufferedReader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                String text = line.strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<String> runtime(Path source) throws IOException {
        Optional<Path> file = file(source, RUNTIME);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            return Optional.of(new String(in.readNBytes(MAX_RUNTIME_BYTES), StandardCharsets.UTF_8));
        }
    }

    /** The named file at the top of the tree, if it is a regular file inside it. */
    static Optional<Path> file(Path source, String name) throws IOException {
        Path file = source.resolve(name);
        return AppFiles.inside(source, file) ? Optional.of(file) : Optional.empty();
    }
}
