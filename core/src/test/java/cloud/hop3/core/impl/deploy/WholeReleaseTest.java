package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.process.LogChunk;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ReleaseDriver;
import cloud.hop3.api.process.ReleasePlan;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.route.RouteManager;
import cloud.hop3.core.impl.service.PlatformSlugs;

/** An app whose driver takes whole releases gets them as plans, and its slug behind its release's token. */
class WholeReleaseTest {

    private static final AppName SHOP = AppName.of("shop");

    @TempDir
    Path home;

    private AppCatalog catalog;
    private ReleaseRunner runner;
    private final Recording cluster = new Recording();

    /** A ReleaseDriver that records what it is asked, and fails apply when told to. */
    static final class Recording implements ReleaseDriver {
        final List<ReleasePlan> applied = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        String failWith;

        @Override
        public void apply(ReleasePlan plan, Consumer<String> progress) throws ProcessException {
            calls.add("apply " + plan.release());
            if (failWith != null) {
                throw new ProcessException(failWith);
            }
            applied.add(plan);
            progress.accept("rolled out");
        }

        @Override
        public String preview(ReleasePlan plan) {
            return "kind: Deployment # " + plan.app() + " v" + plan.release();
        }

        @Override
        public void scale(AppName app, Formation formation) {
            calls.add("scale " + new java.util.TreeMap<>(formation.counts()));
        }

        @Override
        public void restart(AppName app) {
            calls.add("restart");
        }

        @Override
        public void route(AppName app, List<HostName> hosts, TlsCertificate certificate) {
            calls.add("route " + hosts.stream().map(HostName::value).toList());
        }

        @Override
        public void remove(AppName app) {
            calls.add("remove");
        }

        @Override
        public String name() {
            return "cluster";
        }

        @Override
        public ProcessStatus start(ProcessLaunch launch) {
            throw new AssertionError("a whole-release app's processes are never started one by one");
        }

        @Override
        public void stop(String processId, Duration grace) {
            throw new AssertionError("a whole-release app's processes are never stopped one by one");
        }

        @Override
        public int run(ProcessLaunch launch, OutputStream output, Duration timeout) {
            return 0;
        }

        @Override
        public List<ProcessStatus> status(AppName app) {
            return List.of();
        }

        @Override
        public LogChunk tail(AppName app, int lines) {
            return new LogChunk(List.of(), "");
        }

        @Override
        public LogChunk logs(AppName app, String from, int max) {
            return new LogChunk(List.of(), from);
        }
    }

    private static final BuildLog LOG = new BuildLog() {
        @Override
        public void step(String message) {
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        catalog = new AppCatalog(new PlatformSettings(home, "example.com"), Clock.systemUTC());
        catalog.create(SHOP);
        // no proxy is installed: a launch that needed a route of the platform's proxy would fail
        runner = new ReleaseRunner(catalog, new RouteManager(), null, AppUsers.none(home));
        runner.settings(URI.create("http://10.0.0.5:8181"), Duration.ofMinutes(10));
        runner.addDriver(cluster, Map.of(ProcessDriver.NAME_PROPERTY, "cluster"));
        catalog.update(SHOP, d -> d.withDriver("cluster").withDomains(List.of("www.shop.org")));
    }

    private ReleaseDocument release(int number) throws Exception {
        Path slug = catalog.directory(SHOP).resolve("releases").resolve(String.valueOf(number)).resolve("slug");
        Files.createDirectories(slug);
        Files.writeString(slug.resolve("app.py"), "print('v" + number + "')\n");
        RuntimeDocument runtime = new RuntimeDocument(Map.of("web", "python app.py", "worker", "python w.py"),
                Map.of("FROM_BUILDER", "1", "PORT", "9"), List.of("venv/bin"), List.of(), null, "./migrate",
                List.of(new RuntimeDocument.CronDocument("*/5 * * * *", "./tick")));
        return new ReleaseDocument(number, number, "abc123" + number, "python", "Deploy", Instant.EPOCH,
                Map.of("SECRET", "s3"), Map.of("web", 2, "worker", 1), runtime);
    }

    @Test
    void aLaunchHandsTheWholeReleaseToTheDriverAndRecordsIt() throws Exception {
        ReleaseDocument v1 = release(1);
        runner.launch(SHOP, v1, true, d -> d.withRelease(v1), LOG);

        assertEquals(1, cluster.applied.size());
        ReleasePlan plan = cluster.applied.get(0);
        assertEquals(1, plan.release());
        assertEquals("python", plan.runtime());
        assertEquals(Map.of("web", 2, "worker", 1), plan.formation().counts());
        assertFalse(plan.env().containsKey("PORT"), "the driver sets PORT: " + plan.env());
        assertEquals("s3", plan.env().get("SECRET"));
        assertEquals("1", plan.env().get("FROM_BUILDER"));
        // paths where the cluster unpacks the slug, none of this machine's
        assertEquals("/app/venv/bin:/usr/local/bin:/usr/bin:/bin", plan.env().get("PATH"));
        assertEquals("/app/data", plan.env().get("HOME"));
        assertEquals("/app/data", plan.env().get("DATA_DIR"));
        assertFalse(plan.env().values().stream().anyMatch(v -> v.contains(home.toString())), "a path of the platform: " + plan.env());
        assertEquals(List.of("shop.localhost", "www.shop.org"), plan.hosts().stream().map(h -> h.value()).toList());
        assertEquals(List.of(new ReleasePlan.Cron("*/5 * * * *", "./tick")), plan.cron());
        assertEquals("./migrate", plan.releaseCommand());
        assertEquals(URI.create("http://10.0.0.5:8181/api/v1/apps/shop/releases/1/slug"), plan.slug());
        assertEquals(Duration.ofMinutes(10), plan.deadline());

        var doc = catalog.document(SHOP);
        assertEquals(1, doc.current().orElseThrow().number());
        assertEquals("cluster", doc.runsOn());
        assertEquals(List.of(), doc.upstreams(), "no port of the platform's proxy");
        assertTrue(runner.servedWhole(doc));
        assertTrue(Files.isRegularFile(catalog.directory(SHOP).resolve("releases/1/slug.tar.gz")));
    }

    @Test
    void aFailingApplyRecordsNothingAndThePreviousReleaseStays() throws Exception {
        ReleaseDocument v1 = release(1);
        runner.launch(SHOP, v1, true, d -> d.withRelease(v1), LOG);
        ReleaseDocument v2 = release(2);
        cluster.failWith = "pod shop-web: CrashLoopBackOff";

        DeployException e = assertThrows(DeployException.class, () -> runner.launch(SHOP, v2, true, d -> d.withRelease(v2), LOG));

        assertTrue(e.getMessage().contains("CrashLoopBackOff") && e.getMessage().contains("previous release still serves"),
                e.getMessage());
        assertEquals(1, catalog.document(SHOP).current().orElseThrow().number());
        assertEquals(1, catalog.document(SHOP).releases().size());
    }

    @Test
    void scaleRestartAndStopGoToTheDriver() throws Exception {
        ReleaseDocument v1 = release(1);
        runner.launch(SHOP, v1, true, d -> d.withRelease(v1), LOG);
        ReleaseDocument scaled = new ReleaseDocument(2, 1, v1.revision(), v1.builder(), "Scale web=3", Instant.EPOCH,
                v1.config(), Map.of("web", 3, "worker", 1), v1.runtime());

        runner.scale(SHOP, scaled, d -> d.withRelease(scaled), LOG);
        runner.restart(SHOP, scaled, d -> d.withStopped(false), LOG);
        runner.stop(SHOP);

        assertEquals(List.of("apply 1", "scale {web=3, worker=1}", "restart", "remove"), fixOrder(cluster.calls));
        assertEquals(2, catalog.document(SHOP).current().orElseThrow().number());
        assertTrue(catalog.document(SHOP).stopped());
    }

    @Test
    void aRollbackAppliesTheKeptReleaseWithoutItsReleaseCommand() throws Exception {
        ReleaseDocument v1 = release(1);
        runner.launch(SHOP, v1, true, d -> d.withRelease(v1), LOG);
        ReleaseDocument v2 = release(2);
        runner.launch(SHOP, v2, true, d -> d.withRelease(v2), LOG);
        ReleaseDocument back = new ReleaseDocument(3, 1, v1.revision(), v1.builder(), "Rollback to v1", Instant.EPOCH,
                v1.config(), v1.formation(), v1.runtime());

        runner.launch(SHOP, back, false, d -> d.withRelease(back), LOG);

        ReleasePlan plan = cluster.applied.get(2);
        assertEquals(3, plan.release());
        assertNull(plan.releaseCommand());
        assertEquals(URI.create("http://10.0.0.5:8181/api/v1/apps/shop/releases/3/slug"), plan.slug());
    }

    @Test
    void theSlugAnswersOnlyItsReleasesToken() throws Exception {
        ReleaseDocument v1 = release(1);
        runner.launch(SHOP, v1, true, d -> d.withRelease(v1), LOG);
        ReleaseDocument v2 = release(2);
        runner.launch(SHOP, v2, true, d -> d.withRelease(v2), LOG);
        String token1 = cluster.applied.get(0).slugToken();
        String token2 = cluster.applied.get(1).slugToken();
        PlatformSlugs slugs = new PlatformSlugs(catalog);

        Path archive = slugs.slug(SHOP, 1, token1).orElseThrow();
        assertEquals(catalog.directory(SHOP).resolve("releases/1/slug.tar.gz"), archive);
        byte[] head = Files.readAllBytes(archive);
        assertEquals((byte) 0x1f, head[0]);
        assertEquals((byte) 0x8b, head[1]);
        assertTrue(slugs.slug(SHOP, 2, token2).isPresent());
        assertTrue(slugs.slug(SHOP, 1, token2).isEmpty(), "another release's token");
        assertTrue(slugs.slug(SHOP, 1, "wrong").isEmpty());
        assertTrue(slugs.slug(SHOP, 1, null).isEmpty());
        assertTrue(slugs.slug(SHOP, 9, token1).isEmpty());
        assertTrue(slugs.slug(AppName.of("other"), 1, token1).isEmpty());
        assertFalse(Files.readString(catalog.directory(SHOP).resolve("slug-tokens/1")).contains(token1),
                "only the token's hash is kept");
    }

    private static List<String> fixOrder(List<String> calls) {
        return calls;
    }

    @Test
    void aDomainChangeReachesTheClusterThatServesTheApp() throws Exception {
        runner.reroute(SHOP);
        assertEquals(List.of(), cluster.calls, "no release serves yet");

        ReleaseDocument v1 = release(1);
        runner.launch(SHOP, v1, false, d -> d.withRelease(v1), LOG);
        catalog.update(SHOP, d -> d.withDomains(List.of("www.shop.org", "shop.example.net")));
        runner.reroute(SHOP);

        assertEquals("route [shop.localhost, www.shop.org, shop.example.net]", cluster.calls.get(cluster.calls.size() - 1));
        assertEquals(1, cluster.applied.size(), "no new release for a change of host names");

        // the cluster serves the app until its next release, on whichever driver that goes
        catalog.update(SHOP, d -> d.withDriver("local").withDomains(List.of("www.shop.org")));
        runner.reroute(SHOP);
        assertEquals("route [shop.localhost, www.shop.org]", cluster.calls.get(cluster.calls.size() - 1));

        // a stopped app has nothing on the cluster to route to
        cluster.calls.clear();
        catalog.update(SHOP, d -> d.withStopped(true));
        runner.reroute(SHOP);
        assertEquals(List.of(), cluster.calls);
    }
}
