package cloud.hop3.proxy.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.plugin.testkit.TestPlatform;

class CaddySettingsTest {

    private static CaddyProxy.Config config(String directory, String httpPort, String httpsPort, int drain) {
        return new CaddyProxy.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return CaddyProxy.Config.class;
            }

            @Override
            public String binary() {
                return "caddy";
            }

            @Override
            public String directory() {
                return directory;
            }

            @Override
            public String httpPort() {
                return httpPort;
            }

            @Override
            public String httpsPort() {
                return httpsPort;
            }

            @Override
            public String bindAddress() {
                return "";
            }

            @Override
            public int connectTimeoutMillis() {
                return 5000;
            }

            @Override
            public int idleTimeoutSeconds() {
                return 60;
            }

            @Override
            public int maxHeaderBytes() {
                return 16384;
            }

            @Override
            public int maxBodyMegabytes() {
                return 100;
            }

            @Override
            public int drainTimeoutSeconds() {
                return drain;
            }

            @Override
            public int startTimeoutSeconds() {
                return 30;
            }
        };
    }

    @TempDir
    Path home;

    private CaddySettings of(CaddyProxy.Config config) {
        return CaddySettings.of(config, new TestPlatform(home, 9080, 9443));
    }

    @Test
    void defaultsComeFromThePlatform() {
        CaddySettings defaults = of(config("", "", "", 10));
        assertEquals(home.resolve("proxy/caddy"), defaults.directory());
        assertEquals(9080, defaults.httpPort());
        assertEquals(9443, defaults.httpsPort());
        assertEquals("127.0.0.1", defaults.bindAddress(), "empty: the platform's bind addresses");

        CaddySettings configured = of(config("/var/caddy", "81", "444", 10));
        assertEquals(Path.of("/var/caddy"), configured.directory());
        assertEquals(81, configured.httpPort());
        assertEquals(444, configured.httpsPort());
    }

    @Test
    void refusesPortsAndNumbersOutOfRange() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> of(config("", "http", "", 10)));
        assertTrue(port.getMessage().contains("'http'"), port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of(config("", "", "", -1)));
    }
}
