package cloud.hop3.tls.selfsigned;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;


import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.TlsSupport;

/** Test fixtures: core's TlsSupport reduced to its state directories, the component's configuration, PEM reading with the JDK. */
final class Fixtures {

    private Fixtures() {
    }

    /** State directories under {@code root}, as core lays them out: one per issuer. */
    static TlsSupport tlsSupport(Path root) {
        return new TlsSupport() {
            @Override
            public Path stateDirectory(String issuer) {
                Path directory = root.resolve(issuer);
                try {
                    return Files.createDirectories(directory);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void publishChallenge(String token, String content) throws CertificateException {
                throw new CertificateException("not used by the self-signed issuer");
            }

            @Override
            public void withdrawChallenge(String token) {
            }
        };
    }

    /** The issuer as DS makes it. */
    static SelfSignedIssuer issuer(Path stateRoot, int validityDays, int renewBeforeDays) {
        return new SelfSignedIssuer(tlsSupport(stateRoot), config(validityDays, renewBeforeDays));
    }

    static SelfSignedIssuer.Config config(int validityDays, int renewBeforeDays) {
        return new SelfSignedIssuer.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SelfSignedIssuer.Config.class;
            }

            @Override
            public int validityDays() {
                return validityDays;
            }

            @Override
            public int renewBeforeDays() {
                return renewBeforeDays;
            }
        };
    }

    /** Every certificate in a PEM file, read by the JDK (not by the code under test). */
    @SuppressWarnings("unchecked")
    static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (List<X509Certificate>) (List<?>) List.copyOf(
                    CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }
}
