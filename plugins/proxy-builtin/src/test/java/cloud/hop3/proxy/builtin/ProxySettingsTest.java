package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.hop3.plugin.testkit.TestPlatform;

class ProxySettingsTest {

    /** The component's configuration as a test writes it; DS builds the real one from the PID. */
    private record Config(String httpPort, String httpsPort, String bindAddress, int connectTimeoutMillis, int idleTimeoutSeconds,
                          int maxHeaderBytes, int maxBodyMegabytes, int drainTimeoutSeconds)
            implements BuiltinProxy.Config {

        static Config defaults(String port) {
            return new Config(port, "", "0.0.0.0", 5000, 60, 16384, 100, 10);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return BuiltinProxy.Config.class;
        }
    }

    private static ProxySettings of(Config config) {
        return ProxySettings.of(config, new TestPlatform(Path.of("/nonexistent"), 9100, 9444));
    }

    @Test
    void thePortsComeFromTheConfigurationThenThePlatform() {
        assertEquals(9000, of(Config.defaults("9000")).port());
        assertEquals(9100, of(Config.defaults("")).port());
        assertEquals(9443, of(new Config("", "9443", "0.0.0.0", 5000, 60, 16384, 100, 10)).httpsPort());
        assertEquals(9444, of(Config.defaults("")).httpsPort());
    }

    @Test
    void aBadPortIsAnErrorNamingItsSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> of(new Config("", "https", "0.0.0.0", 5000, 60, 16384, 100, 10)));
        assertTrue(e.getMessage().contains("HTTPS port") && e.getMessage().contains("httpsPort"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of(Config.defaults("70000")));
    }

    @Test
    void bindAddressesComeFromTheConfigurationThenThePlatform() throws Exception {
        assertEquals(List.of(InetAddress.getByName("0.0.0.0")), of(Config.defaults("")).bindAddresses());
        assertEquals(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")),
                of(new Config("", "", "127.0.0.1,::1", 5000, 60, 16384, 100, 10)).bindAddresses());
        assertEquals(List.of(InetAddress.getLoopbackAddress()),
                of(new Config("", "", "", 5000, 60, 16384, 100, 10)).bindAddresses());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> of(new Config("", "", "example.org", 5000, 60, 16384, 100, 10)));
        assertTrue(e.getMessage().contains("bindAddress of " + BuiltinProxy.PID), e.getMessage());
    }

    @Test
    void unitsAreConvertedAndNonsenseFallsBackToDefaults() {
        ProxySettings settings = of(new Config(" 8081 ", "", " ", 250, 0, 10, 0, -1));
        assertEquals(100L * 1024 * 1024, of(new Config("", "", "", 1, 1, 1024, -5, 0))
                .maxBodyBytes(), "a negative size is nonsense, not 'no limit'");
        assertEquals(8081, settings.port());
        assertEquals(List.of(InetAddress.getLoopbackAddress()), settings.bindAddresses(), "empty: the platform's");
        assertEquals(Duration.ofMillis(250), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(60), settings.idleTimeout());
        assertEquals(16384, settings.maxHeaderBytes());
        assertEquals(0, settings.maxBodyBytes(), "0 means no limit");
        assertEquals(Duration.ofSeconds(10), settings.drainTimeout());
        assertEquals(100L * 1024 * 1024, of(Config.defaults("")).maxBodyBytes());
    }
}
