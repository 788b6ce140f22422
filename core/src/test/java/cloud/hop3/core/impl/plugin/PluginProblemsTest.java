package cloud.hop3.core.impl.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.core.impl.platform.CoreConfigs;
import cloud.hop3.core.impl.platform.ProxyInUse;

/** What plugin:list says is wrong with the choice of plugins. */
class PluginProblemsTest {

    /** The routing as it reports itself: serving {@code serving}, with {@code problem}. */
    private static ProxyInUse routing(String serving, String problem) {
        return new ProxyInUse() {
            @Override
            public Optional<Proxy> proxy() {
                return Optional.empty();
            }

            @Override
            public Optional<String> servingName() {
                return Optional.ofNullable(serving);
            }

            @Override
            public Optional<String> problem() {
                return Optional.ofNullable(problem);
            }
        };
    }

    @Test
    void aConfiguredPluginThatIsNotInstalledIsNamed() {
        PluginTracker tracker = new PluginTracker(CoreConfigs.with(Map.of("driver", "kubernetes")),
                Map.of(PluginKind.PROCESS_DRIVER, List.of(FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "local"))
                        .reference())), routing(null, null));

        assertEquals(List.of("No driver named 'kubernetes' is installed (configured in cloud.hop3.core)."),
                tracker.problems());
    }

    @Test
    void aRefusedProxyIsToldOnceWithTheProxyThatServesInstead() {
        String refused = "The proxy 'nginx' refused the routes: port 80 is taken; 'builtin' still serves the routes.";
        PluginTracker tracker = new PluginTracker(CoreConfigs.with(Map.of("proxy", "nginx")),
                Map.of(PluginKind.PROXY, List.of(FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "builtin")).reference())),
                routing("builtin", refused));

        assertEquals(List.of(refused), tracker.problems());
    }

    @Test
    void noProblemWhenTheConfiguredPluginsAreInstalled() {
        PluginTracker tracker = new PluginTracker(CoreConfigs.with(Map.of("proxy", "builtin")),
                Map.of(PluginKind.PROXY, List.of(FakeServices.register(Map.of(Proxy.NAME_PROPERTY, "builtin")).reference())),
                routing("builtin", null));

        assertEquals(List.of(), tracker.problems());
    }

    @Test
    void aDriverThatAnAppRunsOnIsInUseBesideTheDefault() {
        Map<PluginKind, List<ServiceReference<?>>> drivers = Map.of(PluginKind.PROCESS_DRIVER, List.of(
                FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "local")).reference(),
                FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "kubernetes")).reference(),
                FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "nomad")).reference()));
        PluginTracker tracker = new PluginTracker(CoreConfigs.with(Map.of("driver", "local")), drivers, routing(null, null),
                () -> java.util.Set.of("kubernetes"));

        assertEquals(Map.of("local", true, "kubernetes", true, "nomad", false), tracker.plugins().stream()
                .collect(java.util.stream.Collectors.toMap(PluginInfo::name, PluginInfo::active)));
        PluginTracker noApps = new PluginTracker(CoreConfigs.with(Map.of("driver", "local")), drivers, routing(null, null),
                java.util.Set::of);
        assertEquals(List.of("local"), noApps.plugins().stream().filter(PluginInfo::active).map(PluginInfo::name).toList());
    }
}
