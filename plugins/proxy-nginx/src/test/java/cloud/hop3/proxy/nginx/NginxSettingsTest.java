package cloud.hop3.proxy.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NginxSettingsTest {

    /** The configuration's defaults, with the given directory and ports. */
    private static NginxProxy.Config config(String directory, String httpPort, String httpsPort) {
        return new NginxProxy.Config() {
            @Override public Class<? extends Annotation> annotationType() { return NginxProxy.Config.class; }
            @Override public String directory() { return directory; }
            @Override public String binary() { return "nginx"; }
            @Override public String httpPort() { return httpPort; }
            @Override public String httpsPort() { return httpsPort; }
            @Override public String bindAddress() { return "0.0.0.0"; }
            @Override public String workerProcesses() { return "auto"; }
            @Override public int connectTimeoutMillis() { return 5000; }
            @Override public int idleTimeoutSeconds() { return 60; }
            @Override public int maxBodyMegabytes() { return 100; }
            @Override public int drainTimeoutSeconds() { return 10; }
            @Override public boolean accessLog() { return true; }
        };
    }

    @Test
    void defaultsComeFromTheEnvironment() {
        NginxSettings s = NginxSettings.of(config("", "", ""),
                Map.of("HOP3_HOME", "/var/lib/hop3", "HOP3_HTTP_PORT", "9080", "HOP3_HTTPS_PORT", "9443"));
        assertEquals(Path.of("/var/lib/hop3/proxy/nginx"), s.directory());
        assertEquals(9080, s.httpPort());
        assertEquals(9443, s.httpsPort());
        assertEquals(Duration.ofSeconds(10), s.drainTimeout());
    }

    @Test
    void configuredValuesWinAndFallBackToTheDefaultPorts() {
        NginxSettings s = NginxSettings.of(config("/srv/nginx", "", ""), Map.of("HOP3_HOME", "/var/lib/hop3"));
        assertEquals(Path.of("/srv/nginx"), s.directory());
        assertEquals(8080, s.httpPort());
        assertEquals(8443, s.httpsPort());
        assertEquals(81, NginxSettings.of(config("/srv/nginx", "81", ""), Map.of("HOP3_HTTP_PORT", "9080")).httpPort());
    }

    @Test
    void refusesBadValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NginxSettings.of(config("/srv/nginx", "eighty", ""), Map.of()));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NginxSettings.of(config("/srv/nginx", "70000", ""), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> NginxSettings.of(config("/srv/nginx", "8443", "8443"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> NginxSettings.of(config("relative", "", ""), Map.of()));
    }

    @Test
    void findsNginxInSbinWhenThePathLacksIt() {
        assertEquals("/usr/sbin/nginx", NginxSettings.binary("nginx", "/nowhere"));
        assertEquals("/opt/nginx/sbin/nginx", NginxSettings.binary("/opt/nginx/sbin/nginx", "/usr/bin"));
    }
}
