package cloud.hop3.core.impl.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.osgi.framework.ServiceReference;

import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.core.impl.platform.CoreConfigs;
import cloud.hop3.core.impl.plugin.FakeServices.Registration;
import cloud.hop3.core.impl.route.RouteManager;

/**
 * Checks, for the component that uses a kind of plugin, that {@code plugin:list} marks as in use
 * exactly the service that the component uses.
 */
public final class ChoiceAgreement {

    private ChoiceAgreement() {
    }

    /**
     * Binds a service made by {@code make} (from the registration's name) for each registration,
     * in the given order, asks the component which one it uses, and checks that a
     * {@link PluginTracker} configured alike marks that one registration, and only it, as in use.
     *
     * @param routes the routing the tracker asks which proxy serves; null where it plays no part
     * @return the {@code service.id} of the service in use
     */
    public static <T> long usedAndListed(PluginKind kind, String configured, List<Registration> order,
                                         Function<String, T> make, BiConsumer<T, Map<String, Object>> bind,
                                         Callable<T> inUse, RouteManager routes) throws Exception {
        Map<T, Registration> bound = new IdentityHashMap<>();
        for (Registration r : order) {
            T service = make.apply(String.valueOf(r.properties().get(PluginChooser.nameProperty(kind))));
            bound.put(service, r);
            bind.accept(service, r.properties());
        }
        PluginTracker tracker = new PluginTracker(CoreConfigs.with(Map.of(attribute(kind), configured)),
                Map.of(kind, order.stream().<ServiceReference<?>>map(Registration::reference).toList()), routes);
        long used = (Long) bound.get(inUse.call()).properties().get("service.id");
        List<Long> listed = tracker.plugins().stream().filter(PluginInfo::active).map(PluginInfo::bundleId).toList();
        assertEquals(List.of(used), listed, "plugin:list marks the " + kind.label() + " in use, and only it");
        return used;
    }

    /** The service id of a registration. */
    public static long id(Registration registration) {
        return (Long) registration.properties().get("service.id");
    }

    private static String attribute(PluginKind kind) {
        return switch (kind) {
            case PROXY -> "proxy";
            case PROCESS_DRIVER -> "driver";
            case CERTIFICATE_ISSUER -> "issuer";
            case BACKUP_STORE -> "backup_store";
            case BUILDER, DATABASE -> throw new IllegalArgumentException("every " + kind.label() + " is in use");
        };
    }
}
