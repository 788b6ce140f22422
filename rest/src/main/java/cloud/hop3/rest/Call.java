package cloud.hop3.rest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupId;

/**
 * One call of a route: the request, the values of its path, who makes it, and the readers of
 * its query and body that refuse bad input with a 400 naming what is wrong.
 */
final class Call {

    private final ApiRequest request;
    private final Map<String, String> values;
    private final Actor actor;
    private final Map<String, List<String>> parameters;
    private JsonNode body;

    Call(ApiRequest request, Map<String, String> values, Actor actor) {
        this.request = request;
        this.values = values;
        this.actor = actor;
        this.parameters = request.parameters();
    }

    ApiRequest request() {
        return request;
    }

    Actor actor() {
        return actor;
    }

    /** A value of the path, as given. */
    String path(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("No {" + name + "} in this route");
        }
        return v;
    }

    /** The path's {@code {app}}, validated. */
    AppName app() {
        return appName(path("app"), "invalid-app-name");
    }

    /** The path's {@code {addon}}, validated. */
    AddonName addon() {
        try {
            return AddonName.of(path("addon"));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-addon-name", e.getMessage());
        }
    }

    /** The path's {@code {backup}}, validated. */
    BackupId backup() {
        try {
            return BackupId.of(path("backup"));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-backup-id", e.getMessage());
        }
    }

    static AppName appName(String text, String code) {
        try {
            return AppName.of(text);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(code, e.getMessage());
        }
    }

    // --- query ---------------------------------------------------------------------------

    /** A query parameter given once, if given; refuses parameters the route does not take. */
    Optional<String> query(String name) {
        List<String> v = parameters.get(name);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if (v.size() > 1) {
            throw Problem.badRequest("invalid-query", "The query parameter '" + name + "' is given more than once.");
        }
        return Optional.of(v.get(0));
    }

    /** Refuses a query parameter not in {@code known}. */
    Call onlyQuery(String... known) {
        Set<String> allowed = Set.of(known);
        for (String name : parameters.keySet()) {
            if (!allowed.contains(name)) {
                throw Problem.badRequest("invalid-query", "Unknown query parameter '" + Texts.shown(name) + "'"
                        + (known.length == 0 ? "; this request takes none." : "; this request takes " + String.join(", ", known) + "."));
            }
        }
        return this;
    }

    int intQuery(String name, int fallback, int min, int max) {
        Optional<String> v = query(name);
        if (v.isEmpty()) {
            return fallback;
        }
        if (!v.get().matches("[0-9]{1,9}") || Integer.parseInt(v.get()) < min || Integer.parseInt(v.get()) > max) {
            throw Problem.badRequest("invalid-query", "'" + name + "' is a whole number from " + min + " to " + max
                    + ", not '" + Texts.shown(v.get()) + "'.");
        }
        return Integer.parseInt(v.get());
    }

    boolean boolQuery(String name) {
        Optional<String> v = query(name);
        if (v.isEmpty()) {
            return false;
        }
        return switch (v.get()) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw Problem.badRequest("invalid-query", "'" + name + "' is true or false, not '" + Texts.shown(v.get()) + "'.");
        };
    }

    // --- body ----------------------------------------------------------------------------

    /** The body, a JSON object with no field but those named; an empty body is an empty object. */
    ObjectNode object(String... fields) {
        JsonNode node = json();
        if (node.isMissingNode() || node.isNull()) {
            node = Json.MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw Problem.badRequest("invalid-body", "The body is a JSON object, not " + kind(node) + ".");
        }
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw Problem.badRequest("invalid-body", "Unknown field '" + Texts.shown(f) + "'"
                        + (fields.length == 0 ? "; this request takes no field." : "; this request takes " + String.join(", ", fields) + "."));
            }
        }
        return (ObjectNode) node;
    }

    /** The body as JSON (a missing node when empty); refuses what is not JSON. */
    JsonNode json() {
        if (body != null) {
            return body;
        }
        byte[] bytes = request.body();
        if (bytes.length == 0) {
            body = Json.MAPPER.missingNode();
            return body;
        }
        String type = request.header("content-type").orElse("").toLowerCase(java.util.Locale.ROOT);
        if (!(type.startsWith("application/json") || type.startsWith("application/merge-patch+json"))) {
            throw new Problem(415, "unsupported-media-type", "The body is JSON, sent with Content-Type: application/json"
                    + (type.isEmpty() ? "; none was given." : ", not " + Texts.shown(type) + "."));
        }
        try {
            body = Json.READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("invalid-body", "The body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")") + ".");
        } catch (IOException e) {
            throw Problem.badRequest("invalid-body", "The body cannot be read: " + e.getMessage());
        }
        if (body == null) {
            body = Json.MAPPER.missingNode();
        }
        return body;
    }

    static String text(ObjectNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw Problem.badRequest("invalid-body", "The field '" + field + "' is required.");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw Problem.badRequest("invalid-body", "The field '" + field + "' is a string, not " + kind(v) + ".");
        }
        return v.textValue();
    }

    static Integer integer(ObjectNode body, String field, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw Problem.badRequest("invalid-body", "The field '" + field + "' is a whole number from " + min + " to "
                    + max + ", not " + Texts.shown(v.toString()) + ".");
        }
        return v.intValue();
    }

    static Boolean bool(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw Problem.badRequest("invalid-body", "The field '" + field + "' is true or false, not " + kind(v) + ".");
        }
        return v.booleanValue();
    }

    static List<String> texts(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw Problem.badRequest("invalid-body", "The field '" + field + "' is a list of strings, not " + kind(v) + ".");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw Problem.badRequest("invalid-body", "The field '" + field + "' is a list of strings; it holds " + kind(e) + ".");
            }
            out.add(e.textValue());
        }
        return out;
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> "nothing";
        };
    }
}
