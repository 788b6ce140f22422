package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployLogChunk;

class DeployLogBookTest {

    private static final AppName SHOP = AppName.of("shop");

    @TempDir
    Path home;

    /** What the pusher would see. */
    static final class Lines implements BuildLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void step(String text) {
            lines.add("step " + text);
        }

        @Override
        public void info(String text) {
            lines.add("info " + text);
        }

        @Override
        public void warn(String text) {
            lines.add("warn " + text);
        }
    }

    @Test
    void aDeployIsReadAsItRunsAndItsEndIsItsLastLine() throws Exception {
        DeployLogBook book = new DeployLogBook(home);
        Files.createDirectories(home.resolve("apps/shop"));
        Lines pusher = new Lines();
        DeployLogBook.Running run = book.begin(SHOP, "Deploy abc", pusher);
        run.step("Building with python");
        run.info("pip install");
        DeployLogChunk first = book.read(SHOP, 0, 100);
        assertTrue(first.running());
        assertEquals("Deploy abc", first.title());
        assertEquals(List.of("-----> Building with python", "       pip install"), first.lines());
        assertEquals(List.of("step Building with python", "info pip install"), pusher.lines, "the pusher still sees it all");
        run.warn("slow");
        run.end(false, "health check failed");
        DeployLogChunk rest = book.read(SHOP, first.next(), 100);
        assertFalse(rest.running());
        assertEquals(Boolean.FALSE, rest.ok());
        assertEquals(List.of(" !     slow", " !     Failed: health check failed"), rest.lines());
        // read back from disk by the next run of the platform
        DeployLogChunk again = new DeployLogBook(home).read(SHOP, 0, 100);
        assertEquals(first.deploy(), again.deploy());
        assertEquals(4, again.lines().size());
    }

    @Test
    void aFollowerIsWokenByALineAndMovesToTheNextDeploy() throws Exception {
        DeployLogBook book = new DeployLogBook(null);
        DeployLogBook.Running run = book.begin(SHOP, "Deploy abc", new Lines());
        String id = book.read(SHOP, 0, 10).deploy();
        CompletableFuture<DeployLogChunk> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return book.await(SHOP, id, 0, 10, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        run.step("Building");
        assertEquals(List.of("-----> Building"), waiting.get(10, TimeUnit.SECONDS).lines());
        run.end(true, null);
        assertEquals(List.of("-----> Done."), book.await(SHOP, id, 1, 10, Duration.ofSeconds(5)).lines());
        assertEquals(List.of(), book.await(SHOP, id, 2, 10, Duration.ofMillis(50)).lines(), "nothing new: it waited, then said so");
        book.begin(SHOP, "Rollback to v1", new Lines()).info("starting");
        DeployLogChunk next = book.await(SHOP, id, 2, 10, Duration.ofSeconds(5));
        assertNotEquals(id, next.deploy());
        assertEquals(List.of("       starting"), next.lines());
    }

    @Test
    void anAppWithoutADeployHasAnEmptyLog() {
        DeployLogChunk none = new DeployLogBook(home).read(SHOP, 0, 10);
        assertEquals("", none.deploy());
        assertEquals(List.of(), none.lines());
    }
}
