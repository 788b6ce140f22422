package cloud.hop3.core.impl.manifest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.ConfigVarName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.ProcessType;
import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.StaticMapping;
import cloud.hop3.api.process.ResourceLimits;

/**
 * Parses hop3.toml with Hop3's own schema (Hop3 ADR 002 "Detailed hop3.toml Format" and the
 * validator Hop3 ships). The sections this platform acts on are read fully and strictly: an
 * unknown field in them, or an unknown top-level table, is an error naming its line.
 * <ul>
 * <li>{@code [build]}: {@code builder} (a name, or {@code { name, version }}; {@code auto} and
 * {@code local} mean "detect"), {@code toolchain} (the language, our builder name),
 * {@code before-build}, {@code build}, {@code after-build} (a command or a list, run in that
 * order). Read and not acted on: {@code packages}, {@code meta-packages}, {@code test},
 * {@code ignore}, {@code ignore-file}, {@code license}. Rejected as not supported yet: fields
 * that would change what is built or from where ({@code project}, {@code src-url},
 * {@code git-url}, {@code pip-install}, {@code node-version}, ...).</li>
 * <li>{@code [run]}: {@code start} (the web process), {@code before-run} (the release command;
 * {@code release} is accepted too), {@code [run.workers]} (more process types; {@code cron}
 * holds scheduled commands), {@code [run.scale]} (initial counts, a Hop3-for-the-JVM addition),
 * {@code [run.static]}, {@code start-timeout}, and the older {@code healthcheck} /
 * {@code healthcheck-timeout}. {@code packages} is read and not acted on.</li>
 * <li>{@code [env]}: plain values; numbers and booleans become their text. {@code _policy} is
 * read and not acted on; values computed from add-ons or generated are rejected.</li>
 * <li>{@code [healthcheck]}: {@code path}, {@code timeout} (seconds to wait for the new process
 * to answer, default {@code [run] start-timeout}, else 30), {@code contains} (text the answer
 * must hold, a Hop3-for-the-JVM addition); {@code interval} and {@code retries} are read and not
 * acted on; {@code command} checks are rejected.</li>
 * <li>{@code [static]}: URL prefix to app directory.</li>
 * <li>{@code [[addons]]}: {@code type}, {@code name} and {@code as} of each add-on the app needs.</li>
 * <li>{@code driver} (top level): the name of the process driver the app runs on, a
 * Hop3-for-the-JVM addition; whether it is installed is checked by the deploy.</li>
 * </ul>
 * The other documented tables ({@code [metadata]}, {@code [port]}, {@code [backup]},
 * {@code [[provider]]}, {@code [domains]}, {@code [docker]},
 * {@code [contexts]}, {@code [test]}, {@code [nix]}) are accepted and not read here.
 * <p>
 * Over 400 lines because it reads one schema, section by section, with a message for each way a
 * field can be wrong; which fields exist, and their types, is in {@link Hop3TomlSchema}.
 */
final class Hop3TomlParser {

    static final String FILE = "hop3.toml";

    private static final TomlMapper MAPPER = new TomlMapper();
    private static final Pattern BUILDER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern CRON = Pattern.compile("\\s*(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S.*?)\\s*");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(3600);

    private final TomlKeyLines lines;
    private final JsonNode root;

    private Hop3TomlParser(TomlKeyLines lines, JsonNode root) {
        this.lines = lines;
        this.root = root;
    }

    static Hop3Toml parse(String text) throws ManifestException {
        TomlKeyLines lines = TomlKeyLines.scan(text);
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new ManifestException(FILE, "is nested too deeply (" + e.getOriginalMessage() + ")");
        } catch (JacksonException e) {
            throw syntaxError(e, lines);
        } catch (RuntimeException e) {
            throw new ManifestException(FILE, "is not valid TOML");
        }
        return new Hop3TomlParser(lines, root).read();
    }

    private static ManifestException syntaxError(JacksonException e, TomlKeyLines lines) {
        String problem = e.getOriginalMessage() == null ? "not valid TOML" : e.getOriginalMessage();
        JsonLocation where = e.getLocation();
        int line = where == null ? 0 : where.getLineNr();
        // The TOML parser reports a duplicate key once it has read the line after it.
        if (problem.startsWith("Duplicate key") && lines.duplicateLine() > 0) {
            line = lines.duplicateLine();
        }
        return new ManifestException(FILE, line, "not valid TOML: " + problem);
    }

    private Hop3Toml read() throws ManifestException {
        Map<String, String> processes = new LinkedHashMap<>();
        List<CronEntry> cron = new ArrayList<>();
        Map<String, StaticMapping> statics = new LinkedHashMap<>();
        Map<String, Integer> scale = new LinkedHashMap<>();
        Map<String, Integer> scaleLines = new LinkedHashMap<>();
        if (root == null || !root.isObject()) {
            return new Hop3Toml(processes, Optional.empty(), cron, List.of(), Optional.empty(), Map.of(),
                    Optional.empty(), List.of(), scale, scaleLines, ResourceLimits.NONE, List.of(), Optional.empty());
        }
        checkTopLevel();
        JsonNode build = table("build");
        JsonNode run = table("run");
        JsonNode health = table("healthcheck");
        checkFields("build", build);
        checkFields("run", run);
        checkFields("healthcheck", health);

        Optional<String> builder = builder(build);
        List<String> buildCommands = new ArrayList<>();
        for (String field : List.of("before-build", "build", "after-build")) {
            buildCommands.addAll(commands(build, "build", field));
        }

        List<String> start = commands(run, "run", "start");
        if (!start.isEmpty()) {
            processes.put("web", String.join(" && ", start));
        }
        workers(run, processes, cron);
        Optional<String> release = release(run);
        scale(run, scale, scaleLines);
        statics(table("static"), List.of("static"), statics);
        statics(run.path("static"), List.of("run", "static"), statics);
        Map<String, String> env = env(table("env"));
        Optional<HealthCheck> healthCheck = healthCheck(health, run);
        return new Hop3Toml(processes, release, cron, List.copyOf(statics.values()), builder, env, healthCheck,
                buildCommands, scale, scaleLines, limits(run), addons(), driver());
    }

    private void checkTopLevel() throws ManifestException {
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            int line = lines.line(List.of(name));
            switch (name) {
                case "build", "run", "env", "healthcheck", "static" -> {
                    if (!value.isObject()) {
                        throw new ManifestException(FILE, line, "'" + name + "' must be a table: [" + name + "]");
                    }
                }
                case "addons" -> {
                    if (!value.isArray() || !allTables(value)) {
                        throw new ManifestException(FILE, line, "'addons' must be an array of tables: [[addons]]"
                                + " with type = \"postgres\"");
                    }
                }
                case "driver" -> {
                    if (!value.isTextual()) {
                        throw new ManifestException(FILE, line, "driver must be a string: the name of a process driver,"
                                + " such as driver = \"kubernetes\"");
                    }
                    if (!BUILDER.matcher(value.asText()).matches()) {
                        throw new ManifestException(FILE, line, "driver = \"" + value.asText() + "\" is not a process"
                                + " driver name: use lower-case letters, digits, '.', '-' and '_'");
                    }
                }
                case "component" -> throw new ManifestException(FILE, line, "[[component]] (Hop3 ADR 038) is not"
                        + " supported yet; declare processes with [run] start and [run.workers]");
                default -> {
                    if (Hop3TomlSchema.KNOWN_NOT_READ.contains(name)) {
                        continue;
                    }
                    if (value.isObject()) {
                        throw new ManifestException(FILE, line, "unknown table [" + name + "]");
                    }
                    if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
                        throw new ManifestException(FILE, line, "unknown table [[" + name + "]]");
                    }
                    throw new ManifestException(FILE, line, "unknown field '" + name + "' at the top level");
                }
            }
        }
    }

    private static boolean allTables(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code [[addons]]}: each with {@code type} (required), {@code name} (an add-on name; default
     * {@code <app>-<type>}) and {@code as} (the variables' prefix), no other field, and no name twice.
     */
    private List<AddonDeclaration> addons() throws ManifestException {
        List<AddonDeclaration> addons = new ArrayList<>();
        List<String> path = List.of("addons");
        JsonNode array = root.path("addons");
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode entry : array) {
            index++;
            String where = "[[addons]] number " + index;
            for (Map.Entry<String, JsonNode> field : entry.properties()) {
                String key = field.getKey();
                if (!key.equals("type") && !key.equals("name") && !key.equals("as")) {
                    throw error(path, "unknown field '" + key + "' in " + where + " (known: type, name, as)");
                }
                if (!field.getValue().isTextual()) {
                    throw error(path, where + ": " + key + " must be a string");
                }
            }
            if (!entry.has("type")) {
                throw error(path, where + " needs a type, for example type = \"postgres\"");
            }
            String type = entry.get("type").asText();
            String problem = AddonDeclaration.typeProblem(type);
            if (problem != null) {
                throw error(path, where + ": " + problem);
            }
            Optional<String> name = Optional.ofNullable(entry.get("name")).map(JsonNode::asText);
            if (name.isPresent()) {
                try {
                    AddonName.of(name.get());
                } catch (IllegalArgumentException e) {
                    throw error(path, where + ": " + e.getMessage());
                }
            }
            Optional<String> prefix = Optional.ofNullable(entry.get("as")).map(JsonNode::asText);
            if (prefix.isPresent() && AddonDeclaration.prefixProblem(prefix.get()) != null) {
                throw error(path, where + ": as = " + AddonDeclaration.prefixProblem(prefix.get()));
            }
            String key = name.orElse("<app>-" + type);
            if (!names.add(key)) {
                throw error(path, where + ": the add-on " + key + " is declared twice");
            }
            addons.add(new AddonDeclaration(type, name, prefix));
        }
        return addons;
    }

    /** The top-level {@code driver}, checked by {@link #checkTopLevel}. */
    private Optional<String> driver() {
        JsonNode node = root.path("driver");
        return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }

    private void checkFields(String section, JsonNode table) throws ManifestException {
        for (Map.Entry<String, JsonNode> field : table.properties()) {
            Optional<String> problem = Hop3TomlSchema.problem(section, field.getKey(), field.getValue());
            if (problem.isPresent()) {
                throw error(List.of(section, field.getKey()), problem.get());
            }
        }
    }

    private Optional<String> builder(JsonNode build) throws ManifestException {
        JsonNode node = build.path("builder");
        String builder = null;
        if (node.isTextual()) {
            builder = node.asText();
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                if (!name.equals("name") && !name.equals("version")) {
                    throw error(List.of("build", "builder", name), "unknown field '" + name + "' in [build] builder");
                }
            }
            if (!node.path("name").isTextual()) {
                throw error(List.of("build", "builder"), "[build] builder = { name = ..., version = ... } needs a name");
            }
            builder = node.path("name").asText();
        } else if (!node.isMissingNode()) {
            throw error(List.of("build", "builder"), "[build] builder must be a name or { name = ..., version = ... }");
        }
        if (builder != null && (builder.equals("auto") || builder.equals("local"))) {
            builder = null; // Hop3's "detect the toolchain and build on this machine": what we always do
        }
        String toolchain = build.path("toolchain").isTextual() ? build.path("toolchain").asText() : null;
        if (toolchain != null && builder != null && !builder.equals(toolchain)) {
            throw error(List.of("build", "toolchain"), "[build] builder '" + builder + "' and toolchain '" + toolchain
                    + "' disagree; give one of them");
        }
        String name = toolchain != null ? toolchain : builder;
        if (name == null) {
            return Optional.empty();
        }
        if (!BUILDER.matcher(name).matches()) {
            throw error(List.of("build", toolchain != null ? "toolchain" : "builder"), "'" + name
                    + "' is not a builder name: use lower-case letters, digits, '.', '-' and '_'");
        }
        return Optional.of(name);
    }

    private List<String> commands(JsonNode table, String section, String field) throws ManifestException {
        JsonNode node = table.path(field);
        List<String> commands = new ArrayList<>();
        if (node.isTextual()) {
            commands.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(item -> commands.add(item.asText()));
        }
        for (String command : commands) {
            if (command.isBlank()) {
                throw error(List.of(section, field), "[" + section + "] " + field + " has an empty command");
            }
            checkNoNul(command, List.of(section, field), "[" + section + "] " + field);
        }
        if (node.isArray() && commands.isEmpty() && field.equals("start")) {
            throw error(List.of(section, field), "[run] start is an empty list");
        }
        return commands;
    }

    private void workers(JsonNode run, Map<String, String> processes, List<CronEntry> cron) throws ManifestException {
        for (Map.Entry<String, JsonNode> worker : run.path("workers").properties()) {
            String name = worker.getKey();
            JsonNode value = worker.getValue();
            List<String> path = List.of("run", "workers", name);
            String problem = ProcessType.problem(name);
            if (problem != null) {
                throw error(path, "[run.workers] " + problem);
            }
            if (name.equals("cron")) {
                cronEntries(value, path, cron);
                continue;
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                throw error(path, "[run.workers] " + name + " must be a command");
            }
            String command = value.asText().strip();
            checkNoNul(command, path, "[run.workers] " + name);
            switch (name) {
                case "web" -> {
                    if (processes.containsKey("web")) {
                        throw error(path, "the web process is given twice: [run] start and [run.workers] web");
                    }
                }
                case "release", "prerun" -> throw error(path, "give the release command as [run] before-run,"
                        + " not as a worker");
                case "static" -> throw error(path, "give static directories in [static], not as a worker");
                case "prebuild", "postbuild" -> throw error(path, "give build commands in [build] before-build"
                        + " and after-build, not as workers");
                default -> {
                    if (ProcfileParser.isWsgi(name)) {
                        throw error(path, ProcfileParser.wsgiNotSupported(name, command));
                    }
                }
            }
            processes.put(name, command);
        }
    }

    private void cronEntries(JsonNode value, List<String> path, List<CronEntry> cron) throws ManifestException {
        List<String> specs = new ArrayList<>();
        if (value.isTextual()) {
            specs.add(value.asText());
        } else if (Hop3TomlSchema.isListOfStrings(value)) {
            value.forEach(item -> specs.add(item.asText()));
        } else {
            throw error(path, "[run.workers] cron must be \"<minute> <hour> <day> <month> <weekday> <command>\""
                    + " or a list of them");
        }
        for (String spec : specs) {
            checkNoNul(spec, path, "[run.workers] cron");
            Matcher m = CRON.matcher(spec);
            if (!m.matches()) {
                throw error(path, "[run.workers] cron needs five schedule fields and a command, for example"
                        + " \"0 3 * * * ./nightly.sh\"");
            }
            String schedule = m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4) + " " + m.group(5);
            try {
                cron.add(new CronEntry(CronSchedule.parse(schedule), m.group(6), spec.strip()));
            } catch (IllegalArgumentException e) {
                throw error(path, "[run.workers] cron " + e.getMessage());
            }
        }
    }

    private Optional<String> release(JsonNode run) throws ManifestException {
        List<String> beforeRun = commands(run, "run", "before-run");
        List<String> release = commands(run, "run", "release");
        if (!beforeRun.isEmpty() && !release.isEmpty()) {
            throw error(List.of("run", "release"), "[run] before-run and release both give the release command;"
                    + " keep before-run");
        }
        List<String> commands = beforeRun.isEmpty() ? release : beforeRun;
        return commands.isEmpty() ? Optional.empty() : Optional.of(String.join(" && ", commands));
    }

    /** {@code [run] memory}, {@code cpu}, {@code processes}, {@code files}: strings or numbers, checked by {@link ResourceLimits}. */
    private ResourceLimits limits(JsonNode run) throws ManifestException {
        ResourceLimits limits = ResourceLimits.NONE;
        for (String key : ResourceLimits.KEYS) {
            JsonNode value = run.get(key);
            if (value == null) {
                continue;
            }
            List<String> path = List.of("run", key);
            if (!value.isTextual() && !value.isNumber() || value.isTextual() && value.asText().isBlank()) {
                throw error(path, "[run] " + key + " must be a string or a number, such as " + example(key));
            }
            try {
                limits = limits.with(key, value.isTextual() ? value.asText() : value.numberValue().toString());
            } catch (IllegalArgumentException e) {
                throw error(path, "[run] " + e.getMessage());
            }
        }
        return limits;
    }

    private static String example(String key) {
        return switch (key) {
            case ResourceLimits.MEMORY -> "\"512M\"";
            case ResourceLimits.CPU -> "0.5";
            case ResourceLimits.PROCESSES -> "64";
            default -> "4096";
        };
    }

    private void scale(JsonNode run, Map<String, Integer> scale, Map<String, Integer> scaleLines) throws ManifestException {
        for (Map.Entry<String, JsonNode> entry : run.path("scale").properties()) {
            List<String> path = List.of("run", "scale", entry.getKey());
            JsonNode count = entry.getValue();
            try {
                if (!count.isIntegralNumber() || !count.canConvertToInt()) {
                    throw new IllegalArgumentException("not a whole number");
                }
                Formation.checkCount(entry.getKey(), count.asInt());
            } catch (IllegalArgumentException e) {
                throw error(path, "[run.scale] " + entry.getKey() + " must be a whole number from 0 to " + Formation.MAX_PER_TYPE);
            }
            scale.put(entry.getKey(), count.asInt());
            scaleLines.put(entry.getKey(), lines.lineOrAncestor(path));
        }
    }

    private void statics(JsonNode table, List<String> section, Map<String, StaticMapping> statics)
            throws ManifestException {
        String name = "[" + String.join(".", section) + "]";
        for (Map.Entry<String, JsonNode> entry : table.properties()) {
            List<String> path = new ArrayList<>(section);
            path.add(entry.getKey());
            if (!entry.getValue().isTextual()) {
                throw error(path, name + " '" + entry.getKey() + "' must be a directory name");
            }
            StaticMapping mapping;
            try {
                mapping = StaticPaths.mapping(entry.getKey(), entry.getValue().asText());
            } catch (IllegalArgumentException e) {
                throw error(path, name + " " + e.getMessage());
            }
            if (statics.putIfAbsent(mapping.urlPrefix(), mapping) != null) {
                throw error(path, name + " the URL prefix '" + mapping.urlPrefix() + "' is mapped twice");
            }
        }
    }

    private Map<String, String> env(JsonNode table) throws ManifestException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : table.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            List<String> path = List.of("env", key);
            if (key.equals("_policy")) {
                if (!value.isTextual() || !Set.of("keep-existing", "override").contains(value.asText())) {
                    throw error(path, "[env] _policy must be \"keep-existing\" or \"override\"");
                }
                continue; // Hop3's merge policy with config vars: config vars always win here.
            }
            try {
                ConfigVarName.of(key);
            } catch (IllegalArgumentException e) {
                throw error(path, "[env] " + e.getMessage());
            }
            if (value.isObject()) {
                throw error(path, "[env] " + key + ": values taken from add-ons or generated ({ from = ..., key = ... },"
                        + " { random = ... }) are not supported yet; give a plain value");
            }
            if (!value.isValueNode()) {
                throw error(path, "[env] " + key + " must be a string, a number or a boolean");
            }
            String text = scalarText(value);
            checkNoNul(text, path, "[env] " + key);
            env.put(key, text);
        }
        return env;
    }

    private Optional<HealthCheck> healthCheck(JsonNode health, JsonNode run) throws ManifestException {
        String path = null;
        List<String> pathField = null;
        if (health.has("path")) {
            path = health.path("path").asText();
            pathField = List.of("healthcheck", "path");
            if (run.has("healthcheck")) {
                throw error(List.of("run", "healthcheck"), "the health check path is given twice: [healthcheck] path"
                        + " and [run] healthcheck; keep [healthcheck]");
            }
        } else if (run.has("healthcheck")) {
            path = run.path("healthcheck").asText();
            pathField = List.of("run", "healthcheck");
        } else if (health.size() > 0) {
            throw error(List.of("healthcheck"), "[healthcheck] needs a path, for example path = \"/health\"");
        }
        if (path == null) {
            return Optional.empty();
        }
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw error(pathField, "the health check path '" + path + "' must start with '/' and have no spaces");
        }
        Duration timeout = DEFAULT_TIMEOUT;
        for (List<String> field : List.of(List.of("healthcheck", "timeout"), List.of("run", "healthcheck-timeout"),
                List.of("run", "start-timeout"))) {
            JsonNode node = (field.get(0).equals("run") ? run : health).path(field.get(1));
            if (!node.isMissingNode()) {
                timeout = seconds(node, field);
                break;
            }
        }
        String contains = health.path("contains").asText("");
        checkNoNul(contains, List.of("healthcheck", "contains"), "[healthcheck] contains");
        return Optional.of(new HealthCheck(path, contains, timeout));
    }

    private Duration seconds(JsonNode node, List<String> field) throws ManifestException {
        BigDecimal seconds = node.isNumber() && Double.isFinite(node.doubleValue()) ? node.decimalValue() : BigDecimal.ZERO;
        if (seconds.signum() <= 0 || seconds.compareTo(MAX_SECONDS) > 0) {
            throw error(field, "[" + field.get(0) + "] " + field.get(1) + " must be a number of seconds above 0 and at"
                    + " most " + MAX_SECONDS);
        }
        return Duration.ofMillis(seconds.movePointRight(3).longValue());
    }

    private JsonNode table(String name) {
        JsonNode node = root.path(name);
        return node.isObject() ? node : MAPPER.createObjectNode();
    }

    private ManifestException error(List<String> path, String problem) {
        return new ManifestException(FILE, lines.lineOrAncestor(path), problem);
    }

    private void checkNoNul(String text, List<String> path, String what) throws ManifestException {
        if (text.indexOf('\0') >= 0) {
            throw error(path, what + " contains a NUL character");
        }
    }

    /** The text of a TOML scalar as a developer would expect it in an environment variable. */
    private static String scalarText(JsonNode value) {
        if (value.isFloatingPointNumber()) {
            double d = value.doubleValue();
            if (Double.isNaN(d)) {
                return "nan";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "inf" : "-inf";
            }
            return value.decimalValue().toPlainString();
        }
        return value.asText();
    }
}
