package cloud.hop3.proxy.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaproxySettingsTest {

    @Test
    void portsAndDirectoryComeFromTheEnvironmentWhenNotConfigured() {
        HaproxySettings s = HaproxySettings.of(config("", ""), Map.of("HOP3_HTTP_PORT", "9080",
                "HOP3_HTTPS_PORT", "9443", "HOP3_HOME", "/srv/hop3"), key -> null);
        assertEquals(9080, s.httpPort());
        assertEquals(9443, s.httpsPort());
        assertEquals(Path.of("/srv/hop3/proxy/haproxy"), s.directory());
        assertEquals(Path.of("/srv/hop3/proxy/haproxy/run/master.sock"), s.masterSocket());

        HaproxySettings defaults = HaproxySettings.of(config("", ""), Map.of(), key -> "/opt/hop3/data");
        assertEquals(8080, defaults.httpPort());
        assertEquals(8443, defaults.httpsPort());
        assertEquals(Path.of("/opt/hop3/data/hop3/proxy/haproxy"), defaults.directory());
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> HaproxySettings.of(config("80x", ""), Map.of(), key -> null));
        assertTrue(port.getMessage().contains("httpPort '80x'"), port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HaproxySettings("haproxy", Path.of("/srv/a dir"),
                "0.0.0.0", 1, 2, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new HaproxySettings("haproxy", Path.of("/srv"),
                "0.0.0.0:80 ssl", 1, 2, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofSeconds(1)));
    }

    @Test
    void aBareBinaryNameIsFoundInSbinWhenThePathLacksIt(@TempDir Path dir) throws Exception {
        Path tool = Files.createFile(dir.resolve("haproxy"));
        tool.toFile().setExecutable(true);
        assertEquals(tool.toString(), HaproxySettings.binary("haproxy", dir.toString()));
        assertEquals("/opt/x/haproxy", HaproxySettings.binary("/opt/x/haproxy", dir.toString()));
        if (Files.isExecutable(Path.of("/usr/sbin/haproxy"))) {
            assertEquals("/usr/sbin/haproxy", HaproxySettings.binary("haproxy", "/nowhere"));
        }
    }

    private static HaproxyProxy.Config config(String httpPort, String directory) {
        return new HaproxyProxy.Config() {
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return HaproxyProxy.Config.class;
            }
            public String binary() { return "haproxy"; }
            public String directory() { return directory; }
            public String httpPort() { return httpPort; }
            public String httpsPort() { return ""; }
            public String bindAddress() { return "0.0.0.0"; }
            public int staticPort() { return 0; }
            public int connectTimeoutMillis() { return 5000; }
            public int idleTimeoutSeconds() { return 60; }
            public int maxBodyMegabytes() { return 100; }
            public int checkTimeoutSeconds() { return 30; }
        };
    }
}
