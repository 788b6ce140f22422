package cloud.hop3.proxy.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.plugin.testkit.TestPlatform;

class HaproxySettingsTest {

    @TempDir
    Path home;

    private HaproxySettings of(HaproxyProxy.Config config) {
        return HaproxySettings.of(config, new TestPlatform(home, 9080, 9443), "/usr/bin");
    }

    @Test
    void portsAndDirectoryComeFromThePlatformWhenNotConfigured() {
        HaproxySettings s = of(config("", ""));
        assertEquals(9080, s.httpPort());
        assertEquals(9443, s.httpsPort());
        assertEquals(home.resolve("proxy/haproxy"), s.directory());
        assertEquals(home.resolve("proxy/haproxy/run/master.sock"), s.masterSocket());

        HaproxySettings configured = of(config("81", "/srv/haproxy"));
        assertEquals(81, configured.httpPort());
        assertEquals(Path.of("/srv/haproxy"), configured.directory());
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> of(config("80x", "")));
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
