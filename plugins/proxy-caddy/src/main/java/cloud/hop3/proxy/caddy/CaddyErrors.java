package cloud.hop3.proxy.caddy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.hop3.plugin.support.server.OutputLines;

/** Caddy's own words about a configuration it refused, from its command output or its admin API. */
final class CaddyErrors {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_LINES = 10;

    private CaddyErrors() {
    }

    /**
     * The error lines of {@code caddy validate} or {@code caddy run} output: its {@code Error:} lines,
     * and the messages of its error-level log lines; the last lines when there is neither.
     */
    static String fromOutput(String output) {
        List<String> errors = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (String text : OutputLines.of(output)) {
            all.add(text);
            if (text.startsWith("Error:")) {
                errors.add(text.substring("Error:".length()).strip());
            } else if (text.startsWith("{")) {
                JsonNode log = json(text);
                if (log != null && ("error".equals(log.path("level").asText()) || "fatal".equals(log.path("level").asText()))) {
                    String error = log.path("error").asText("");
                    errors.add(log.path("msg").asText("") + (error.isEmpty() ? "" : ": " + error));
                }
            }
        }
        List<String> chosen = errors.isEmpty() ? all.subList(Math.max(0, all.size() - 3), all.size()) : errors;
        if (chosen.size() > MAX_LINES) {
            chosen = chosen.subList(chosen.size() - MAX_LINES, chosen.size());
        }
        return chosen.isEmpty() ? "(caddy printed nothing)" : String.join("\n", chosen);
    }

    /** The error of an admin API answer ({@code {"error": "..."}}), or its body. */
    static String fromAdmin(String body) {
        JsonNode answer = json(body.strip());
        if (answer != null && answer.hasNonNull("error")) {
            return answer.get("error").asText();
        }
        return body.strip();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
