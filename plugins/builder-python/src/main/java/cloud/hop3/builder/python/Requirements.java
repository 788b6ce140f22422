package cloud.hop3.builder.python;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What pip is asked to install, as far as it decides which virtualenv results: requirements.txt
 * and the files it includes with {@code -r} or {@code -c}, without comments, blank lines and
 * indentation, with continued lines joined. Two apps with the same {@link #normalised()} text get
 * the same packages from the same index, so they can share a virtualenv.
 * <p>
 * Requirements that install files of the app ({@code -e .}, {@code ./lib}, a wheel in the
 * repository, {@code --find-links ./wheels}) or include a file outside the app or missing cannot
 * be shared: the installed result depends on more than this text, and an editable install points
 * at one build's slug. {@link #localReference()} names the first such line.
 *
 * @param normalised     the requirements text, one file after the other, each under a {@code == path} line
 * @param localReference the first line that installs or includes something outside this text
 */
record Requirements(String normalised, Optional<String> localReference) {

    private static final int MAX_DEPTH = 10;
    private static final Pattern COMMENT = Pattern.compile("(^|\\s)#.*$");
    private static final Pattern INCLUDE = Pattern.compile("(?:-r|-c|--requirement|--constraint)(?:\\s*=\\s*|\\s*)(\\S+)");
    private static final Pattern OPTION_VALUE = Pattern.compile("(-e|--editable|-f|--find-links)(?:\\s*=\\s*|\\s+)(\\S+).*");
    /** PEP 508 {@code name[extras] @ url}. */
    private static final Pattern DIRECT_REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\s*(?:\\[[^]]*])?\\s*@\\s*(\\S+).*");
    private static final Pattern ARCHIVE = Pattern.compile(".*\\.(whl|zip|tar\\.gz|tgz|tar\\.bz2|tar)$");

    /** Reads requirements.txt of the slug, which must be a regular file inside it. */
    static Requirements read(Path slug) throws IOException {
        Path root = slug.toRealPath();
        StringBuilder text = new StringBuilder();
        List<String> local = new ArrayList<>();
        read(root, root.resolve(PythonProject.REQUIREMENTS), 0, new HashSet<>(), text, local);
        return new Requirements(text.toString(), local.stream().findFirst());
    }

    private static void read(Path root, Path file, int depth, Set<Path> seen, StringBuilder text, List<String> local)
            throws IOException {
        Path real = file.toRealPath();
        text.append("== ").append(root.relativize(real)).append('\n');
        if (!seen.add(real)) {
            return;
        }
        for (String line : lines(real)) {
            text.append(line).append('\n');
            Matcher include = INCLUDE.matcher(line);
            if (include.matches()) {
                String name = include.group(1);
                if (name.contains("://")) {
                    continue;
                }
                Optional<Path> included = inside(root, real.getParent(), name);
                if (included.isEmpty() || depth >= MAX_DEPTH) {
                    local.add(line);
                } else {
                    read(root, included.get(), depth + 1, seen, text, local);
                }
            } else if (installsFiles(line)) {
                local.add(line);
            }
        }
    }

    /** The file's lines as pip reads them: continued lines joined, comments and blank lines left out. */
    static List<String> lines(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder continued = new StringBuilder();
        for (String raw : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\\R", -1)) {
            String line = COMMENT.matcher(raw).replaceFirst("").strip();
            if (line.endsWith("\\")) {
                continued.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = (continued + line).strip().replaceAll("\\s+", " ");
            continued.setLength(0);
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        String last = continued.toString().strip();
        if (!last.isEmpty()) {
            lines.add(last);
        }
        return lines;
    }

    /** Whether a requirement line installs a file or directory rather than something from an index or URL. */
    static boolean installsFiles(String line) {
        Matcher option = OPTION_VALUE.matcher(line);
        if (option.matches()) {
            return isLocal(option.group(2));
        }
        if (line.startsWith("-")) {
            return false;
        }
        Matcher direct = DIRECT_REFERENCE.matcher(line);
        return isLocal(direct.matches() ? direct.group(1) : line.split("[\\s;]", 2)[0]);
    }

    private static boolean isLocal(String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            return true;
        }
        if (lower.contains("://") || lower.matches("(git|hg|svn|bzr)\\+.*")) {
            return false;
        }
        return lower.startsWith(".") || lower.startsWith("/") || lower.startsWith("~") || lower.contains("/")
                || ARCHIVE.matcher(lower).matches();
    }

    /** The named file, relative to {@code dir}, when it is a regular file whose real path is inside {@code root}. */
    private static Optional<Path> inside(Path root, Path dir, String name) throws IOException {
        try {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file) && file.toRealPath().startsWith(root)) {
                return Optional.of(file);
            }
        } catch (InvalidPathException e) {
            // not a file name pip could read either
        }
        return Optional.empty();
    }
}
