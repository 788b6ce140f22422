package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

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

    @Test
    void thePortComesFromTheConfigurationThenTheEnvironmentThen8080() {
        assertEquals(9000, ProxySettings.of(Config.defaults("9000"), Map.of("HOP3_HTTP_PORT", "9100")).port());
        assertEquals(9100, ProxySettings.of(Config.defaults(""), Map.of("HOP3_HTTP_PORT", "9100")).port());
        assertEquals(8080, ProxySettings.of(Config.defaults(""), Map.of()).port());
    }

    @Test
    void theHttpsPortComesFromTheConfigurationThenTheEnvironmentThen8443() {
        Config configured = new Config("", "9443", "0.0.0.0", 5000, 60, 16384, 100, 10);
        assertEquals(9443, ProxySettings.of(configured, Map.of("HOP3_HTTPS_PORT", "9444")).httpsPort());
        assertEquals(9444, ProxySettings.of(Config.defaults(""), Map.of("HOP3_HTTPS_PORT", "9444")).httpsPort());
        assertEquals(8443, ProxySettings.of(Config.defaults(""), Map.of()).httpsPort());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxySettings.of(Config.defaults(""), Map.of("HOP3_HTTPS_PORT", "https")));
        assertTrue(e.getMessage().contains("HTTPS port") && e.getMessage().contains("HOP3_HTTPS_PORT"), e.getMessage());
    }

    @Test
    void aBadPortIsAnErrorNamingItsSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxySettings.of(Config.defaults(""), Map.of("HOP3_HTTP_PORT", "http")));
        assertTrue(e.getMessage().contains("HOP3_HTTP_PORT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProxySettings.of(Config.defaults("70000"), Map.of()));
    }

    @Test
    void unitsAreConvertedAndNonsenseFallsBackToDefaults() {
        ProxySettings settings = ProxySettings.of(new Config(" 8081 ", "", " ", 250, 0, 10, 0, -1), Map.of());
        assertEquals(100L * 1024 * 1024, ProxySettings.of(new Config("", "", "", 1, 1, 1024, -5, 0), Map.of())
                .maxBodyBytes(), "a negative size is nonsense, not 'no limit'");
        assertEquals(8081, settings.port());
        assertEquals("0.0.0.0", settings.bindAddress());
        assertEquals(Duration.ofMillis(250), settings.connectTimeout());
        assertEquals(Duration.ofSeconds(60), settings.idleTimeout());
        assertEquals(16384, settings.maxHeaderBytes());
        assertEquals(0, settings.maxBodyBytes(), "0 means no limit");
        assertEquals(Duration.ofSeconds(10), settings.drainTimeout());
        assertEquals(100L * 1024 * 1024, ProxySettings.of(Config.defaults(""), Map.of()).maxBodyBytes());
    }
}
