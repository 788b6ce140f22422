package cloud.hop3.core.impl.plugin;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * Plugin services as the framework registers them, for tests without a framework: each has
 * service properties with a fresh {@code service.id} (in registration order) and a service
 * reference from a bundle, so that one registration can be bound to a component and shown by
 * {@link PluginTracker}.
 */
public final class FakeServices {

    private static final AtomicLong IDS = new AtomicLong(100);

    private FakeServices() {
    }

    /** One registration: its properties (with {@code service.id}) and its reference. */
    public record Registration(Map<String, Object> properties, ServiceReference<?> reference) {
    }

    /** Registers a service with {@code properties} from a bundle named after it. */
    public static Registration register(Map<String, Object> properties) {
        Map<String, Object> withId = new HashMap<>(properties);
        long id = IDS.incrementAndGet();
        withId.put("service.id", id);
        Map<String, Object> fixed = Map.copyOf(withId);
        return new Registration(fixed, new FakeReference(fixed, bundle("cloud.hop3.plugin.test" + id, id, "1.0.0", Bundle.ACTIVE)));
    }

    /** A service reference with fixed properties, registered by {@code bundle} (null: gone). */
    public static ServiceReference<Object> reference(Map<String, Object> properties, Bundle bundle) {
        return new FakeReference(properties, bundle);
    }

    /** A bundle that answers what {@code plugin:list} asks; anything else is a test error. */
    public static Bundle bundle(String symbolicName, long id, String version, int state) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getBundleId" -> id;
                    case "getVersion" -> Version.parseVersion(version);
                    case "getState" -> state;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "bundle " + symbolicName;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final class FakeReference implements ServiceReference<Object> {
        private final Map<String, Object> properties;
        private final Bundle bundle;

        FakeReference(Map<String, Object> properties, Bundle bundle) {
            this.properties = properties;
            this.bundle = bundle;
        }

        @Override
        public Object getProperty(String key) {
            return properties.get(key);
        }

        @Override
        public String[] getPropertyKeys() {
            return properties.keySet().toArray(new String[0]);
        }

        @Override
        public Bundle getBundle() {
            return bundle;
        }

        @Override
        public Bundle[] getUsingBundles() {
            return null;
        }

        @Override
        public boolean isAssignableTo(Bundle bundle, String className) {
            return true;
        }

        @Override
        public int compareTo(Object reference) {
            throw new UnsupportedOperationException("the choice must not depend on the framework's order");
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return new Hashtable<>(properties);
        }

        @Override
        public <A> A adapt(Class<A> type) {
            return null;
        }

        @Override
        public String toString() {
            return "reference " + properties;
        }
    }
}
