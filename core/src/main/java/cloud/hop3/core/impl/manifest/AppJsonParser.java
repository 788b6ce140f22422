package cloud.hop3.core.impl.manifest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.ConfigVarName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.build.HealthCheck;

/**
 * Reads the parts of a Heroku / Dokku {@code app.json} that map to this platform's model. It is
 * their file, not ours: unknown fields are ignored, but malformed JSON, and values of the fields
 * read here that cannot be used, are errors.
 * <ul>
 * <li>{@code scripts.dokku.predeploy}: the release command (Dokku runs it once per deploy,
 * before the new release takes traffic). Heroku's {@code scripts.postdeploy} runs once when a
 * (review) app is created and {@code scripts.pr-predestroy} before it is destroyed: neither is a
 * per-deploy step, and neither is read.</li>
 * <li>{@code formation.<type>.quantity}: initial process counts.</li>
 * <li>{@code healthchecks.web}: Dokku's checks; the first startup check with a {@code path}
 * becomes the health check, with {@code content} as the expected text, and as timeout the time
 * Dokku would give it: {@code initialDelay + attempts * (timeout + wait)} (defaults 0, 3, 5, 5:
 * 30 seconds).</li>
 * <li>{@code env}: {@code "KEY": "value"} or {@code "KEY": { "value": ... }}; entries without a
 * value (required, or generated as secrets) are left to config vars.</li>
 * <li>{@code cron}: Dokku's {@code [{ "schedule": ..., "command": ... }]}.</li>
 * <li>{@code addons}: Heroku's {@code ["postgres", { "plan": "postgres:small", "as": "ANALYTICS" }]}; a
 * plan after {@code :} is not read, Heroku's own names ({@code heroku-postgresql}, {@code heroku-redis})
 * stand for {@code postgres} and {@code redis}, and {@code name} is this platform's addition.</li>
 * </ul>
 */
final class AppJsonParser {

    static final String FILE = "app.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AppJsonParser() {
    }

    static AppJson parse(String text) throws ManifestException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new ManifestException(FILE, "is too large or nested too deeply (" + e.getOriginalMessage() + ")");
        } catch (JacksonException e) {
            JsonLocation where = e.getLocation();
            String problem = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new ManifestException(FILE, where == null ? 0 : where.getLineNr(), where == null ? 0 : where.getColumnNr(),
                    "not valid JSON: " + problem);
        } catch (RuntimeException e) {
            throw new ManifestException(FILE, "is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new ManifestException(FILE, "is empty; an app.json holds a JSON object");
        }
        if (!root.isObject()) {
            throw new ManifestException(FILE, "must hold a JSON object, not " + root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return new AppJson(release(root), formation(root), healthCheck(root), env(root), cron(root), addons(root));
    }

    private static Optional<String> release(JsonNode root) throws ManifestException {
        JsonNode predeploy = root.path("scripts").path("dokku").path("predeploy");
        if (predeploy.isMissingNode() || predeploy.isNull()) {
            return Optional.empty();
        }
        if (!predeploy.isTextual() || predeploy.asText().isBlank()) {
            throw new ManifestException(FILE, "scripts.dokku.predeploy must be a command");
        }
        return Optional.of(predeploy.asText().strip());
    }

    private static Map<String, Integer> formation(JsonNode root) throws ManifestException {
        Map<String, Integer> formation = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> type : root.path("formation").properties()) {
            JsonNode quantity = type.getValue().path("quantity");
            if (quantity.isMissingNode()) {
                continue;
            }
            try {
                if (!quantity.isIntegralNumber() || !quantity.canConvertToInt()) {
                    throw new IllegalArgumentException("not a whole number");
                }
                Formation.checkCount(type.getKey(), quantity.asInt());
            } catch (IllegalArgumentException e) {
                throw new ManifestException(FILE, "formation." + type.getKey() + ".quantity must be a whole number from 0 to "
                        + Formation.MAX_PER_TYPE);
            }
            formation.put(type.getKey(), quantity.asInt());
        }
        return formation;
    }

    private static Optional<HealthCheck> healthCheck(JsonNode root) throws ManifestException {
        JsonNode checks = root.path("healthchecks").path("web");
        if (!checks.isMissingNode() && !checks.isArray()) {
            throw new ManifestException(FILE, "healthchecks.web must be a list of checks");
        }
        for (int i = 0; i < checks.size(); i++) {
            JsonNode check = checks.get(i);
            String type = check.path("type").asText("");
            if (!check.has("path") || !(type.isEmpty() || type.equals("startup"))) {
                continue;
            }
            String where = "healthchecks.web[" + i + "]";
            String path = check.path("path").asText("");
            if (!check.path("path").isTextual() || !path.startsWith("/") || path.chars().anyMatch(c -> c <= 0x20)) {
                throw new ManifestException(FILE, where + ".path must start with '/' and have no spaces");
            }
            long initialDelay = seconds(check, "initialDelay", 0, where);
            long attempts = seconds(check, "attempts", 3, where);
            long timeout = seconds(check, "timeout", 5, where);
            long wait = seconds(check, "wait", 5, where);
            Duration total = Duration.ofSeconds(initialDelay + Math.max(attempts, 1) * (timeout + wait));
            return Optional.of(new HealthCheck(path, check.path("content").asText(""), total));
        }
        return Optional.empty();
    }

    private static long seconds(JsonNode check, String field, long fallback, String where) throws ManifestException {
        JsonNode node = check.path(field);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || node.asLong() < 0 || node.asLong() > 3600) {
            throw new ManifestException(FILE, where + "." + field + " must be a whole number from 0 to 3600");
        }
        return node.asLong();
    }

    private static Map<String, String> env(JsonNode root) throws ManifestException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.path("env").properties()) {
            String key = entry.getKey();
            try {
                ConfigVarName.of(key);
            } catch (IllegalArgumentException e) {
                throw new ManifestException(FILE, "env: " + e.getMessage());
            }
            JsonNode value = entry.getValue().isObject() ? entry.getValue().path("value") : entry.getValue();
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw new ManifestException(FILE, "env." + key + " must be a string, a number or a boolean");
            }
            if (value.asText().indexOf('\0') >= 0) {
                throw new ManifestException(FILE, "env." + key + " contains a NUL character");
            }
            env.put(key, value.asText());
        }
        return env;
    }

    private static final Map<String, String> HEROKU_TYPES = Map.of("heroku-postgresql", "postgres",
            "heroku-redis", "redis");

    private static List<AddonDeclaration> addons(JsonNode root) throws ManifestException {
        List<AddonDeclaration> addons = new ArrayList<>();
        JsonNode list = root.path("addons");
        if (list.isMissingNode() || list.isNull()) {
            return addons;
        }
        if (!list.isArray()) {
            throw new ManifestException(FILE, "addons must be a list of add-on types or { \"plan\": ..., \"as\": ... }");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = "addons[" + i + "]";
            JsonNode plan = entry.isObject() ? entry.path("plan") : entry;
            if (!plan.isTextual()) {
                throw new ManifestException(FILE, where + " needs a plan: an add-on type such as \"postgres\"");
            }
            String type = plan.asText().split(":", 2)[0];
            type = HEROKU_TYPES.getOrDefault(type, type);
            String problem = AddonDeclaration.typeProblem(type);
            if (problem != null) {
                throw new ManifestException(FILE, where + ": " + problem);
            }
            Optional<String> name = text(entry, "name", where);
            if (name.isPresent() && !AddonName.isValid(name.get())) {
                throw new ManifestException(FILE, where + ".name: " + problemOf(name.get()));
            }
            Optional<String> prefix = text(entry, "as", where);
            if (prefix.isPresent() && AddonDeclaration.prefixProblem(prefix.get()) != null) {
                throw new ManifestException(FILE, where + ".as: " + AddonDeclaration.prefixProblem(prefix.get()));
            }
            addons.add(new AddonDeclaration(type, name, prefix));
        }
        return addons;
    }

    private static Optional<String> text(JsonNode entry, String field, String where) throws ManifestException {
        JsonNode node = entry.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new ManifestException(FILE, where + "." + field + " must be a string");
        }
        return Optional.of(node.asText());
    }

    private static String problemOf(String name) {
        try {
            AddonName.of(name);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static List<CronEntry> cron(JsonNode root) throws ManifestException {
        List<CronEntry> cron = new ArrayList<>();
        JsonNode tasks = root.path("cron");
        if (!tasks.isMissingNode() && !tasks.isArray()) {
            throw new ManifestException(FILE, "cron must be a list of { \"schedule\": ..., \"command\": ... }");
        }
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            String where = "cron[" + i + "]";
            if (!task.path("schedule").isTextual() || !task.path("command").isTextual()
                    || task.path("command").asText().isBlank()) {
                throw new ManifestException(FILE, where + " needs a schedule and a command");
            }
            String command = task.path("command").asText().strip();
            if (command.indexOf('\0') >= 0) {
                throw new ManifestException(FILE, where + ".command contains a NUL character");
            }
            String schedule = task.path("schedule").asText();
            try {
                CronSchedule parsed = CronSchedule.parse(schedule);
                cron.add(new CronEntry(parsed, command, parsed + " " + command));
            } catch (IllegalArgumentException e) {
                throw new ManifestException(FILE, where + ".schedule: " + e.getMessage());
            }
        }
        return cron;
    }
}
