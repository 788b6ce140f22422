package cloud.hop3.core.impl.addon;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.ClientCommand;
import cloud.hop3.api.addon.Database;
import cloud.hop3.api.addon.DatabaseStatus;

/**
 * A database plugin that keeps its databases in memory: the plugin side of the contract, for the
 * add-on service's tests. Each database knows the passwords that open it, so a test can tell which
 * credentials work.
 */
final class InMemoryDatabase implements Database {

    private final String type;
    private final String defaultPrefix;
    private final Map<String, Set<String>> databases = new ConcurrentHashMap<>();
    private final AtomicInteger passwords = new AtomicInteger();
    private final Map<String, String> contents = new ConcurrentHashMap<>();
    private volatile String failRestore;

    InMemoryDatabase(String type, String defaultPrefix) {
        this.type = type;
        this.defaultPrefix = defaultPrefix;
    }

    /** The passwords that open {@code name} now; empty when it does not exist. */
    Set<String> passwords(String name) {
        return Set.copyOf(databases.getOrDefault(name, Set.of()));
    }

    /** What the database {@code name} holds, as its apps wrote it. */
    String contents(String name) {
        return contents.getOrDefault(name, "");
    }

    void write(String name, String text) {
        contents.put(name, text);
    }

    /** Makes the next restores fail with this message; null: they work. */
    void failRestores(String message) {
        failRestore = message;
    }

    boolean exists(String name) {
        return databases.containsKey(name);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String describe() {
        return "in-memory " + type + " 1.0";
    }

    @Override
    public AddonCredentials create(AddonName name, Map<String, String> options) throws AddonException {
        for (String key : options.keySet()) {
            if (!List.of("version").contains(key)) {
                throw new AddonException("Unknown option '" + key + "'; known: version");
            }
        }
        if (databases.containsKey(name.value())) {
            throw new AddonException("database " + name + " exists already");
        }
        String password = password();
        Set<String> set = ConcurrentHashMap.newKeySet();
        set.add(password);
        databases.put(name.value(), set);
        return credentials(name, password);
    }

    private String password() {
        return "s3cret-" + type + "-" + passwords.incrementAndGet();
    }

    private static AddonCredentials credentials(AddonName name, String password) {
        return new AddonCredentials(Map.of("host", "127.0.0.1", "port", "5433", "user", name.identifier(),
                "password", password, "database", name.identifier()));
    }

    @Override
    public void destroy(AddonName name, AddonCredentials credentials) {
        databases.remove(name.value());
        contents.remove(name.value());
    }

    @Override
    public AddonCredentials rotate(AddonName name, AddonCredentials current) throws AddonException {
        Set<String> set = databases.get(name.value());
        if (set == null || !set.contains(current.get("password"))) {
            throw new AddonException("authentication failed for " + name);
        }
        String password = password();
        set.add(password);
        return credentials(name, password);
    }

    @Override
    public void retire(AddonName name, AddonCredentials old, AddonCredentials current) {
        databases.getOrDefault(name.value(), new HashSet<>()).remove(old.get("password"));
    }

    @Override
    public Map<String, String> environment(AddonCredentials c, String prefix) {
        Map<String, String> env = new TreeMap<>();
        env.put(prefix + "_URL", type + "://" + c.get("user") + ":" + c.get("password") + "@" + c.get("host") + ":"
                + c.get("port") + "/" + c.get("database"));
        if (prefix.equals(defaultPrefix)) {
            env.put("MEMHOST", c.get("host"));
            env.put("MEMPASSWORD", c.get("password"));
        }
        return env;
    }

    @Override
    public String defaultPrefix() {
        return defaultPrefix;
    }

    @Override
    public DatabaseStatus status(AddonName name, AddonCredentials credentials) {
        boolean up = databases.getOrDefault(name.value(), Set.of()).contains(credentials.get("password"));
        return new DatabaseStatus("1.0", "embedded, 127.0.0.1:5433", up, up ? "0 bytes" : "authentication failed");
    }

    @Override
    public ClientCommand client(AddonCredentials c) {
        return new ClientCommand(List.of("memcli", "-h", c.get("host"), "-p", c.get("port"), "-U", c.get("user"),
                c.get("database")), Map.of("MEMPASSWORD", c.get("password")));
    }

    @Override
    public void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException {
        try {
            out.write(contents(name.value()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AddonException(e.getMessage(), e);
        }
    }

    @Override
    public void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException {
        if (failRestore != null) {
            throw new AddonException(failRestore);
        }
        try {
            contents.put(name.value(), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AddonException(e.getMessage(), e);
        }
    }
}
