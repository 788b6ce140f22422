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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.channel.epoll.Epoll;

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
        first.apply(appTable(1, app));

        BuiltinProxy second = handOverUnderLoad(port, first, () -> {
            // no proxy at all, as while the platform restarts: a client connects and waits
            try (Socket waiting = new Socket("127.0.0.1", port)) {
                waiting.getOutputStream().write(request("app.example.org"));
                Thread.sleep(300);
                BuiltinProxy next = serving(new BuiltinProxy(settings, Transport.best(), null, holder), appTable(2, app));
                waiting.setSoTimeout(10_000);
                String answer = new String(waiting.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(fromApp(answer), answer);
                return next;
            }
        });
        assertTrue(log().contains("listening on 127.0.0.1:" + port), log());
        assertEquals(port, second.port());
    }

    @Test
    void aRetireClosesTheHoldersSocketSoThatThePortIsFree() throws Exception {
        TestUpstream app = upstream("app");
        int port = InstanceHandoverTest.KeptPort.free();
        BuiltinProxy proxy = new BuiltinProxy(settings(port), Transport.best(), null, holder);
        try {
            proxy.apply(appTable(1, app));
            assertTrue(get(port, "app.example.org").endsWith("hello from app"));
            proxy.retire();
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                    "a retired proxy's port still accepts");
            assertTrue(log().contains("closed 127.0.0.1:" + port), log());
            // and the next table listens again, through the holder
            proxy.apply(appTable(2, app));
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
            proxy.apply(appTable(1, app));
            assertTrue(get(proxy.port(), "app.example.org").endsWith("hello from app"));
        } finally {
            proxy.deactivate();
        }
        assertTrue(!log().contains("listening on"), log());
    }
}
