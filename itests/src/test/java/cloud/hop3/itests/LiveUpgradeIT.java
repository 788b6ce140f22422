package cloud.hop3.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.app.Release;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.plugin.PluginRegistry;

/** A plugin bundle is upgraded to a new version while the platform runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveUpgradeIT extends Hop3TestSupport {

    @Inject
    private PluginRegistry registry;

    @Inject
    private AppService apps;

    @Inject
    private DeployService deployer;

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
    public void aDeployWaitingInTheQueueIsBuiltByTheUpdatedBuilder() throws Exception {
        AppName app = AppName.of("queued");
        apps.create(app);
        Path gateDir = java.nio.file.Files.createTempDirectory("hop3-gate");
        // where apps are isolated the build runs as the app's user, which must see the gate open
        java.nio.file.Files.setPosixFilePermissions(gateDir,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path gate = gateDir.resolve("open");
        // the first build holds the app's queue until the test opens the gate
        Path slow = site("first", "[build]\nbuild = \"while [ ! -e " + gate + " ]; do sleep 0.1; done\"\n");
        Path second = site("second", null);
        Bundle builder = bundle("cloud.hop3.builder-static");
        Version next = new Version(builder.getVersion().getMajor(), builder.getVersion().getMinor(),
                builder.getVersion().getMicro() + 2, "queued");
        Path upgraded = BundleJars.withVersion(Path.of(System.getProperty("hop3.builder.static.jar")), next.toString());

        ExecutorService pushes = Executors.newFixedThreadPool(2);
        try {
            Lines firstLog = new Lines();
            Future<Release> first = pushes.submit(() -> deployer.deploy(app, slow, "first", firstLog));
            await("the first deploy to run its slow build", Duration.ofSeconds(60), () -> firstLog.contains("Running while"));
            Lines secondLog = new Lines();
            Future<Release> waiting = pushes.submit(() -> deployer.deploy(app, second, "second", secondLog));
            Thread.sleep(200);
            assertTrue("the second deploy waits: " + secondLog, secondLog.lines.isEmpty());

            execute("bundle:update " + builder.getBundleId() + " " + upgraded.toUri());
            await("the registry to show the updated builder", Duration.ofSeconds(30), () -> registry.plugins().stream()
                    .anyMatch(p -> p.kind() == PluginKind.BUILDER && p.version().equals(next.toString())));
            assertTrue("the second deploy still waits: " + secondLog, secondLog.lines.isEmpty());
            java.nio.file.Files.createFile(gate);

            assertEquals(1, first.get(60, TimeUnit.SECONDS).number());
            assertEquals(2, waiting.get(60, TimeUnit.SECONDS).number());
            assertEquals("the builder bundle keeps its new version", next, bundle("cloud.hop3.builder-static").getVersion());
            assertTrue(secondLog.toString(), secondLog.contains("Builder static " + next + ":"));
        } finally {
            pushes.shutdownNow();
        }
    }

    private static Path site(String text, String hop3Toml) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("hop3-queued");
        java.nio.file.Files.writeString(dir.resolve("index.html"), text);
        if (hop3Toml != null) {
            java.nio.file.Files.writeString(dir.resolve("hop3.toml"), hop3Toml);
        }
        return dir;
    }

    /** A build log that keeps its lines. */
    private static final class Lines implements BuildLog {
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void step(String text) {
            lines.add(text);
        }

        @Override
        public void info(String text) {
            lines.add(text);
        }

        @Override
        public void warn(String text) {
            lines.add(text);
        }

        boolean contains(String part) {
            return lines.stream().anyMatch(l -> l.contains(part));
        }

        @Override
        public String toString() {
            return String.join("\n", lines);
        }
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
