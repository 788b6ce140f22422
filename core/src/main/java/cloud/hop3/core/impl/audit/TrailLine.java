package cloud.hop3.core.impl.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.audit.AuditResult;

/**
 * One line of the trail file, in JSON: a record, whose hash is the SHA-256 of the previous hash,
 * a line feed, and the line's own text up to its {@code hash} field (closed by a brace); or, only
 * as a first line, a checkpoint left by retention, holding the sequence and hash of the last
 * record it removed. The hash covers the bytes as stored, so any change of a line is seen.
 */
final class TrailLine {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH_FIELD = ",\"hash\":\"";
    /** The length of what closes a record's line: the hash field, 64 hex digits, a quote and a brace. */
    private static final int TAIL = HASH_FIELD.length() + 64 + 2;

    private TrailLine() {
    }

    /** The line of a new record (without its line feed). */
    static String record(long sequence, Instant time, AuditEntry e, String previousHash) {
        ObjectNode n = JSON.createObjectNode();
        n.put("seq", sequence);
        n.put("time", time.toString());
        n.put("user", e.actor().user());
        n.put("door", e.actor().door().name().toLowerCase(Locale.ROOT));
        n.put("address", e.actor().address());
        n.put("action", e.action());
        n.put("target", e.target());
        n.put("result", e.result().toString());
        ArrayNode details = n.putArray("details");
        e.details().forEach(details::add);
        n.put("prev", previousHash);
        String content = write(n);
        String hash = hash(previousHash, content);
        return content.substring(0, content.length() - 1) + HASH_FIELD + hash + "\"}";
    }

    /** The first line of a trail whose older records were removed, up to and including {@code sequence}. */
    static String checkpoint(long sequence, String hash, Instant time, long removed) {
        ObjectNode n = JSON.createObjectNode();
        n.put("checkpoint", removed);
        n.put("seq", sequence);
        n.put("time", time.toString());
        n.put("hash", hash);
        return write(n);
    }

    /** Whether this line is a checkpoint (it may still be malformed). */
    static boolean isCheckpoint(String line) {
        return line.startsWith("{\"checkpoint\":");
    }

    /** A checkpoint's sequence and hash: what the first record after it continues from. */
    record Checkpoint(long sequence, String hash, long removed) {
    }

    static Checkpoint parseCheckpoint(String line) {
        JsonNode n = tree(line);
        String hash = text(n, "hash");
        if (!AuditRecord.HASH.matcher(hash).matches() || !n.path("seq").canConvertToLong()) {
            throw new IllegalArgumentException("a checkpoint needs a sequence and a hash");
        }
        return new Checkpoint(n.get("seq").asLong(), hash, n.path("checkpoint").asLong());
    }

    /**
     * The record on this line, its hash checked against its text.
     *
     * @throws IllegalArgumentException naming what is wrong when the line is not a record as written
     */
    static AuditRecord parse(String line) {
        if (line.length() <= TAIL || !line.startsWith("{\"seq\":") || !line.endsWith("\"}")
                || !line.startsWith(HASH_FIELD, line.length() - TAIL)) {
            throw new IllegalArgumentException("not a record as the trail writes them");
        }
        String content = line.substring(0, line.length() - TAIL) + "}";
        String stored = line.substring(line.length() - 66, line.length() - 2);
        JsonNode n = tree(line);
        String previous = text(n, "prev");
        if (!n.path("seq").canConvertToLong()) {
            throw new IllegalArgumentException("no sequence");
        }
        if (!hash(previous, content).equals(stored)) {
            throw new IllegalArgumentException("its hash does not match its content: the line was changed");
        }
        Door door;
        try {
            door = Door.valueOf(text(n, "door").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown door '" + text(n, "door") + "'");
        }
        List<String> details = new ArrayList<>();
        n.path("details").forEach(d -> details.add(d.asText()));
        AuditEntry entry = new AuditEntry(new Actor(text(n, "user"), door, text(n, "address")), text(n, "action"),
                text(n, "target"), AuditResult.parse(text(n, "result")), details);
        return new AuditRecord(n.get("seq").asLong(), Instant.parse(text(n, "time")), entry, previous, stored);
    }

    /** The {@code hash} field of a line, however damaged the rest is; empty when it has none. */
    static String storedHash(String line) {
        if (line.length() > TAIL && line.startsWith(HASH_FIELD, line.length() - TAIL)) {
            return line.substring(line.length() - 66, line.length() - 2);
        }
        return "";
    }

    static String hash(String previous, String content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            return HexFormat.of().formatHex(sha.digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    private static JsonNode tree(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("no " + field);
        }
        return v.asText();
    }

    private static String write(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
