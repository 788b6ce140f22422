package cloud.hop3.api.proxy;

import java.nio.file.Path;

/**
 * PEM files of a certificate, readable by the proxy.
 *
 * @param certificateChain the certificate followed by its intermediates
 * @param privateKey       the private key
 */
public record TlsCertificate(Path certificateChain, Path privateKey) {
}
