package cloud.hop3.core.impl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.deploy.DeployPipeline;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.route.RouteManager;
import cloud.hop3.core.impl.isolation.AppUsers;

/** Destroying an app waits for the change of it under way, like a deploy waits for another. */
class PlatformAppsTest {

    private static final AppName SHOP = AppName.of("shop");

    @TempDir
    Path home;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private AppCatalog catalog;
    private DeployPipeline pipeline;
    private PlatformApps apps;

    @BeforeEach
    void setUp() throws Exception {
        catalog = new AppCatalog(new PlatformSettings(home, "example.com"), Clock.systemUTC());
        pipeline = new DeployPipeline();
        // no process driver and no proxy: destroying only removes the app's state
        apps = new PlatformApps(catalog, new ReleaseRunner(), new RouteManager(), pipeline, AppUsers.none(home));
        catalog.create(SHOP);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    void aDestroyDuringADeployWaitsForItToEnd() throws Exception {
        CountDownLatch deploying = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<Object> deploy = threads.submit(() -> pipeline.queued(SHOP, () -> {
            deploying.countDown();
            finish.await();
            // the deploy records its release; a destroy that ran alongside would make this fail
            return catalog.update(SHOP, d -> d.withConfig(Map.of("DEPLOYED", "yes")));
        }));
        assertTrue(deploying.await(10, TimeUnit.SECONDS));

        Future<Object> destroy = threads.submit(() -> {
            apps.destroy(SHOP, false);
            return null;
        });

        assertThrows(TimeoutException.class, () -> destroy.get(300, TimeUnit.MILLISECONDS), "the destroy waits");
        assertTrue(catalog.find(SHOP).isPresent(), "the app is there while its deploy runs");
        finish.countDown();
        deploy.get(10, TimeUnit.SECONDS);
        destroy.get(10, TimeUnit.SECONDS);
        assertFalse(catalog.find(SHOP).isPresent(), "destroyed once the deploy ended");
    }

    @Test
    void aDestroyQueuedBehindAnotherOneFindsNoApp() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> hold = threads.submit(() -> pipeline.queued(SHOP, () -> {
            holding.countDown();
            release.await();
            return null;
        }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        Future<Object> first = threads.submit(() -> {
            apps.destroy(SHOP, false);
            return null;
        });
        Future<Object> second = threads.submit(() -> {
            apps.destroy(SHOP, false);
            return null;
        });
        release.countDown();
        hold.get(10, TimeUnit.SECONDS);

        List<Throwable> failures = new java.util.ArrayList<>();
        for (Future<Object> f : List.of(first, second)) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        assertEquals(1, failures.size(), "one destroy removes the app, the other is told it does not exist");
        assertTrue(failures.get(0) instanceof java.util.NoSuchElementException, failures.get(0).toString());
        assertFalse(catalog.find(SHOP).isPresent());
    }

    @Test
    void aDriverThatIsNotInstalledIsRefusedAndNothingChanges() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apps.driver(SHOP, "kubernetes"));

        assertTrue(e.getMessage().contains("'kubernetes'") && e.getMessage().contains("unchanged"), e.getMessage());
        assertEquals("", catalog.document(SHOP).driver());
        assertFalse(apps.driver(SHOP).chosen());
    }
}
