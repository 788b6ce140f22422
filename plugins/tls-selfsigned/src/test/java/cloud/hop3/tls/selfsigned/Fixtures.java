package cloud.hop3.tls.selfsigned;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Proxy;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;


import cloud.hop3.api.app.HostName;
import cloud.hop3.api.platform.Platform;
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

    /** The issuer as DS makes it, on a platform whose domain is {@code localhost}. */
    static SelfSignedIssuer issuer(Path stateRoot, int validityDays, int renewBeforeDays) {
        return issuer(stateRoot, "localhost", validityDays, renewBeforeDays);
    }

    /** The issuer as DS makes it, on a platform whose domain is {@code domain}. */
    static SelfSignedIssuer issuer(Path stateRoot, String domain, int validityDays, int renewBeforeDays) {
        return new SelfSignedIssuer(tlsSupport(stateRoot), platform(domain), config(validityDays, renewBeforeDays));
    }

    /** Core's Platform reduced to its domain. */
    static Platform platform(String domain) {
        return (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(), new Class<?>[] {Platform.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("domain")) {
                        return HostName.of(domain);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
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
