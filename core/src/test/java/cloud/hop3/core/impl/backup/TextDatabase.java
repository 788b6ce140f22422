package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.ClientCommand;
import cloud.hop3.api.addon.Database;
import cloud.hop3.api.addon.DatabaseStatus;

/** A database plugin whose databases are strings in memory, and whose dump can be made to fail. */
final class TextDatabase implements Database {

    final Map<String, String> contents = new ConcurrentHashMap<>();
    volatile String failDump;
    volatile String failRestore;
    /** Restores lose the last row, as a dump that does not restore whole would. */
    volatile boolean loseARow;
    /** Whether it gives change marks (the contents themselves): off, every backup dumps. */
    volatile boolean marks;
    final AtomicInteger dumps = new AtomicInteger();

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public String describe() {
        return "text";
    }

    @Override
    public AddonCredentials create(AddonName name, Map<String, String> options) throws AddonException {
        if (contents.putIfAbsent(name.value(), "") != null) {
            throw new AddonException("exists: " + name);
        }
        return new AddonCredentials(Map.of("database", name.value(), "password", "pw-" + name));
    }

    @Override
    public void destroy(AddonName name, AddonCredentials credentials) {
        contents.remove(name.value());
    }

    @Override
    public AddonCredentials rotate(AddonName name, AddonCredentials current) {
        return current;
    }

    @Override
    public void retire(AddonName name, AddonCredentials old, AddonCredentials current) {
    }

    @Override
    public Map<String, String> environment(AddonCredentials credentials, String prefix) {
        return Map.of(prefix + "_URL", "text://" + credentials.values().get("database"));
    }

    @Override
    public String defaultPrefix() {
        return "DATABASE";
    }

    @Override
    public DatabaseStatus status(AddonName name, AddonCredentials credentials) {
        return new DatabaseStatus("1", "up", true, "");
    }

    @Override
    public ClientCommand client(AddonCredentials credentials) {
        return new ClientCommand(List.of("cat"), Map.of());
    }

    @Override
    public void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException {
        if (failDump != null) {
            throw new AddonException(failDump);
        }
        dumps.incrementAndGet();
        try {
            out.write(contents.getOrDefault(name.value(), "").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AddonException(e.getMessage(), e);
        }
    }

    @Override
    public void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException {
        if (failRestore != null) {
            throw new AddonException(failRestore);
        }
        try {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            contents.put(name.value(), loseARow ? text.substring(0, Math.max(0, text.lastIndexOf(' '))) : text);
        } catch (IOException e) {
            throw new AddonException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> changeMark(AddonName name, AddonCredentials credentials) {
        return marks ? Optional.of("text " + contents.getOrDefault(name.value(), "").replace(' ', '_')) : Optional.empty();
    }

    /** The words after "rows:" are the rows of table public.t. */
    @Override
    public Map<String, Long> count(AddonName name, AddonCredentials credentials) {
        return rows(contents.getOrDefault(name.value(), ""));
    }

    @Override
    public Map<String, Long> countDump(InputStream dump) throws AddonException {
        try {
            return rows(new String(dump.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AddonException(e.getMessage(), e);
        }
    }

    private static Map<String, Long> rows(String text) {
        if (!text.startsWith("rows:")) {
            return Map.of();
        }
        String rows = text.substring("rows:".length()).strip();
        return Map.of("public.t", rows.isEmpty() ? 0L : rows.split(" +").length);
    }
}
