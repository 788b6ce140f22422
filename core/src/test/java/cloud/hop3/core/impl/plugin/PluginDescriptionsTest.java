package cloud.hop3.core.impl.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;

class PluginDescriptionsTest {

    private static ServiceReference<Object> reference(Map<String, Object> properties, Bundle bundle) {
        return FakeServices.reference(properties, bundle);
    }

    private static Bundle bundle(String symbolicName, long id, String version, int state) {
        return FakeServices.bundle(symbolicName, id, version, state);
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
                reference(Map.of("hop3.proxy", "nginx"), NGINX), true);

        assertEquals(new PluginInfo(PluginKind.PROXY, "nginx", "cloud.hop3.plugin.nginx", 42L, "1.2.3.beta",
                "Active", true), info);
    }

    @Test
    void carriesTheBundleStateOver() {
        Bundle starting = bundle("cloud.hop3.plugin.python", 7L, "0.1.0", Bundle.STARTING);

        PluginInfo info = PluginDescriptions.describe(PluginKind.BUILDER, "hop3.builder",
                reference(Map.of("hop3.builder", "python"), starting), true);

        assertEquals("Starting", info.state());
        assertEquals("cloud.hop3.plugin.python", info.bundle());
        assertEquals(7L, info.bundleId());
        assertEquals("0.1.0", info.version());
    }

    @Test
    void readsTheNameFromTheGivenPropertyOnly() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.PROCESS_DRIVER, "hop3.driver",
                reference(Map.of("hop3.proxy", "nginx", "hop3.driver", "local"), NGINX), true);

        assertEquals("local", info.name());
        assertEquals(PluginKind.PROCESS_DRIVER, info.kind());
    }

    @Test
    void aPluginWithoutANameIsShownAsUnnamed() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.BUILDER, "hop3.builder",
                reference(Map.of(), NGINX), true);

        assertEquals("(unnamed)", info.name());
    }

    @Test
    void aNonStringNameIsShownAsText() {
        PluginInfo info = PluginDescriptions.describe(PluginKind.BACKUP_STORE, "hop3.backupstore",
                reference(Map.of("hop3.backupstore", 3), NGINX), true);

        assertEquals("3", info.name());
    }

    @Test
    void aServiceWhoseBundleWentAwayIsNotDescribed() {
        assertNull(PluginDescriptions.describe(PluginKind.PROXY, "hop3.proxy",
                reference(Map.of("hop3.proxy", "nginx"), null), true));
    }
}
