package cloud.hop3.proxy.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.plugin.testkit.TestPlatform;

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

    @TempDir
    Path home;

    private NginxSettings of(NginxProxy.Config config) {
        return NginxSettings.of(config, new TestPlatform(home, 9080, 9443), "/usr/bin");
    }

    @Test
    void defaultsComeFromThePlatform() {
        NginxSettings s = of(config("", "", ""));
        assertEquals(home.resolve("proxy/nginx"), s.directory());
        assertTrue(Files.isDirectory(s.directory()), "the platform makes the state directory");
        assertEquals(9080, s.httpPort());
        assertEquals(9443, s.httpsPort());
        assertEquals(Duration.ofSeconds(10), s.drainTimeout());
    }

    @Test
    void configuredValuesWinOverThePlatformsDefaults() {
        NginxSettings s = of(config("/srv/nginx", "81", "444"));
        assertEquals(Path.of("/srv/nginx"), s.directory());
        assertEquals(81, s.httpPort());
        assertEquals(444, s.httpsPort());
    }

    @Test
    void refusesBadValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(config("/srv/nginx", "eighty", "")));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of(config("/srv/nginx", "70000", "")));
        assertThrows(IllegalArgumentException.class, () -> of(config("/srv/nginx", "8443", "8443")));
        assertThrows(IllegalArgumentException.class, () -> of(config("relative", "", "")));
    }

    @Test
    void findsNginxInSbinWhenThePathLacksIt() {
        assertEquals("/usr/sbin/nginx", NginxSettings.binary("nginx", "/nowhere"));
        assertEquals("/opt/nginx/sbin/nginx", NginxSettings.binary("/opt/nginx/sbin/nginx", "/usr/bin"));
    }
}
