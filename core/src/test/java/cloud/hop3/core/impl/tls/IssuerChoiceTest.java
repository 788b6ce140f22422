package cloud.hop3.core.impl.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.platform.CoreConfigs;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.plugin.FakeServices;
import cloud.hop3.core.impl.plugin.FakeServices.Registration;
import cloud.hop3.core.impl.plugin.PluginTracker;

/** The issuer in use does not depend on the order issuers are bound in, and plugin:list names it. */
class IssuerChoiceTest {

    @TempDir
    Path home;

    private record NamedIssuer(String name) implements CertificateIssuer {
        @Override
        public boolean publiclyTrusted() {
            return false;
        }

        @Override
        public Duration renewBefore() {
            return Duration.ofDays(30);
        }

        @Override
        public IssuedCertificate issue(Set<String> hosts, Path directory) throws CertificateException {
            throw new CertificateException("not in this test");
        }
    }

    /**
     * Binds an issuer for each registration, in the given order, and checks that plugin:list
     * marks as in use exactly the registration of the issuer that certificates are asked of.
     *
     * @return the service id of the issuer in use
     */
    private long usedAndListed(String configured, List<Registration> order) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory(home, "run");
        Certificates certificates = new Certificates(new AppCatalog(new PlatformSettings(dir, "example.test"),
                Clock.systemUTC()), dir, Clock.systemUTC(), configured);
        try {
            Map<CertificateIssuer, Registration> bound = new IdentityHashMap<>();
            for (Registration r : order) {
                CertificateIssuer issuer = new NamedIssuer(String.valueOf(r.properties().get(CertificateIssuer.NAME_PROPERTY)));
                bound.put(issuer, r);
                certificates.addIssuer(issuer, r.properties());
            }
            PluginTracker tracker = new PluginTracker(CoreConfigs.with(Map.of("issuer", configured)),
                    Map.of(PluginKind.CERTIFICATE_ISSUER, order.stream().<ServiceReference<?>>map(Registration::reference).toList()),
                    null);
            long used = (Long) bound.get(certificates.issuer().orElseThrow()).properties().get("service.id");
            List<Long> listed = tracker.plugins().stream().filter(PluginInfo::active).map(PluginInfo::bundleId).toList();
            assertEquals(List.of(used), listed, "plugin:list marks the issuer in use, and only it");
            return used;
        } finally {
            certificates.deactivate();
        }
    }

    @Test
    void onEqualRankingsTheSameIssuerIsUsedAndListedWhateverTheBindOrder() throws Exception {
        Registration selfsigned = FakeServices.register(Map.of(CertificateIssuer.NAME_PROPERTY, "selfsigned"));
        Registration acme = FakeServices.register(Map.of(CertificateIssuer.NAME_PROPERTY, "acme"));
        long acmeId = (Long) acme.properties().get("service.id");

        assertEquals(acmeId, usedAndListed("", List.of(selfsigned, acme)));
        assertEquals(acmeId, usedAndListed("", List.of(acme, selfsigned)));
    }

    @Test
    void theConfiguredIssuerIsUsedAndListedOverAHigherRankingInEitherOrder() throws Exception {
        Registration selfsigned = FakeServices.register(Map.of(CertificateIssuer.NAME_PROPERTY, "selfsigned"));
        Registration acme = FakeServices.register(Map.of(CertificateIssuer.NAME_PROPERTY, "acme", "service.ranking", 10));
        long selfsignedId = (Long) selfsigned.properties().get("service.id");

        assertEquals(selfsignedId, usedAndListed("selfsigned", List.of(selfsigned, acme)));
        assertEquals(selfsignedId, usedAndListed("selfsigned", List.of(acme, selfsigned)));
    }
}
