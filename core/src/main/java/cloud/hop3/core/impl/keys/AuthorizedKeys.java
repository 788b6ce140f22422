package cloud.hop3.core.impl.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.key.AuthorizedKey;
import cloud.hop3.api.key.KeyService;
import cloud.hop3.core.impl.audit.Audited;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * The keys allowed to push, in {@code HOP3_HOME/keys/authorized.json}. On first start the key
 * that the operator gave as {@code HOP3_ADMIN_KEY} ({@code keys/admin.pub}) is added as
 * {@code admin}.
 */
@Component(service = {KeyService.class, AuthorizedKeys.class}, configurationPid = CoreConfig.PID)
public class AuthorizedKeys implements KeyService {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);
    private static final Path DOCUMENT = Path.of("keys", "authorized.json");

    /** The stored form. */
    record KeyDocument(List<AuthorizedKey> keys) {
        KeyDocument {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }
    }

    private DocumentStore store;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditService audit;
    private Clock clock = Clock.systemUTC();
    private volatile List<Entry> entries = List.of();
    private final List<Consumer<String>> removedListeners = new CopyOnWriteArrayList<>();

    private record Entry(AuthorizedKey key, PublicKey parsed) {
    }

    /** For DS. */
    public AuthorizedKeys() {
    }

    /** For tests: keys under a state directory. */
    public AuthorizedKeys(Path home, Clock clock) throws IOException {
        this.clock = clock;
        open(home);
    }

    /** For tests: records changes in this trail. */
    public void audit(AuditService trail) {
        this.audit = trail;
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        open(PlatformSettings.resolve(config).home());
    }

    /**
     * A change of core's configuration restarts nothing; the state directory is read once, at
     * activation (see {@code AppCatalog}, which warns when it changes).
     */
    @Modified
    void modified(CoreConfig config) {
        // nothing here follows a configuration change
    }

    private void open(Path home) throws IOException {
        store = new DocumentStore(home);
        store.removeLeftovers(Path.of("keys"));
        boolean firstStart = !Files.exists(home.resolve(DOCUMENT));
        load();
        Path adminKey = home.resolve("keys").resolve("admin.pub");
        // on first start only: a key removed later with key:remove stays removed
        if (firstStart && Files.isRegularFile(adminKey)) {
            try {
                add("admin", Files.readString(adminKey));
                LOG.info("Key 'admin' from HOP3_ADMIN_KEY may now push with git");
            } catch (IllegalArgumentException | IllegalStateException e) {
                LOG.warn("HOP3_ADMIN_KEY ({}) is not usable for git: {}", adminKey, e.getMessage());
            }
        }
        if (firstStart && !Files.exists(home.resolve(DOCUMENT))) {
            save(List.of());
        }
    }

    @Override
    public List<AuthorizedKey> list() {
        return entries.stream().map(Entry::key).toList();
    }

    @Override
    public AuthorizedKey add(String name, String publicKey) {
        return Audited.run(audit, "key.add", name, List.of(), () -> addChecked(name, publicKey));
    }

    private synchronized AuthorizedKey addChecked(String name, String publicKey) {
        OpenSshKeys.checkName(name);
        OpenSshKeys.Parsed parsed = OpenSshKeys.parse(publicKey);
        for (Entry e : entries) {
            if (e.key().name().equals(name)) {
                throw new IllegalStateException("A key named '" + name + "' exists already; remove it first or pick another name.");
            }
            if (OpenSshKeys.same(e.parsed(), parsed.key())) {
                throw new IllegalStateException("This key is already authorised, as '" + e.key().name() + "'.");
            }
        }
        AuthorizedKey key = new AuthorizedKey(name, parsed.type(), parsed.fingerprint(), parsed.openSsh(), clock.instant());
        List<AuthorizedKey> keys = new ArrayList<>(list());
        keys.add(key);
        save(keys);
        LOG.info("Key {} ({}) added", name, key.fingerprint());
        return key;
    }

    /**
     * Calls {@code listener} with the name of each key removed from now on, after the removal was
     * saved and outside this object's lock (the owner of keys forgets the name there).
     */
    public void onRemoved(Consumer<String> listener) {
        removedListeners.add(listener);
    }

    @Override
    public void remove(String name) {
        Audited.run(audit, "key.remove", name, List.of(), () -> {
            removeChecked(name);
            return null;
        });
        removedListeners.forEach(l -> l.accept(name));
    }

    private synchronized void removeChecked(String name) {
        List<AuthorizedKey> keys = new ArrayList<>(list());
        if (!keys.removeIf(k -> k.name().equals(name))) {
            throw new NoSuchElementException("There is no key named '" + name + "'; key:list shows the keys.");
        }
        save(keys);
        LOG.info("Key {} removed", name);
    }

    /**
     * Authorises the keys that another installation, whose state directory is {@code otherHome}
     * (a restored backup of it), authorised: each under its name, or under the name with
     * {@code -restored} when this installation has another key of that name. Keys authorised here
     * already are skipped.
     *
     * @return the names added
     */
    public synchronized List<String> adopt(Path otherHome) throws IOException {
        KeyDocument other = new DocumentStore(otherHome).read(DOCUMENT, KeyDocument.class).orElse(new KeyDocument(List.of()));
        List<String> added = new ArrayList<>();
        for (AuthorizedKey key : other.keys()) {
            OpenSshKeys.Parsed parsed;
            try {
                parsed = OpenSshKeys.parse(key.publicKey());
            } catch (IllegalArgumentException e) {
                LOG.warn("Key {} of the restored installation is not taken over: {}", key.name(), e.getMessage());
                continue;
            }
            if (entries.stream().anyMatch(e -> OpenSshKeys.same(e.parsed(), parsed.key()))) {
                continue;
            }
            boolean taken = entries.stream().anyMatch(e -> e.key().name().equals(key.name()));
            String name = taken ? key.name() + "-restored" : key.name();
            add(name, key.publicKey());
            added.add(name);
        }
        return added;
    }

    /**
     * For each key that another installation (whose state directory is {@code otherHome})
     * authorised, the name that the same key has here, if it is authorised here: after
     * {@link #adopt}, which may have renamed it.
     */
    public Map<String, String> namesHere(Path otherHome) throws IOException {
        KeyDocument other = new DocumentStore(otherHome).read(DOCUMENT, KeyDocument.class).orElse(new KeyDocument(List.of()));
        Map<String, String> names = new HashMap<>();
        for (AuthorizedKey key : other.keys()) {
            PublicKey parsed;
            try {
                parsed = OpenSshKeys.parse(key.publicKey()).key();
            } catch (IllegalArgumentException e) {
                continue;
            }
            entries.stream().filter(e -> OpenSshKeys.same(e.parsed(), parsed)).findFirst()
                    .ifPresent(e -> names.put(key.name(), e.key().name()));
        }
        return names;
    }

    /** The authorised key that {@code presented} is, if any. Called for every SSH login. */
    public Optional<AuthorizedKey> match(PublicKey presented) {
        for (Entry e : entries) {
            if (OpenSshKeys.same(e.parsed(), presented)) {
                return Optional.of(e.key());
            }
        }
        return Optional.empty();
    }

    private void load() throws IOException {
        KeyDocument doc = store.read(DOCUMENT, KeyDocument.class).orElse(new KeyDocument(List.of()));
        List<Entry> loaded = new ArrayList<>();
        for (AuthorizedKey key : doc.keys()) {
            try {
                loaded.add(new Entry(key, OpenSshKeys.parse(key.publicKey()).key()));
            } catch (IllegalArgumentException e) {
                LOG.warn("Key {} in {} is ignored: {}", key.name(), DOCUMENT, e.getMessage());
            }
        }
        loaded.sort(Comparator.comparing(e -> e.key().name()));
        entries = List.copyOf(loaded);
    }

    private void save(List<AuthorizedKey> keys) {
        try {
            store.write(DOCUMENT, new KeyDocument(keys));
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the keys", e);
        }
    }
}
