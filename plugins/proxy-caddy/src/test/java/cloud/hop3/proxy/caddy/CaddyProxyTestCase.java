package cloud.hop3.proxy.caddy;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.plugin.testkit.TestUpstream;

/**
 * A Caddy proxy on free ports in a temporary directory, with two upstreams {@code a} and
 * {@code b}; all stopped after each test, pass or fail.
 */
abstract class CaddyProxyTestCase {

    @TempDir
    Path temp;
    CaddySettings settings;
    CaddyProxy proxy;
    TestUpstream a;
    TestUpstream b;

    @BeforeEach
    void start() throws IOException {
        settings = CaddyFixture.settings(temp.resolve("caddy"));
        proxy = new CaddyProxy(settings);
        a = new TestUpstream("a");
        b = new TestUpstream("b");
    }

    @AfterEach
    void stop() {
        proxy.deactivate();
        a.close();
        b.close();
    }
}
