package cloud.hop3.core.impl.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;

class PluginDescriptionsTest {

    /** A service reference with fixed properties, registered by a fixed bundle (or gone: null). */
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
            return 0;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return new Hashtable<>(properties);
        }

        @Override
        public <A> A adapt(Class<A> type) {
            return null;
        }
    }

    /** A bundle that answers the four questions describe() asks; anything else is a test error. */
    private static Bundle bundle(String symbolicName, long id, String version, int state) {
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

    private static final Bundle NGINX = bundle("cloud.hop3.plugin.nginx", 42L, "1.2.3.beta", Bundle.ACTIVE);

    @Test
    void mapsBundleStatesToNames() {
        assertEquals("Active", PluginDescriptions.state(Bundle.ACTIVE));
        assertEquals("Starting", PluginDescriptions.state(Bundle.STARTING));
        assertEquals("Stopping", PluginDescriptions.state(Bundle.STOPPING));
        assertEquals("Resolved", PluginDescriptions.state(Bundle.RESOLVED));
        assertEquals("Installed", PluginDescriptions.state(Bundle.INSTALLED));
        assertEquals("Uninstalled", PluginDescriptions.state(Bundle.UNINSTALLED));
        assertEquals("Unknown", PluginDescriptions.state(0));
        assertEquals("Unknown", PluginDescriptions.state(Bundle.ACTIVE | Bundle.RESOLVED));
    }

    @Test
    void describesThePluginWithItsBundle() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.PROXY, "hop3.proxy",
                new FakeReference(Map.of("hop3.proxy", "nginx"), NGINX), "nginx");

        assertEquals(new PluginInfo(PluginKind.PROXY, "nginx", "cloud.hop3.plugin.nginx", 42L, "1.2.3.beta",
                "Active", true), info);
    }

    @Test
    void carriesTheBundleStateOver() {
        Bundle starting = bundle("cloud.hop3.plugin.python", 7L, "0.1.0", Bundle.STARTING);

        PluginInfo info = PluginDescriptions.describe(PluginKind.BUILDER, "hop3.builder",
                new FakeReference(Map.of("hop3.builder", "python"), starting), null);

        assertEquals("Starting", info.state());
        assertEquals("cloud.hop3.plugin.python", info.bundle());
        assertEquals(7L, info.bundleId());
        assertEquals("0.1.0", info.version());
    }

    @Test
    void readsTheNameFromTheGivenPropertyOnly() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.PROCESS_DRIVER, "hop3.driver",
                new FakeReference(Map.of("hop3.proxy", "nginx", "hop3.driver", "local"), NGINX), null);

        assertEquals("local", info.name());
        assertEquals(PluginKind.PROCESS_DRIVER, info.kind());
    }

    @Test
    void aPluginWithoutANameIsShownAsUnnamed() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.BUILDER, "hop3.builder",
                new FakeReference(Map.of(), NGINX), null);

        assertEquals("(unnamed)", info.name());
        assertTrue(info.active());
    }

    @Test
    void everyPluginIsActiveWhereNoneIsChosen() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.DATABASE, "hop3.database",
                new FakeReference(Map.of("hop3.database", "postgresql"), NGINX), null);

        assertTrue(info.active());
    }

    @Test
    void onlyTheChosenPluginIsActive() {
        FakeReference caddy = new FakeReference(Map.of("hop3.proxy", "caddy"), NGINX);
        FakeReference nginx = new FakeReference(Map.of("hop3.proxy", "nginx"), NGINX);

        assertFalse(PluginDescriptions.describe(PluginKind.PROXY, "hop3.proxy", caddy, "nginx").active());
        assertTrue(PluginDescriptions.describe(PluginKind.PROXY, "hop3.proxy", nginx, "nginx").active());
    }

    @Test
    void theChoiceIsComparedExactly() {
        FakeReference nginx = new FakeReference(Map.of("hop3.proxy", "nginx"), NGINX);

        assertFalse(PluginDescriptions.describe(PluginKind.PROXY, "hop3.proxy", nginx, "Nginx").active());
        assertFalse(PluginDescriptions.describe(PluginKind.PROXY, "hop3.proxy", nginx, "").active());
    }

    @Test
    void anUnnamedPluginIsNotTheChosenOne() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.PROXY, "hop3.proxy",
                new FakeReference(Map.of(), NGINX), "nginx");

        assertFalse(info.active());
    }

    @Test
    void aNonStringNameIsShownAsText() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.BACKUP_STORE, "hop3.backupstore",
                new FakeReference(Map.of("hop3.backupstore", 3), NGINX), "3");

        assertEquals("3", info.name());
        assertTrue(info.active());
    }

    @Test
    void aServiceWhoseBundleWentAwayIsNotDescribed() {
        assertNull(PluginDescriptions.describe(PluginKind.PROXY, "hop3.proxy",
                new FakeReference(Map.of("hop3.proxy", "nginx"), null), "nginx"));
    }
}
