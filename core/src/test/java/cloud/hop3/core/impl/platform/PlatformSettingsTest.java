package cloud.hop3.core.impl.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformSettingsTest {

    /** Core's configuration as DS would hand it over, with only home and domain set. */
    private static CoreConfig config(String home, String domain) {
        return CoreConfigs.with(Map.of("home", home, "domain", domain));
    }

    private static final Function<String, String> NONE = key -> null;

    @TempDir
    Path tmp;

    private static Function<String, String> vars(Map<String, String> values) {
        return values::get;
    }

    @Test
    void configurationWinsOverTheEnvironment() {
        Path configured = tmp.resolve("configured");
        PlatformSettings s = PlatformSettings.resolve(config(configured.toString(), "paas.example.com"),
                vars(Map.of("HOP3_HOME", tmp.resolve("env").toString(), "HOP3_DOMAIN", "env.example.org")),
                vars(Map.of("karaf.data", tmp.resolve("karaf").toString())));

        assertEquals(configured, s.home());
        assertEquals("paas.example.com", s.domain());
    }

    @Test
    void theEnvironmentWinsOverTheDefaults() {
        Path env = tmp.resolve("env");
        PlatformSettings s = PlatformSettings.resolve(config("", ""),
                vars(Map.of("HOP3_HOME", env.toString(), "HOP3_DOMAIN", "env.example.org")),
                vars(Map.of("karaf.data", tmp.resolve("karaf").toString())));

        assertEquals(env, s.home());
        assertEquals("env.example.org", s.domain());
    }

    @Test
    void eachSettingFallsBackOnItsOwn() {
        Path configured = tmp.resolve("configured");
        PlatformSettings s = PlatformSettings.resolve(config(configured.toString(), ""),
                vars(Map.of("HOP3_DOMAIN", "env.example.org")), NONE);

        assertEquals(configured, s.home());
        assertEquals("env.example.org", s.domain());
    }

    @Test
    void theDefaultHomeIsHop3InsideKarafData() {
        Path karafData = tmp.resolve("karaf/data");
        PlatformSettings s = PlatformSettings.resolve(config("", ""), NONE,
                vars(Map.of("karaf.data", karafData.toString())));

        assertEquals(karafData.resolve("hop3"), s.home());
        assertEquals("localhost", s.domain());
    }

    @Test
    void withoutKarafDataTheDefaultHomeIsDataHop3UnderTheWorkingDirectory() {
        PlatformSettings s = PlatformSettings.resolve(config("", ""), NONE, NONE);

        assertEquals(Path.of("data", "hop3").toAbsolutePath().normalize(), s.home());
    }

    @Test
    void blankValuesCountAsUnset() {
        Path karafData = tmp.resolve("karaf/data");
        PlatformSettings s = PlatformSettings.resolve(config("   ", "\t"),
                vars(Map.of("HOP3_HOME", " ", "HOP3_DOMAIN", "")),
                vars(Map.of("karaf.data", karafData.toString())));

        assertEquals(karafData.resolve("hop3"), s.home());
        assertEquals("localhost", s.domain());
    }

    @Test
    void aBlankConfigurationFallsBackToTheEnvironment() {
        Path env = tmp.resolve("env");
        PlatformSettings s = PlatformSettings.resolve(config("  ", " "),
                vars(Map.of("HOP3_HOME", env.toString(), "HOP3_DOMAIN", "env.example.org")), NONE);

        assertEquals(env, s.home());
        assertEquals("env.example.org", s.domain());
    }

    @Test
    void theDomainIsLowerCasedAndValuesAreTrimmed() {
        Path configured = tmp.resolve("configured");
        PlatformSettings s = PlatformSettings.resolve(config("  " + configured + "  ", "  PaaS.Example.COM "),
                NONE, NONE);

        assertEquals("paas.example.com", s.domain());
        assertEquals(configured, s.home());
    }

    @Test
    void theDomainFromTheEnvironmentIsLowerCasedToo() {
        PlatformSettings s = PlatformSettings.resolve(config("", ""),
                vars(Map.of("HOP3_DOMAIN", "ENV.Example.ORG")), NONE);

        assertEquals("env.example.org", s.domain());
    }

    @Test
    void theHomeIsMadeAbsoluteAndNormalised() {
        PlatformSettings s = PlatformSettings.resolve(config(tmp + "/a/../b/./c", ""), NONE, NONE);

        assertEquals(tmp.resolve("b/c"), s.home());

        PlatformSettings relative = PlatformSettings.resolve(config("state/../hop3", ""), NONE, NONE);
        assertEquals(Path.of("hop3").toAbsolutePath(), relative.home());
    }

    @Test
    void anAppsDirectoryIsUnderAppsInTheHome() {
        PlatformSettings s = new PlatformSettings(tmp, "example.com");

        assertEquals(tmp.resolve("apps").resolve("shop"), s.appDirectory("shop"));
    }

    @Test
    void theProxyPortsComeFromTheConfigurationThenTheEnvironmentThenTheDefaults() {
        Map<String, String> env = Map.of("HOP3_HTTP_PORT", "9080", "HOP3_HTTPS_PORT", "9443");

        PlatformSettings configured = PlatformSettings.resolve(CoreConfigs.with(Map.of("http_port", 80, "https_port", 443)),
                vars(env), NONE);
        assertEquals(80, configured.httpPort());
        assertEquals(443, configured.httpsPort());

        PlatformSettings fromEnv = PlatformSettings.resolve(CoreConfigs.with(Map.of()), vars(env), NONE);
        assertEquals(9080, fromEnv.httpPort());
        assertEquals(9443, fromEnv.httpsPort());

        PlatformSettings defaults = PlatformSettings.resolve(CoreConfigs.with(Map.of()), NONE, NONE);
        assertEquals(8080, defaults.httpPort());
        assertEquals(8443, defaults.httpsPort());
    }

    @Test
    void aPortThatIsNotOneIsRefusedWithWhereItWasSet() {
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class, () -> PlatformSettings.resolve(
                CoreConfigs.with(Map.of()), vars(Map.of("HOP3_HTTPS_PORT", "eighty")), NONE));
        assertTrue(env.getMessage().contains("HOP3_HTTPS_PORT"), env.getMessage());

        IllegalArgumentException configured = assertThrows(IllegalArgumentException.class, () -> PlatformSettings.resolve(
                CoreConfigs.with(Map.of("http_port", 70000)), NONE, NONE));
        assertTrue(configured.getMessage().contains("http_port"), configured.getMessage());
    }

    @Test
    void bindAddressesComeFromTheConfigurationThenTheEnvironmentElseEveryIpv4Address() throws Exception {
        Path home = tmp.resolve("home");
        java.util.List<java.net.InetAddress> byDefault = PlatformSettings.resolve(config(home.toString(), ""), NONE, NONE)
                .bindAddresses();
        assertEquals(java.util.List.of(java.net.InetAddress.getByName("0.0.0.0")), byDefault);

        PlatformSettings env = PlatformSettings.resolve(config(home.toString(), ""),
                vars(Map.of("HOP3_BIND_ADDRESSES", "127.0.0.1, [::1]")), NONE);
        assertEquals(java.util.List.of(java.net.InetAddress.getByName("127.0.0.1"), java.net.InetAddress.getByName("::1")),
                env.bindAddresses());

        PlatformSettings configured = PlatformSettings.resolve(
                CoreConfigs.with(Map.of("home", home.toString(), "bind_addresses", "::")),
                vars(Map.of("HOP3_BIND_ADDRESSES", "127.0.0.1")), NONE);
        assertEquals(java.util.List.of(java.net.InetAddress.getByName("::")), configured.bindAddresses());
    }

    @Test
    void aBindAddressThatIsNoIpAddressIsAnErrorNamingItsSource() {
        Path home = tmp.resolve("home");
        for (String bad : new String[] {"localhost", "10.0.0.256", "0.0.0.0, 127.0.0.1", ":: , 127.0.0.1", "1", ""
                + "127.0.0.1,127.0.0.1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlatformSettings.resolve(
                    config(home.toString(), ""), vars(Map.of("HOP3_BIND_ADDRESSES", bad)), NONE), bad);
            assertTrue(e.getMessage().contains("HOP3_BIND_ADDRESSES"), e.getMessage());
        }
    }

    @Test
    void theSocketHolderComesFromTheConfigurationThenTheEnvironmentElseThereIsNone() {
        Path home = tmp.resolve("home");
        assertEquals(null, PlatformSettings.resolve(config(home.toString(), ""), NONE, NONE).socketHolder());
        Path fromEnv = tmp.resolve("run/holder.sock");
        assertEquals(fromEnv, PlatformSettings.resolve(config(home.toString(), ""),
                vars(Map.of("HOP3_SOCKET_HOLDER", fromEnv.toString())), NONE).socketHolder());
        Path configured = tmp.resolve("elsewhere/holder.sock");
        PlatformSettings both = PlatformSettings.resolve(
                CoreConfigs.with(Map.of("home", home.toString(), "socket_holder", configured.toString())),
                vars(Map.of("HOP3_SOCKET_HOLDER", fromEnv.toString())), NONE);
        assertEquals(configured, both.socketHolder());
        assertEquals(java.util.Optional.of(configured), new PlatformFacts(both, null).socketHolder());
    }
}
