package cloud.hop3.proxy.caddy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.hop3.plugin.support.accesslog.LoggedRequest;

/**
 * Reads a line of Caddy's request log ({@link CaddyFiles#REQUESTS}): a JSON object with
 * {@code request.host} (the Host header as sent: its port and case are dropped), {@code status}
 * and {@code duration} in seconds (nanosecond resolution). Stateless; any thread.
 */
final class CaddyRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CaddyRequests() {
    }

    /** The request of {@code line}, or null when the line is not one of the request log. */
    static LoggedRequest parse(String line) {
        JsonNode entry;
        try {
            entry = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (entry == null || !CaddyConfigWriter.REQUEST_LOGGER.equals(entry.path("logger").asText())) {
            return null;
        }
        JsonNode host = entry.path("request").path("host");
        JsonNode status = entry.path("status");
        JsonNode duration = entry.path("duration");
        if (!host.isTextual() || !status.canConvertToInt() || !duration.isNumber()) {
            return null;
        }
        int code = status.asInt();
        long nanos = LoggedRequest.seconds(duration.asDouble());
        if (code < 100 || code > 599 || nanos < 0) {
            return null;
        }
        return new LoggedRequest(LoggedRequest.host(host.asText()), code, nanos);
    }
}
