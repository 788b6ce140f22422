package cloud.hop3.proxy.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.plugin.testkit.TestPlatform;

class NginxSettingsTest {

    /** The configuration's defaults, with the given directory and ports. */
    private static NginxProxy.Config config(String directory, String httpPort, String httpsPort) {
        return config(directory, httpPort, httpsPort, "0.0.0.0");
    }

    private static NginxProxy.Config config(String directory, String httpPort, String httpsPort, String bindAddress) {
        return new NginxProxy.Config() {
            @Override public Class<? extends Annotation> annotationType() { return NginxProxy.Config.class; }
            @Override public String directory() { return directory; }
            @Override public String binary() { return "nginx"; }
            @Override public String httpPort() { return httpPort; }
            @Override public String httpsPort() { return httpsPort; }
            @Override public String bindAddress() { return bindAddress; }
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

    /** nginx listens where the platform says unless its own configuration says otherwise. */
    @Test
    void theWrittenConfigurationListensOnThePlatformsBindAddresses() throws Exception {
        TestPlatform platform = new TestPlatform(home, 9080, 9443,
                List.of(InetAddress.getByName("192.0.2.7"), InetAddress.getByName("2001:db8::7")));
        String conf = new NginxConfigWriter(NginxSettings.of(config("", "", "", ""), platform, "/usr/bin"), false)
                .write(RouteTable.empty());
        assertTrue(conf.contains("listen 192.0.2.7:9080 default_server reuseport;\n"
                + "        listen [2001:db8::7]:9080 default_server reuseport;\n"), conf);
        assertFalse(conf.contains("0.0.0.0"), conf);

        TestPlatform dualStack = new TestPlatform(home, 9080, 9443, List.of(InetAddress.getByName("::")));
        conf = new NginxConfigWriter(NginxSettings.of(config("", "", "", ""), dualStack, "/usr/bin"), false)
                .write(RouteTable.empty());
        assertTrue(conf.contains("listen [::]:9080 default_server reuseport ipv6only=off;\n"), conf);

        conf = new NginxConfigWriter(NginxSettings.of(config("", "", "", "127.0.0.1"), platform, "/usr/bin"), false)
                .write(RouteTable.empty());
        assertTrue(conf.contains("listen 127.0.0.1:9080 default_server reuseport;\n        server_name"), conf);
        assertThrows(IllegalArgumentException.class, () -> of(config("", "", "", "localhost")));
    }

    @Test
    void findsNginxInSbinWhenThePathLacksIt() {
        assertEquals("/usr/sbin/nginx", NginxSettings.binary("nginx", "/nowhere"));
        assertEquals("/opt/nginx/sbin/nginx", NginxSettings.binary("/opt/nginx/sbin/nginx", "/usr/bin"));
    }
}
