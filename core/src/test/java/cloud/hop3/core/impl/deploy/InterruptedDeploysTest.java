package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.deploy.InterruptedDeploy;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.audit.AuditTrail;
import cloud.hop3.core.impl.platform.PlatformSettings;

/**
 * A deploy cut short by a stop of the platform's JVM, on a real file layout: the mark it left,
 * its build folder under tmp/builds and its half-made release directory, as a kill -9 leaves
 * them; the next start reports it, removes what it left, and keeps the previous release current.
 */
class InterruptedDeploysTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final Actor ADA = new Actor("ada", Door.GIT, "192.0.2.7");
    /** The JVM that ran the deploy and died: another start instant, so not this one, even with this pid. */
    private static final InterruptedDeploys.Jvm DEAD = new InterruptedDeploys.Jvm(ProcessHandle.current().pid(),
            Instant.parse("2026-12-01T10:00:00Z"));
    private static final BuildLog QUIET = new BuildLog() {
        @Override
        public void step(String text) {
        }

        @Override
        public void info(String text) {
        }

        @Override
        public void warn(String text) {
        }
    };

    @TempDir
    Path home;

    private AppCatalog apps;
    private Path builds;
    private Path releases;

    @BeforeEach
    void setUp() throws IOException {
        apps = new AppCatalog(new PlatformSettings(home, "example.com"), Clock.systemUTC());
        apps.create(SHOP);
        RuntimeDocument runtime = new RuntimeDocument(Map.of("web", "./web"), Map.of(), List.of(), List.of(), null, null,
                List.of());
        apps.update(SHOP, d -> d.withRelease(new ReleaseDocument(1, 1, "1111111", "python", "Deploy 1111111",
                Instant.parse("2026-12-01T09:00:00Z"), d.config(), Map.of("web", 1), runtime)));
        releases = apps.directory(SHOP).resolve("releases");
        Files.createDirectories(releases.resolve("1/slug"));
        Files.writeString(releases.resolve("1/slug/web"), "serving");
        builds = Files.createDirectories(home.resolve("tmp/builds"));
    }

    /** What a kill -9 during the build of v2 leaves: the mark, the build folder, a half-made releases/2. */
    private Path crashedMidBuild() throws IOException {
        Path build = Files.createDirectories(builds.resolve("shop-abc1234-123"));
        Files.writeString(Files.createDirectories(build.resolve("src")).resolve("Procfile"), "web: ./web\n");
        new InterruptedDeploys(apps, home, Clock.systemUTC(), DEAD).begin(SHOP, "abc1234", 2, build.resolve("src"), ADA);
        Files.createDirectories(releases.resolve("2/slug"));
        Files.writeString(releases.resolve("2/slug/half-built"), "x");
        Files.setLastModifiedTime(build, FileTime.from(DEAD.started().plusSeconds(60)));
        return build;
    }

    @Test
    void theNextStartReportsTheDeployRemovesItsBuildAndHalfReleaseAndKeepsThePreviousOneCurrent() throws Exception {
        Path build = crashedMidBuild();
        Path mark = apps.directory(SHOP).resolve(InterruptedDeploys.MARK);
        assertTrue(Files.exists(mark), "a deploy under way is marked");

        InterruptedDeploys.Recovery found = new InterruptedDeploys(apps, home, Clock.systemUTC()).recover();

        assertEquals(1, found.interrupted().size(), found.toString());
        InterruptedDeploy d = found.interrupted().get(0);
        assertEquals(SHOP, d.app());
        assertEquals("abc1234", d.revision());
        assertEquals(ADA, d.actor());
        assertFalse(Files.exists(build), "the build folder is removed");
        assertFalse(Files.exists(releases.resolve("2")), "the half-made release directory is removed");
        assertEquals("serving", Files.readString(releases.resolve("1/slug/web")), "the release that serves is kept");
        assertEquals(1, apps.document(SHOP).current().orElseThrow().number(), "v1 stays current");
        assertEquals(1, apps.document(SHOP).releases().size(), "no release was recorded");
        assertFalse(Files.exists(mark), "the mark is gone");
        assertEquals(Optional.of(d), new InterruptedDeploys(apps, home, Clock.systemUTC()).find(SHOP),
                "reported until a deploy succeeds, also after another start");
        assertEquals(List.of(), new InterruptedDeploys(apps, home, Clock.systemUTC()).recover().interrupted(),
                "reported once as an event and in the log");
    }

    @Test
    void aSuccessfulDeployClearsTheReportAndAFailedOneDoesNot() throws Exception {
        crashedMidBuild();
        InterruptedDeploys marks = new InterruptedDeploys(apps, home, Clock.systemUTC());
        marks.recover();

        marks.begin(SHOP, "def5678", 2, home.resolve("elsewhere/src"), ADA);
        marks.end(SHOP, false);
        assertTrue(marks.find(SHOP).isPresent(), "a failed deploy leaves the report");
        assertFalse(Files.exists(apps.directory(SHOP).resolve(InterruptedDeploys.MARK)));

        marks.begin(SHOP, "def5678", 2, home.resolve("elsewhere/src"), ADA);
        marks.end(SHOP, true);
        assertEquals(Optional.empty(), marks.find(SHOP));
    }

    @Test
    void aDeployThatThisJvmRunsIsLeftAlone() throws Exception {
        Path build = Files.createDirectories(builds.resolve("shop-abc1234-456/src"));
        InterruptedDeploys marks = new InterruptedDeploys(apps, home, Clock.systemUTC());
        marks.begin(SHOP, "abc1234", 2, build, ADA);
        Files.createDirectories(releases.resolve("2/slug"));

        InterruptedDeploys.Recovery found = new InterruptedDeploys(apps, home, Clock.systemUTC()).recover();

        assertEquals(List.of(), found.interrupted());
        assertTrue(Files.exists(build), "the build under way keeps its folder");
        assertTrue(Files.exists(releases.resolve("2/slug")), "and its release directory");
        assertTrue(Files.exists(apps.directory(SHOP).resolve(InterruptedDeploys.MARK)));
    }

    @Test
    void aDeployStoppedAfterItsSwitchServesAndIsNotReported() throws Exception {
        crashedMidBuild();
        ReleaseDocument v1 = apps.document(SHOP).current().orElseThrow();
        apps.update(SHOP, d -> d.withRelease(new ReleaseDocument(2, 2, "abc1234", "python", "Deploy abc1234",
                Instant.now(), d.config(), v1.formation(), v1.runtime())));

        InterruptedDeploys marks = new InterruptedDeploys(apps, home, Clock.systemUTC());
        InterruptedDeploys.Recovery found = marks.recover();

        assertEquals(List.of(), found.interrupted());
        assertEquals(List.of("abc1234"), found.completed().stream().map(InterruptedDeploy::revision).toList());
        assertTrue(Files.exists(releases.resolve("2/slug/half-built")), "the release that serves is kept");
        assertEquals(Optional.empty(), marks.find(SHOP));
    }

    @Test
    void buildFoldersOfAnEarlierRunAreRemovedAndThoseOfThisRunKept() throws Exception {
        Path old = Files.createDirectories(builds.resolve("blog-7654321-789/src"));
        Files.setLastModifiedTime(old.getParent(), FileTime.from(DEAD.started()));
        Path current = Files.createDirectories(builds.resolve("blog-1234567-012/src"));

        new InterruptedDeploys(apps, home, Clock.systemUTC()).recover();

        assertFalse(Files.exists(old.getParent()), "left by a run before this JVM");
        assertTrue(Files.exists(current), "a folder of this JVM may belong to a push under way");
    }

    @Test
    void thePipelineLogsPostsAndAuditsTheInterruptionAsThePusher() throws Exception {
        crashedMidBuild();
        AuditTrail trail = new AuditTrail(Clock.systemUTC());
        trail.open(home.resolve("audit"));
        List<Event> events = new ArrayList<>();
        DeployPipeline pipeline = new DeployPipeline(apps, new ReleaseRunner());
        try {
            pipeline.recoverInterrupted();
            assertEquals(List.of(), trail.list(AuditFilter.all(10)), "the trail was not there yet");

            pipeline.audit(trail);
            pipeline.addEvents(new EventAdmin() {
                @Override
                public void postEvent(Event event) {
                    events.add(event);
                }

                @Override
                public void sendEvent(Event event) {
                    events.add(event);
                }
            });

            List<AuditRecord> records = trail.list(AuditFilter.all(10));
            assertEquals(1, records.size(), records.toString());
            AuditRecord r = records.get(0);
            assertEquals("app.deploy", r.action());
            assertEquals("shop", r.target());
            assertEquals(ADA, r.actor(), "recorded as who pushed, through git");
            assertEquals(List.of("abc1234"), r.details());
            assertFalse(r.result().ok());
            assertTrue(r.result().reason().startsWith("interrupted by a platform stop"), r.result().reason());
            assertEquals(1, events.size(), events.toString());
            Event e = events.get(0);
            assertEquals(Hop3Events.APP_DEPLOY_INTERRUPTED, e.getTopic());
            assertEquals("shop", e.getProperty(Hop3Events.APP));
            assertEquals("abc1234", e.getProperty(Hop3Events.REVISION));
            assertEquals("ada", e.getProperty(Hop3Events.ACTOR));
            assertEquals("abc1234", pipeline.interrupted(SHOP).orElseThrow().revision());

            pipeline.audit(trail);
            assertEquals(1, trail.list(AuditFilter.all(10)).size(), "recorded once");
        } finally {
            trail.close();
        }
    }

    @Test
    void aFailedDeployLeavesNoMarkAndKeepsTheReport() throws Exception {
        crashedMidBuild();
        DeployPipeline pipeline = new DeployPipeline(apps, new ReleaseRunner());
        pipeline.recoverInterrupted();
        Path source = Files.createDirectories(builds.resolve("shop-fedcba9-1/src"));
        Files.writeString(source.resolve("hop3.toml"), "[[addons]]\ntype = \"postgres\"\n");

        assertThrows(DeployException.class, () -> pipeline.deploy(SHOP, source, "fedcba9", QUIET));

        assertFalse(Files.exists(apps.directory(SHOP).resolve(InterruptedDeploys.MARK)), "the mark goes either way");
        assertEquals("abc1234", pipeline.interrupted(SHOP).orElseThrow().revision(), "only a deploy that succeeds clears it");
    }
}
