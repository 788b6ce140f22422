package cloud.hop3.core.impl.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.api.app.ProcessType;
import cloud.hop3.api.build.StaticMapping;

/**
 * Parses a Procfile: one {@code name: command} per line; blank lines and lines starting with
 * {@code #} are ignored; CRLF line endings are accepted.
 * <p>
 * Names are {@link ProcessType}s: {@code [a-z][a-z0-9_-]*}, not case-folded. Most
 * names are long-running process types ({@code web}, {@code worker}, anything else); a few are
 * kinds with a meaning of their own:
 * <ul>
 * <li>{@code release: cmd} runs once per deploy before the new release takes traffic; Hop3's
 * {@code prerun: cmd} is the same (one of the two);</li>
 * <li>{@code cron: m h dom mon dow cmd} runs {@code cmd} on a schedule; several lines allowed;</li>
 * <li>{@code static: dir} serves the app directory {@code dir} at {@code /};</li>
 * <li>Hop3's {@code prebuild: cmd} and {@code postbuild: cmd} are build commands;</li>
 * <li>Piku's {@code wsgi:}, {@code jwsgi:} and {@code rwsgi:} (uWSGI loading a module) are
 * rejected with the {@code web:} line to write instead: Hop3 runs every web process as a
 * command that listens on {@code $PORT}.</li>
 * </ul>
 * Every other name may appear once.
 */
final class ProcfileParser {

    static final String FILE = "Procfile";

    private static final Pattern CRON = Pattern.compile("(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S.*)");

    private ProcfileParser() {
    }

    static Procfile parse(String text) throws ManifestException {
        Map<String, String> processes = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        String release = null;
        List<CronEntry> cron = new ArrayList<>();
        List<StaticMapping> statics = new ArrayList<>();
        String prebuild = null;
        String postbuild = null;

        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String raw = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            checkCharacters(line, number);
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new ManifestException(FILE, number, "expected 'name: command', but there is no ':'");
            }
            String name = line.substring(0, colon).strip();
            String command = line.substring(colon + 1).strip();
            checkName(name, number);
            if (command.isEmpty()) {
                throw new ManifestException(FILE, number, "'" + name + "' has an empty command");
            }
            if (!name.equals("cron")) {
                Integer first = seen.putIfAbsent(name, number);
                if (first != null) {
                    throw new ManifestException(FILE, number, "'" + name + "' is declared twice (first on line " + first + ")");
                }
            }
            switch (name) {
                case "cron" -> cron.add(cron(command, line, number));
                case "release", "prerun" -> {
                    String other = name.equals("release") ? "prerun" : "release";
                    if (seen.containsKey(other)) {
                        throw new ManifestException(FILE, number, "'release' and 'prerun' both give the release command"
                                + " (the other is on line " + seen.get(other) + "); keep one");
                    }
                    release = command;
                }
                case "static" -> {
                    try {
                        statics.add(StaticPaths.mapping("/", command));
                    } catch (IllegalArgumentException e) {
                        throw new ManifestException(FILE, number, e.getMessage());
                    }
                }
                case "prebuild" -> prebuild = command;
                case "postbuild" -> postbuild = command;
                case "wsgi", "jwsgi", "rwsgi" -> throw new ManifestException(FILE, number,
                        wsgiNotSupported(name, command));
                default -> processes.put(name, command);
            }
        }
        List<String> build = new ArrayList<>();
        if (prebuild != null) {
            build.add(prebuild);
        }
        if (postbuild != null) {
            build.add(postbuild);
        }
        return new Procfile(processes, Optional.ofNullable(release), cron, statics, build);
    }

    private static void checkCharacters(String line, int number) throws ManifestException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new ManifestException(FILE, number, String.format("contains the control character U+%04X", (int) c));
            }
        }
    }

    private static void checkName(String name, int number) throws ManifestException {
        if (name.isEmpty()) {
            throw new ManifestException(FILE, number, "the process type before ':' is empty");
        }
        String problem = ProcessType.problem(name);
        if (problem != null) {
            throw new ManifestException(FILE, number, problem);
        }
    }

    /** The message for Piku's uWSGI kinds, which Hop3 does not run (also in hop3.toml's workers). */
    static String wsgiNotSupported(String kind, String module) {
        return "'" + kind + "' (uWSGI loading a module) is not supported; declare a web process that listens on $PORT"
                + " instead, for example 'web: gunicorn " + module + " --bind 0.0.0.0:$PORT'";
    }

    static boolean isWsgi(String kind) {
        return kind.equals("wsgi") || kind.equals("jwsgi") || kind.equals("rwsgi");
    }

    private static CronEntry cron(String value, String line, int number) throws ManifestException {
        Matcher m = CRON.matcher(value);
        if (!m.matches()) {
            int fields = value.split("\\s+").length;
            throw new ManifestException(FILE, number, fields == 5
                    ? "cron has a schedule but no command"
                    : "cron needs five schedule fields and a command, for example 'cron: 0 3 * * * ./nightly.sh'");
        }
        String schedule = m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4) + " " + m.group(5);
        try {
            return new CronEntry(CronSchedule.parse(schedule), m.group(6), line);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(FILE, number, "cron " + e.getMessage());
        }
    }
}
