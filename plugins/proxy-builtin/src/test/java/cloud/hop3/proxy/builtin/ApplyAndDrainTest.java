package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.plugin.testkit.RequestLoad;
import cloud.hop3.plugin.testkit.TestUpstream;

/** Route tables applied while requests flow, draining upstreams, and the proxy's start and stop. */
class ApplyAndDrainTest extends ProxyFixture {

    @Test
    void applySwitchesAtomicallyUnderLoadAndDrainRetiresTheOldUpstream() throws Exception {
        TestUpstream blue = upstream("blue");
        TestUpstream green = upstream("green");
        BuiltinProxy proxy = proxy();
        RouteTable toBlue = table(1, shop(blue.upstream()));
        proxy.apply(toBlue);

        RequestLoad load = RequestLoad.start(4, () -> {
            RawClient client = new RawClient(proxy.port());
            return new RequestLoad.Client() {
                @Override
                public Optional<String> send() throws Exception {
                    RawClient.Response response = client.get("shop.example.org", "/");
                    return response.status() == 200 && response.text().startsWith("hello from ") ? Optional.empty()
                            : Optional.of(response.status() + " " + response.text());
                }

                @Override
                public void close() throws IOException {
                    client.close();
                }
            };
        });
        try {
            for (int i = 0; i < 20; i++) {
                TestUpstream to = i % 2 == 0 ? green : blue;
                proxy.apply(table(i + 2, shop(to.upstream())));
                load.awaitMore(50, Duration.ofSeconds(10));
            }
        } finally {
            load.stop();
        }
        assertEquals(List.of(), load.failures());
        assertTrue(load.served() >= 1000, "requests: " + load.served());
        // the 20th switch went to blue: green is the old one now
        assertTrue(proxy.drain(List.of(green.upstream()), Duration.ofSeconds(5)));
        assertEquals(0, proxy.server().idleConnections(green.upstream()));
        int greenBefore = green.requests.get();
        try (RawClient client = new RawClient(proxy.port())) {
            for (int i = 0; i < 50; i++) {
                assertEquals("hello from blue", client.get("shop.example.org", "/").text());
            }
        }
        assertEquals(greenBefore, green.requests.get());
    }

    @Test
    void drainWaitsForASlowRequestAndGivesUpAtTheTimeout() throws Exception {
        TestUpstream old = upstream("old");
        TestUpstream next = upstream("next");
        BuiltinProxy proxy = serving(shop(old.upstream()));
        CompletableFuture<RawClient.Response> slow = getInBackground(proxy, "shop.example.org", "/slow");
        old.awaitSlowRequest();
        proxy.apply(table(2, shop(next.upstream())));

        long started = System.nanoTime();
        assertFalse(proxy.drain(List.of(old.upstream()), Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(proxy.drain(List.of(next.upstream()), Duration.ofMillis(100)), "nothing in flight to next");

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return proxy.drain(List.of(old.upstream()), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        old.release();
        assertTrue(drained.get(10, TimeUnit.SECONDS));
        RawClient.Response response = slow.get(10, TimeUnit.SECONDS);
        assertEquals("slow from old", response.text(), "the request finished on the upstream it started on");
    }

    @Test
    void duplicateHostsAreRejectedAndThePreviousTableStillServes() throws Exception {
        TestUpstream a = upstream("a");
        TestUpstream b = upstream("b");
        BuiltinProxy proxy = proxy();
        RouteTable good = table(1, route("one", List.of("one.example.org"), List.of(a.upstream())));
        proxy.apply(good);
        ProxyException e = assertThrows(ProxyException.class, () -> proxy.apply(table(2,
                route("one", List.of("one.example.org", "shared.example.org"), List.of(a.upstream())),
                route("two", List.of("Shared.Example.org."), List.of(b.upstream())))));
        assertTrue(e.getMessage().contains("shared.example.org"), e.getMessage());
        assertSame(good, proxy.serving());
        try (RawClient client = new RawClient(proxy.port())) {
            assertEquals("hello from a", client.get("one.example.org", "/").text());
            assertEquals(404, client.get("shared.example.org", "/").status());
        }
        proxy.apply(good);
        assertSame(good, proxy.serving(), "applying the same table again is harmless");
    }

    @Test
    void servingIsEmptyBeforeTheFirstApply() {
        BuiltinProxy proxy = proxy();
        assertEquals(RouteTable.empty(), proxy.serving());
        assertEquals("builtin", proxy.name());
    }

    @Test
    void aTakenPortFailsTheActivationWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ProxySettings s = settings();
            ProxySettings clash = new ProxySettings(taken.getLocalPort(), "127.0.0.1", s.connectTimeout(),
                    s.idleTimeout(), s.maxHeaderBytes(), s.maxBodyBytes(), s.drainTimeout());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new BuiltinProxy(clash, Transport.best()));
            assertTrue(e.getMessage().contains(":" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("httpPort"), e.getMessage());
        }
    }

    @Test
    void stoppingLetsARequestInFlightFinish() throws Exception {
        TestUpstream app = upstream("app");
        BuiltinProxy proxy = new BuiltinProxy(settings(), Transport.best());
        AtomicReference<Thread> stopper = new AtomicReference<>();
        try {
            proxy.apply(appTable(1, app));
            CompletableFuture<RawClient.Response> slow = getInBackground(proxy, "app.example.org", "/slow");
            app.awaitSlowRequest();
            CountDownLatch stopping = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                stopping.countDown();
                proxy.deactivate();
            });
            stopper.set(t);
            t.start();
            stopping.await();
            // new connections are refused once the listener is closed
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline && canConnect(proxy.port())) {
                Thread.onSpinWait();
            }
            assertFalse(canConnect(proxy.port()));
            app.release();
            RawClient.Response response = slow.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.status());
            assertEquals("close", response.header("connection"));
            t.join(10_000);
            assertFalse(t.isAlive());
        } finally {
            if (stopper.get() == null) {
                proxy.deactivate();
            }
        }
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
