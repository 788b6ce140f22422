package cloud.hop3.tls.selfsigned;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text for certificates and PKCS#8 private keys, and back. Uses the JDK's security providers
 * (BouncyCastle is not registered as one). Stateless; any thread.
 */
final class Pem {

    private Pem() {
    }

    static String certificates(X509Certificate... certificates) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        }
        return text.toString();
    }

    /** {@code -----BEGIN PRIVATE KEY-----}: unencrypted PKCS#8, which nginx, HAProxy, Caddy and the JDK read. */
    static String privateKey(PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return text.toString();
    }

    /** The first certificate in {@code file}. */
    static X509Certificate readCertificate(Path file) throws IOException {
        Object object = readFirst(file);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IOException(file + " holds no PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
    }

    static PrivateKey readPrivateKey(Path file) throws IOException {
        Object object = readFirst(file);
        if (!(object instanceof PrivateKeyInfo info)) {
            throw new IOException(file + " holds no PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        return new JcaPEMKeyConverter().getPrivateKey(info);
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("A certificate just built cannot be encoded", e);
        }
    }

    private static Object readFirst(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object == null) {
                throw new IOException(file + " holds no PEM data");
            }
            return object;
        }
    }
}
