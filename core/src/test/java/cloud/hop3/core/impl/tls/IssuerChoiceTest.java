package cloud.hop3.core.impl.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.plugin.FakeServices;
import cloud.hop3.core.impl.plugin.FakeServices.Registration;
import cloud.hop3.core.impl.plugin.ChoiceAgreement;

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
        public IssuedCertificate issue(Set<HostName> hosts, Path directory) throws CertificateException {
            throw new CertificateException("not in this test");
        }
    }

    /** Binds the registrations' issuers in the given order; the issuer in use, checked against plugin:list. */
    private long usedAndListed(String configured, List<Registration> order) throws Exception {
        Path dir = Files.createTempDirectory(home, "run");
        Certificates certificates = new Certificates(new AppCatalog(new PlatformSettings(dir, "example.test"),
                Clock.systemUTC()), dir, Clock.systemUTC(), configured);
        try {
            return ChoiceAgreement.usedAndListed(PluginKind.CERTIFICATE_ISSUER, configured, order, NamedIssuer::new,
                    certificates::addIssuer, () -> certificates.issuer().orElseThrow(), null);
        } finally {
            certificates.deactivate();
        }
    }

    @Test
    void onEqualRankingsTheSameIssuerIsUsedAndListedWhateverTheBindOrder() throws Exception {
        Registration selfsigned = FakeServices.register(Map.of(CertificateIssuer.NAME_PROPERTY, "selfsigned"));
        Registration acme = FakeServices.register(Map.of(CertificateIssuer.NAME_PROPERTY, "acme"));
        long acmeId = ChoiceAgreement.id(acme);

        assertEquals(acmeId, usedAndListed("", List.of(selfsigned, acme)));
        assertEquals(acmeId, usedAndListed("", List.of(acme, selfsigned)));
    }

    @Test
    void theConfiguredIssuerIsUsedAndListedOverAHigherRankingInEitherOrder() throws Exception {
        Registration selfsigned = FakeServices.register(Map.of(CertificateIssuer.NAME_PROPERTY, "selfsigned"));
        Registration acme = FakeServices.register(Map.of(CertificateIssuer.NAME_PROPERTY, "acme", "service.ranking", 10));
        long selfsignedId = ChoiceAgreement.id(selfsigned);

        assertEquals(selfsignedId, usedAndListed("selfsigned", List.of(selfsigned, acme)));
        assertEquals(selfsignedId, usedAndListed("selfsigned", List.of(acme, selfsigned)));
    }
}
