package cloud.hop3.core.impl.manifest;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hop3's hop3.toml schema, field by field, and what this platform does with each field: read
 * it, accept it without acting on it, or refuse it as not supported yet. The fields are those of
 * Hop3's ADR 002 "Detailed hop3.toml Format" and of the validator Hop3 ships, plus
 * {@code [run] release}, {@code [run.scale]}, {@code [healthcheck] contains} and the limits
 * {@code [run] memory}, {@code cpu}, {@code processes} and {@code files}, which this platform adds. A field in none of these tables is unknown, and an error.
 */
final class Hop3TomlSchema {

    /** Top-level tables that Hop3 documents and this platform accepts without reading them. */
    static final Set<String> KNOWN_NOT_READ = Set.of("metadata", "port", "backup", "provider",
            "domains", "docker", "contexts", "test", "nix");

    private enum Kind {
        STRING("a string"),
        COMMANDS("a command or a list of commands"),
        LIST("a list of strings"),
        NUMBER("a number"),
        TABLE("a table"),
        ANY("");

        final String text;

        Kind(String text) {
            this.text = text;
        }

        boolean accepts(JsonNode node) {
            return switch (this) {
                case STRING -> node.isTextual();
                case COMMANDS -> node.isTextual() || isListOfStrings(node);
                case LIST -> isListOfStrings(node);
                case NUMBER -> node.isNumber();
                case TABLE -> node.isObject();
                case ANY -> true;
            };
        }
    }

    /** How this platform treats a field that Hop3 defines. */
    private enum Use { READ, NOT_ACTED_ON, NOT_SUPPORTED }

    private record Field(Kind kind, Use use) {
    }

    private static final Map<String, Field> BUILD = Map.ofEntries(
            Map.entry("builder", new Field(Kind.ANY, Use.READ)),
            Map.entry("toolchain", new Field(Kind.STRING, Use.READ)),
            Map.entry("before-build", new Field(Kind.COMMANDS, Use.READ)),
            Map.entry("build", new Field(Kind.COMMANDS, Use.READ)),
            Map.entry("after-build", new Field(Kind.COMMANDS, Use.READ)),
            Map.entry("packages", new Field(Kind.LIST, Use.NOT_ACTED_ON)),
            Map.entry("meta-packages", new Field(Kind.LIST, Use.NOT_ACTED_ON)),
            Map.entry("test", new Field(Kind.COMMANDS, Use.NOT_ACTED_ON)),
            Map.entry("ignore", new Field(Kind.LIST, Use.NOT_ACTED_ON)),
            Map.entry("ignore-file", new Field(Kind.STRING, Use.NOT_ACTED_ON)),
            Map.entry("license", new Field(Kind.STRING, Use.NOT_ACTED_ON)),
            Map.entry("pip-install", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("node-version", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("project", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("src-url", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("src-checksum", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("git-url", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("git-branch", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("base-image", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("method", new Field(Kind.ANY, Use.NOT_SUPPORTED)),
            Map.entry("builders", new Field(Kind.ANY, Use.NOT_SUPPORTED)));

    private static final Map<String, Field> RUN = Map.ofEntries(
            Map.entry("start", new Field(Kind.COMMANDS, Use.READ)),
            Map.entry("before-run", new Field(Kind.COMMANDS, Use.READ)),
            Map.entry("release", new Field(Kind.STRING, Use.READ)),
            Map.entry("workers", new Field(Kind.TABLE, Use.READ)),
            Map.entry("scale", new Field(Kind.TABLE, Use.READ)),
            Map.entry("static", new Field(Kind.TABLE, Use.READ)),
            Map.entry("start-timeout", new Field(Kind.NUMBER, Use.READ)),
            Map.entry("healthcheck", new Field(Kind.STRING, Use.READ)),
            Map.entry("healthcheck-timeout", new Field(Kind.NUMBER, Use.READ)),
            Map.entry("packages", new Field(Kind.LIST, Use.NOT_ACTED_ON)),
            Map.entry("memory", new Field(Kind.ANY, Use.READ)),
            Map.entry("cpu", new Field(Kind.ANY, Use.READ)),
            Map.entry("processes", new Field(Kind.ANY, Use.READ)),
            Map.entry("files", new Field(Kind.ANY, Use.READ)));

    private static final Map<String, Field> HEALTHCHECK = Map.of(
            "path", new Field(Kind.STRING, Use.READ),
            "timeout", new Field(Kind.NUMBER, Use.READ),
            "contains", new Field(Kind.STRING, Use.READ),
            "interval", new Field(Kind.NUMBER, Use.NOT_ACTED_ON),
            "retries", new Field(Kind.NUMBER, Use.NOT_ACTED_ON),
            "command", new Field(Kind.ANY, Use.NOT_SUPPORTED));

    private static final Map<String, Map<String, Field>> SECTIONS = Map.of("build", BUILD, "run", RUN,
            "healthcheck", HEALTHCHECK);

    private Hop3TomlSchema() {
    }

    /**
     * Why a field of {@code [build]}, {@code [run]} or {@code [healthcheck]} cannot be used as
     * given, or empty when it can.
     */
    static Optional<String> problem(String section, String name, JsonNode value) {
        Field field = SECTIONS.get(section).get(name);
        if (field == null) {
            return Optional.of("unknown field '" + name + "' in [" + section + "]");
        }
        if (field.use() == Use.NOT_SUPPORTED) {
            return Optional.of("[" + section + "] " + name + " is a Hop3 field that this platform does not support yet");
        }
        if (!field.kind().accepts(value)) {
            return Optional.of("[" + section + "] " + name + " must be " + field.kind().text);
        }
        return Optional.empty();
    }

    static boolean isListOfStrings(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
