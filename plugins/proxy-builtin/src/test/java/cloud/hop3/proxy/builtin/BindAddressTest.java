package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import cloud.hop3.plugin.testkit.TestUpstream;

/** The proxy listens on the configured addresses and nowhere else. */
class BindAddressTest extends ProxyFixture {

    private static ProxySettings on(String addresses) {
        ProxySettings s = settings();
        return new ProxySettings(0, 0, addresses, s.connectTimeout(), s.idleTimeout(), s.maxHeaderBytes(),
                s.maxBodyBytes(), Duration.ofSeconds(1));
    }

    /** 0.0.0.0 is every IPv4 address, as the guide says: the proxy does not answer on IPv6. */
    @Test
    void everyIpv4AddressIsNotIpv6() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(proxy(on("0.0.0.0")), shop(shop.upstream()));

        assertTrue(accepts("127.0.0.1", proxy.port()));
        assertTrue(get(proxy.port(), "shop.example.org").endsWith("hello from shop"));
        assertFalse(accepts("::1", proxy.port()), "listens on IPv6 loopback");
        assertFalse(accepts("::1", proxy.httpsPort()), "HTTPS listens on IPv6 loopback");
    }

    @Test
    void eachListedAddressGetsBothListenersOnTheSamePorts() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(proxy(on("127.0.0.1, [::1]")), shop(shop.upstream()));

        for (String address : new String[] {"127.0.0.1", "::1"}) {
            assertTrue(accepts(address, proxy.port()), address);
            assertTrue(accepts(address, proxy.httpsPort()), address);
        }
        try (RawClient client = new RawClient(connect("::1", proxy.port()))) {
            assertEquals("hello from shop", client.get("shop.example.org", "/").text());
        }
    }

    @Test
    void ipv6LoopbackOnlyIsNotIpv4() throws Exception {
        BuiltinProxy proxy = serving(proxy(on("::1")));

        assertTrue(accepts("::1", proxy.port()));
        assertFalse(accepts("127.0.0.1", proxy.port()));
    }

    @Test
    void theIpv6WildcardTakesIpv4TooOnThisDualStackSystem() throws Exception {
        BuiltinProxy proxy = serving(proxy(on("::")));

        assertTrue(accepts("::1", proxy.port()));
        assertTrue(accepts("127.0.0.1", proxy.port()));
    }

    private static boolean accepts(String address, int port) {
        try (Socket socket = connect(address, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Socket connect(String address, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
