package cloud.hop3.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.plugin.PluginRegistry;

/** The distribution boots with hop3 installed, its services registered and its commands secured. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT extends Hop3TestSupport {

    @Inject
    private FeaturesService features;

    @Inject
    private PluginRegistry registry;

    @Inject
    private AppService apps;

    @Inject
    private BuildCommands buildCommands;

    /** The builders that the hop3 feature installs. */
    private static final List<String> BUILDERS = List.of("static", "generic", "python", "node", "java", "php", "go",
            "ruby");

    @Configuration
    public Option[] config() throws Exception {
        return distribution();
    }

    @Test
    public void hop3FeatureIsInstalledAtBoot() throws Exception {
        assertTrue(features.isInstalled(features.getFeature("hop3")));
        List<String> bundles = new ArrayList<>(List.of("cloud.hop3.api", "cloud.hop3.core"));
        BUILDERS.forEach(name -> bundles.add("cloud.hop3.builder-" + name));
        for (String bundle : bundles) {
            Bundle b = Arrays.stream(bundleContext.getBundles())
                    .filter(x -> bundle.equals(x.getSymbolicName())).findFirst().orElse(null);
            assertNotNull(bundle + " is installed", b);
            assertEquals(bundle + " is active", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void unwantedKarafFeaturesAreNotInstalled() throws Exception {
        for (String name : List.of("instance", "jdbc", "webconsole", "management")) {
            boolean installed = Arrays.stream(features.listInstalledFeatures()).anyMatch(f -> f.getName().equals(name));
            assertFalse(name + " must not be installed", installed);
        }
    }

    @Test
    public void builtInBuildersAreRegisteredAndListed() throws Exception {
        for (String name : BUILDERS) {
            ServiceReference<?>[] refs = bundleContext.getServiceReferences(Builder.class.getName(),
                    "(hop3.builder=" + name + ")");
            assertNotNull("a Builder service named " + name, refs);
        }
        List<PluginInfo> builders = registry.plugins().stream()
                .filter(p -> p.kind() == PluginKind.BUILDER).collect(Collectors.toList());
        assertEquals(Set.copyOf(BUILDERS), builders.stream().map(PluginInfo::name).collect(Collectors.toSet()));
        for (PluginInfo builder : builders) {
            assertEquals("cloud.hop3.builder-" + builder.name(), builder.bundle());
            assertTrue(builder.name() + " is active", builder.active());
        }

        String out = execute("plugin:list --no-format", "viewer");
        for (String name : BUILDERS) {
            assertTrue(out, PluginListing.row(out, "builder", name).orElseThrow().get(2)
                    .startsWith("cloud.hop3.builder-" + name + " ["));
        }
        assertTrue(out, out.contains("Active"));
    }

    @Test
    public void coreRunsBuildToolsForBuilders() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        BuildLog log = new BuildLog() {
            @Override
            public void step(String text) {
            }

            @Override
            public void info(String text) {
                lines.add(text);
            }

            @Override
            public void warn(String text) {
            }
        };
        Path dir = Files.createTempDirectory("hop3-it-build");
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOP3_IT", "only this");

        try {
            buildCommands.run(log, dir, env, Duration.ofSeconds(30), List.of("sh", "-c", "echo $HOP3_IT; echo $HOME"));
        } catch (BuildException refused) {
            // where apps are isolated, a tool runs only inside a build, as the app's user: never as the platform
            assertTrue(refused.getMessage(),
                    refused.getMessage().startsWith("Build commands run only during a build, as the app's user"));
            assertEquals("nothing ran", List.of(), lines);
            Files.delete(dir);
            return;
        }
        assertEquals(List.of("only this", ""), lines);

        BuildException e = assertThrows(BuildException.class, () -> buildCommands.run(log, dir, env,
                Duration.ofSeconds(30), List.of("sh", "-c", "echo nope; exit 4")));
        assertEquals("`sh -c 'echo nope; exit 4'` failed with exit status 4; its last output was:\n    nope",
                e.getMessage());
        Files.delete(dir);
    }

    @Test
    public void appsAreCreatedThroughTheShellAndListed() throws Exception {
        execute("app:create shop");
        assertTrue(apps.find(AppName.of("shop")).isPresent());
        String out = execute("app:list --no-format", "viewer");
        assertTrue(out, out.contains("shop\tnot deployed"));
    }

    @Test
    public void creatingAnAppPublishesAnEvent() throws Exception {
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        EventHandler handler = received::add;
        ServiceRegistration<EventHandler> registration = bundleContext.registerService(EventHandler.class, handler,
                new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, Hop3Events.APP_TOPIC_PREFIX + "*")));
        try {
            execute("app:create events-demo");
            Event event = received.poll(10, TimeUnit.SECONDS);
            assertNotNull("an app event within 10 s", event);
            assertEquals(Hop3Events.APP_CREATED, event.getTopic());
            assertEquals("events-demo", event.getProperty(Hop3Events.APP));
        } finally {
            registration.unregister();
        }
    }

    @Test
    public void badAppNamesAreRefusedAndCreateNothing() throws Exception {
        int before = apps.list().size();
        Exception e = assertThrows(Exception.class, () -> execute("app:create ../etc"));
        assertTrue(e.getMessage(), e.getMessage().contains("Invalid app name"));
        assertEquals(before, apps.list().size());
    }

    @Test
    public void mutatingCommandsNeedTheAdminRole() throws Exception {
        // a command the user may not run is hidden from them
        Exception e = assertThrows(Exception.class, () -> execute("app:create blog", "viewer"));
        assertTrue(e.toString(), e.toString().contains("not found") || e.toString().contains("nsufficient"));
        assertFalse(apps.find(AppName.of("blog")).isPresent());
        // Karaf's own commands are admin-only too
        assertThrows(Exception.class, () -> execute("bundle:list", "viewer"));
    }
}
