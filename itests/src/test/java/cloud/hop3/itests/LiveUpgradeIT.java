package cloud.hop3.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.plugin.PluginRegistry;

/** A plugin bundle is upgraded to a new version while the platform runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveUpgradeIT extends Hop3TestSupport {

    @Inject
    private PluginRegistry registry;

    @Configuration
    public Option[] config() throws Exception {
        return distribution();
    }

    @Test
    public void builderPluginIsUpgradedWithoutRestart() throws Exception {
        Bundle builder = bundle("cloud.hop3.builder-static");
        Bundle core = bundle("cloud.hop3.core");
        Bundle framework = bundleContext.getBundle(0);
        long frameworkModified = framework.getLastModified();
        ServiceReference<PluginRegistry> registryRef = bundleContext.getServiceReference(PluginRegistry.class);
        Object registryServiceId = registryRef.getProperty(Constants.SERVICE_ID);

        Version old = builder.getVersion();
        Version next = new Version(old.getMajor(), old.getMinor(), old.getMicro() + 1, "live");
        Path upgraded = BundleJars.withVersion(Path.of(System.getProperty("hop3.builder.static.jar")), next.toString());

        String before = execute("plugin:list --no-format");
        String bundleCell = "cloud.hop3.builder-static [" + builder.getBundleId() + "]";
        assertEquals(before, List.of(bundleCell, old.toString()),
                PluginListing.row(before, "builder", "static").orElseThrow().subList(2, 4));

        execute("bundle:update " + builder.getBundleId() + " " + upgraded.toUri());

        await("plugin:list to show " + next, Duration.ofSeconds(30), () -> registry.plugins().stream()
                .anyMatch(p -> p.kind() == PluginKind.BUILDER && p.version().equals(next.toString())));
        String after = execute("plugin:list --no-format");
        assertEquals(after, List.of(bundleCell, next.toString()),
                PluginListing.row(after, "builder", "static").orElseThrow().subList(2, 4));

        // the same bundle, the same core component, the same framework: nothing was restarted
        assertEquals(Bundle.ACTIVE, bundle("cloud.hop3.builder-static").getState());
        assertEquals(next, bundle("cloud.hop3.builder-static").getVersion());
        assertEquals(Bundle.ACTIVE, core.getState());
        ServiceReference<PluginRegistry> now = bundleContext.getServiceReference(PluginRegistry.class);
        assertNotNull(now);
        assertEquals(registryServiceId, now.getProperty(Constants.SERVICE_ID));
        assertEquals(frameworkModified, framework.getLastModified());
        ServiceReference<?>[] builders = bundleContext.getServiceReferences(
                "cloud.hop3.api.build.Builder", "(hop3.builder=static)");
        assertEquals(1, builders.length);
        assertEquals(next, builders[0].getBundle().getVersion());
        assertNotEquals(old, builders[0].getBundle().getVersion());
    }

    @Test
    public void pluginsThatGoAwayAndComeBackAreFollowed() throws Exception {
        Bundle builder = bundle("cloud.hop3.builder-static");
        execute("bundle:stop " + builder.getBundleId());
        try {
            await("the builder to leave the registry", Duration.ofSeconds(10), () -> registry.plugins().stream()
                    .noneMatch(p -> p.kind() == PluginKind.BUILDER && p.name().equals("static")));
            String stopped = execute("plugin:list --no-format");
            assertTrue(stopped, PluginListing.row(stopped, "builder", "static").isEmpty());
        } finally {
            execute("bundle:start " + builder.getBundleId());
        }
        await("the builder to come back", Duration.ofSeconds(10), () -> registry.plugins().stream()
                .anyMatch(p -> p.kind() == PluginKind.BUILDER && p.name().equals("static")));
        String back = execute("plugin:list --no-format");
        assertTrue(back, PluginListing.row(back, "builder", "static").orElseThrow().get(2)
                .startsWith("cloud.hop3.builder-static ["));
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError(symbolicName + " is not installed"));
    }
}
