package cloud.hop3.proxy.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

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

    @Test
    void defaultsComeFromTheEnvironmentThenFixedValues() {
        CaddySettings fromEnvironment = CaddySettings.of(config("", "", "", 10),
                Map.of("HOP3_HOME", "/srv/hop3", "HOP3_HTTP_PORT", "9080", "HOP3_HTTPS_PORT", "9443"), null);
        assertEquals(Path.of("/srv/hop3/proxy/caddy"), fromEnvironment.directory());
        assertEquals(9080, fromEnvironment.httpPort());
        assertEquals(9443, fromEnvironment.httpsPort());
        assertEquals("0.0.0.0", fromEnvironment.bindAddress());

        CaddySettings fixed = CaddySettings.of(config("", "", "", 10), Map.of(), "/opt/hop3/data");
        assertEquals(Path.of("/opt/hop3/data/hop3/proxy/caddy"), fixed.directory());
        assertEquals(8080, fixed.httpPort());
        assertEquals(8443, fixed.httpsPort());

        CaddySettings configured = CaddySettings.of(config("/var/caddy", "81", "444", 10),
                Map.of("HOP3_HTTP_PORT", "9080"), null);
        assertEquals(Path.of("/var/caddy"), configured.directory());
        assertEquals(81, configured.httpPort());
        assertEquals(444, configured.httpsPort());
    }

    @Test
    void refusesPortsAndNumbersOutOfRange() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> CaddySettings.of(config("", "http", "", 10), Map.of(), null));
        assertTrue(port.getMessage().contains("'http'"), port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CaddySettings.of(config("", "", "", -1), Map.of(), null));
    }
}
