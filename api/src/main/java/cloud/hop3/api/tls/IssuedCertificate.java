package cloud.hop3.api.tls;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import cloud.hop3.api.app.HostName;

/**
 * A certificate as issued.
 *
 * @param hosts            the names it covers
 * @param certificateChain PEM file: the certificate, then its intermediates
 * @param privateKey       PEM file of the private key
 * @param notAfter         when it expires
 */
public record IssuedCertificate(Set<HostName> hosts, Path certificateChain, Path privateKey, Instant notAfter) {

    public IssuedCertificate {
        hosts = Set.copyOf(hosts);
    }
}
