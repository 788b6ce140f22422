package cloud.hop3.core.impl.plugin;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import cloud.hop3.api.addon.Database;
import cloud.hop3.api.backup.BackupStore;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.tls.CertificateIssuer;

/**
 * The one rule that picks the plugin in use where one of a kind must be chosen (the proxy, the
 * process driver, the certificate issuer, the default backup store), used by the components that
 * call the plugin and by {@code plugin:list}, so that both always name the same one:
 * <ol>
 * <li>when a name is configured, only the plugins with that name (their name service property)
 * are candidates, and none of another name ever stands in for a missing one;</li>
 * <li>the highest {@code service.ranking} wins (an Integer, 0 when absent, as OSGi has it);</li>
 * <li>on equal rankings, the name that sorts first (unnamed plugins last);</li>
 * <li>on equal names too, the lowest {@code service.id} (the one registered first).</li>
 * </ol>
 * The order in which services are bound plays no part. An instance holds the services of one
 * kind as a component binds them; {@link #choose(PluginKind, Collection, BiFunction, String)} applies
 * the same rule to anything with service properties, such as service references.
 * <p>
 * Thread-safe: binds, unbinds and choices may come from any thread.
 *
 * @param <T> the service type
 */
public final class PluginChooser<T> {

    private static final String RANKING = "service.ranking";
    private static final String SERVICE_ID = "service.id";

    /** One bound service with its service properties. */
    private record Candidate<T>(T service, Map<String, Object> properties) {
    }

    private final PluginKind kind;
    private final List<Candidate<T>> candidates = new CopyOnWriteArrayList<>();

    /** A chooser among the services of {@code kind}. */
    public PluginChooser(PluginKind kind) {
        this.kind = kind;
    }

    /** Adds a service as it is bound, with its service properties. */
    public void add(T service, Map<String, Object> properties) {
        candidates.add(new Candidate<>(service, Map.copyOf(properties)));
    }

    /** Removes a service as it is unbound (compared by identity). */
    public void remove(T service) {
        candidates.removeIf(c -> c.service() == service);
    }

    /** Whether {@code service} is bound now (compared by identity). */
    public boolean contains(T service) {
        return candidates.stream().anyMatch(c -> c.service() == service);
    }

    /** The names of the bound services (their name service property), unnamed ones left out. */
    public List<String> names() {
        String property = nameProperty(kind);
        return candidates.stream().map(c -> name(c.properties().get(property))).filter(java.util.Objects::nonNull)
                .distinct().sorted().toList();
    }

    /**
     * The service in use: see the class description.
     *
     * @param configured the configured name; null or blank when none is configured
     * @return empty when nothing is installed, or when the configured name is not
     */
    public Optional<T> choose(String configured) {
        return choose(kind, candidates, (c, key) -> c.properties().get(key), configured).map(Candidate::service);
    }

    /**
     * Applies the rule to candidates of {@code kind} described by their service properties.
     *
     * @param property   reads one service property of a candidate
     * @param configured the configured name; null or blank when none is configured
     */
    public static <C> Optional<C> choose(PluginKind kind, Collection<C> candidates, BiFunction<C, String, Object> property,
                                         String configured) {
        String nameProperty = nameProperty(kind);
        String wanted = configured == null || configured.isBlank() ? null : configured.strip();
        Comparator<C> order = Comparator.<C>comparingInt(c -> ranking(property.apply(c, RANKING))).reversed()
                .thenComparing(c -> name(property.apply(c, nameProperty)), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingLong(c -> serviceId(property.apply(c, SERVICE_ID)));
        return candidates.stream()
                .filter(c -> wanted == null || wanted.equals(name(property.apply(c, nameProperty))))
                .min(order);
    }

    /** The service property that holds the name of a plugin of {@code kind}. */
    public static String nameProperty(PluginKind kind) {
        return switch (kind) {
            case BUILDER -> Builder.NAME_PROPERTY;
            case PROCESS_DRIVER -> ProcessDriver.NAME_PROPERTY;
            case PROXY -> Proxy.NAME_PROPERTY;
            case CERTIFICATE_ISSUER -> CertificateIssuer.NAME_PROPERTY;
            case DATABASE -> Database.TYPE_PROPERTY;
            case BACKUP_STORE -> BackupStore.NAME_PROPERTY;
        };
    }

    /**
     * Whether one plugin of {@code kind} is chosen; for the other kinds every plugin is in use,
     * except databases, where one is chosen per type: {@link #choose(String)} with the type as
     * the configured name.
     */
    public static boolean isChosen(PluginKind kind) {
        return switch (kind) {
            case PROCESS_DRIVER, PROXY, CERTIFICATE_ISSUER, BACKUP_STORE -> true;
            case BUILDER, DATABASE -> false;
        };
    }

    private static int ranking(Object value) {
        return value instanceof Integer i ? i : 0;
    }

    private static String name(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static long serviceId(Object value) {
        return value instanceof Long l ? l : Long.MAX_VALUE;
    }
}
