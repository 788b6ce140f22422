package cloud.hop3.plugin.support.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.metrics.RequestMeter;
import cloud.hop3.api.metrics.RequestMetrics;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;

class RequestLogTest {

    @TempDir
    Path dir;

    /** What a metrics service was told: app, process type, status, nanoseconds. */
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final RequestMetrics metrics = (app, type) -> (status, nanos) -> recorded.add(app + " " + type + " " + status + " " + nanos);

    private static RouteTable table(String app, String... hosts) {
        return new RouteTable(1, List.of(new Route(AppName.of(app), List.of(hosts).stream().map(HostName::of).toList(),
                List.of(), Map.of(), Optional.empty(), false)));
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void requestsOfKnownHostsAreRecordedForTheirAppAndOthersIgnored() throws Exception {
        Path log = dir.resolve("logs/requests.log");
        try (RequestLog requests = new RequestLog("test", log, false, line -> LoggedRequest.ofFields(line, false))) {
            requests.metrics(metrics);
            assertTrue(requests.open());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
            requests.routes(table("shop", "shop.example", "www.shop.example"));
            append(log, "shop.example 200 0.004\nunknown.example 404 0.001\nnot a request\nwww.shop.example 503 1.5\n");
            await("two requests recorded", () -> recorded.size() == 2);
            assertEquals(List.of("shop web 200 4000000", "shop web 503 1500000000"), recorded);

            requests.withoutMetrics(metrics);
            append(log, "shop.example 200 0.004\n");
            requests.stop(); // reads what is there, once more
            assertEquals(2, recorded.size(), "no metrics service: nothing recorded");
        }
    }

    @Test
    void aLogLeftWorldReadableIsMadeOwnerOnlyAndWhatItHeldIsNotCountedAgain() throws Exception {
        Path log = dir.resolve("requests.log");
        Files.writeString(log, "shop.example 200 0.004\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));
        try (RequestLog requests = new RequestLog("test", log, false, line -> LoggedRequest.ofFields(line, false))) {
            requests.metrics(metrics);
            requests.routes(table("shop", "shop.example"));
            assertTrue(requests.open());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
            append(log, "shop.example 404 0.002\n");
            await("the new request", () -> recorded.size() == 1);
            requests.stop();
            assertEquals(List.of("shop web 404 2000000"), recorded);
        }
    }

    @Test
    void aPipeIsCreatedOwnerOnlyInPlaceOfAFileAndRead() throws Exception {
        Path pipe = dir.resolve("requests.pipe");
        Files.writeString(pipe, "a stale file\n");
        try (RequestLog requests = new RequestLog("test", pipe, true, line -> LoggedRequest.ofFields(line, true))) {
            requests.metrics(metrics);
            requests.routes(table("shop", "shop.example"));
            assertTrue(requests.open());
            assertFalse(Files.isRegularFile(pipe, LinkOption.NOFOLLOW_LINKS));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pipe)));
            try (OutputStream writer = Files.newOutputStream(pipe, StandardOpenOption.WRITE)) {
                writer.write("shop.example 200 12\n".getBytes(StandardCharsets.UTF_8));
            }
            await("the request", () -> recorded.size() == 1);
            assertEquals(List.of("shop web 200 12000000"), recorded);
        }
    }

    @Test
    void aLinkWhereTheLogBelongsIsReplacedAndItsTargetLeftAlone() throws Exception {
        Path elsewhere = dir.resolve("elsewhere.txt");
        Files.writeString(elsewhere, "not a log\n");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-r--r--"));
        Path log = dir.resolve("requests.log");
        Files.createSymbolicLink(log, elsewhere);
        try (RequestLog requests = new RequestLog("test", log, false, line -> null)) {
            assertTrue(requests.open());
            assertTrue(Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS));
            assertEquals("not a log\n", Files.readString(elsewhere));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(elsewhere)));
        }
    }

    @Test
    void aClosedLogDoesNotOpenAgain() {
        RequestLog requests = new RequestLog("test", dir.resolve("requests.log"), false, line -> null);
        requests.close();
        assertFalse(requests.open());
    }
}
