package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.channel.epoll.Epoll;

import cloud.hop3.plugin.testkit.RequestLoad;
import cloud.hop3.plugin.testkit.TestUpstream;

/**
 * The proxy's listening sockets held by the real {@code bin/hop3-holder} (python3), as when the
 * platform runs under {@code bin/hop3}: every proxy instance gets its own copy, so that between
 * two instances, and while no instance exists at all (the platform's JVM restarting), clients
 * wait in the socket's queue and are served by the next instance; a retire closes the port.
 */
class SocketHolderTest extends ProxyFixture {

    @TempDir
    Path tmp;

    private Process holderProcess;
    private SocketHolder holder;

    @BeforeEach
    void startHolder() throws Exception {
        assumeTrue(Epoll.isAvailable(), "the socket holder needs the epoll transport");
        Path script = Path.of(System.getProperty("hop3.holder", "../../karaf-assembly/src/main/resources/bin/hop3-holder"));
        Path control = tmp.resolve("run/holder.sock");
        holderProcess = new ProcessBuilder("python3", script.toString(), "serve", control.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("holder.log").toFile()).start();
        holder = new SocketHolder(control);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!holder.answers()) {
            assertTrue(holderProcess.isAlive() && System.nanoTime() < deadline,
                    () -> "the holder did not start: " + log());
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stopHolder() throws Exception {
        if (holderProcess != null) {
            holderProcess.destroy();
            holderProcess.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("holder.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void clientsWaitWhileNoInstanceRunsAndTheNextOneServesThemWithoutAFailure() throws Exception {
        TestUpstream app = upstream("app");
        int port = InstanceHandoverTest.KeptPort.free();
        ProxySettings settings = settings(port);
        BuiltinProxy first = new BuiltinProxy(settings, Transport.best(), null, holder);
        first.apply(table(1, route("app", List.of("app.example.org"), List.of(app.upstream()))));

        RequestLoad load = RequestLoad.start(4, () -> {
            String answer = get(port, "app.example.org");
            return answer.startsWith("HTTP/1.1 200") && answer.endsWith("hello from app") ? Optional.empty()
                    : Optional.of(answer.lines().findFirst().orElse("(empty answer)"));
        });
        BuiltinProxy second = null;
        try {
            load.awaitMore(50, Duration.ofSeconds(20));
            first.deactivate();
            // no proxy at all, as while the platform restarts: a client connects and waits
            try (Socket waiting = new Socket("127.0.0.1", port)) {
                waiting.getOutputStream().write(request("app.example.org"));
                Thread.sleep(300);
                second = new BuiltinProxy(settings, Transport.best(), null, holder);
                second.apply(table(2, route("app", List.of("app.example.org"), List.of(app.upstream()))));
                waiting.setSoTimeout(10_000);
                String answer = new String(waiting.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("hello from app"), answer);
            }
            load.awaitMore(50, Duration.ofSeconds(20));
        } finally {
            load.stop();
            if (second != null) {
                second.deactivate();
            }
        }
        assertEquals(List.of(), load.failures(), "failed requests across the handover (" + load.served() + " succeeded)");
        assertTrue(log().contains("listening on 127.0.0.1:" + port), log());
        assertEquals(port, second.port());
    }

    @Test
    void aRetireClosesTheHoldersSocketSoThatThePortIsFree() throws Exception {
        TestUpstream app = upstream("app");
        int port = InstanceHandoverTest.KeptPort.free();
        BuiltinProxy proxy = new BuiltinProxy(settings(port), Transport.best(), null, holder);
        try {
            proxy.apply(table(1, route("app", List.of("app.example.org"), List.of(app.upstream()))));
            assertTrue(get(port, "app.example.org").endsWith("hello from app"));
            proxy.retire();
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                    "a retired proxy's port still accepts");
            assertTrue(log().contains("closed 127.0.0.1:" + port), log());
            // and the next table listens again, through the holder
            proxy.apply(table(2, route("app", List.of("app.example.org"), List.of(app.upstream()))));
            assertTrue(get(port, "app.example.org").endsWith("hello from app"));
        } finally {
            proxy.deactivate();
        }
    }

    @Test
    void withoutAnsweringHolderTheProxyListensOnItsOwn() throws Exception {
        TestUpstream app = upstream("app");
        BuiltinProxy proxy = new BuiltinProxy(settings(0), Transport.best(), null,
                new SocketHolder(tmp.resolve("run/nobody.sock")));
        try {
            proxy.apply(table(1, route("app", List.of("app.example.org"), List.of(app.upstream()))));
            assertTrue(get(proxy.port(), "app.example.org").endsWith("hello from app"));
        } finally {
            proxy.deactivate();
        }
        assertTrue(!log().contains("listening on"), log());
    }
}
