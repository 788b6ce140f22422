package cloud.hop3.plugin.support.pem;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The one PEM codec of the plugins, on BouncyCastle's PEM reader and writer (the bundles Karaf
 * already runs). It writes certificates, PKCS#8 private keys ({@code BEGIN PRIVATE KEY}, which
 * nginx, HAProxy, Caddy, Netty and the JDK read) and public keys, and reads certificate chains and
 * private keys as PKCS#8, PKCS#1 ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}).
 * Encrypted keys are refused. Keys come out of the JDK's own providers: BouncyCastle need not be
 * registered as a security provider. Stateless; any thread.
 */
public final class Pem {

    private Pem() {
    }

    /** PEM of the certificates, in the order given (a chain: the certificate, then its intermediates). */
    public static String certificates(List<X509Certificate> certificates) {
        return write(certificates.toArray());
    }

    /** PEM of the certificates, in the order given. */
    public static String certificates(X509Certificate... certificates) {
        return write((Object[]) certificates);
    }

    /** Unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) of {@code key}. */
    public static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalArgumentException("A " + key.getAlgorithm() + " key cannot be written as PKCS#8: "
                    + e.getMessage(), e);
        }
    }

    /** PEM ({@code BEGIN PUBLIC KEY}) of {@code key}. */
    public static String publicKey(PublicKey key) {
        return write(key);
    }

    /** The private key, then the public key, of {@code pair}; {@link #keyPair(String)} reads it. */
    public static String keyPair(KeyPair pair) {
        return privateKey(pair.getPrivate()) + publicKey(pair.getPublic());
    }

    /**
     * The certificates of a PEM text, in order; other blocks (keys, parameters) are skipped.
     *
     * @throws IllegalArgumentException when it holds no certificate or a broken one
     */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(pem)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (java.security.cert.CertificateException e) {
                    throw new IllegalArgumentException("not a valid certificate (" + e.getMessage() + ")", e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate in it");
        }
        return chain;
    }

    /**
     * The first private key of a PEM text.
     *
     * @throws IllegalArgumentException when it holds none, or only an encrypted one
     */
    public static PrivateKey privateKey(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object object : objects(pem)) {
            try {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("not a valid private key (" + e.getMessage() + ")", e);
            }
            if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                throw new IllegalArgumentException("the private key is encrypted; it must be unencrypted");
            }
        }
        throw new IllegalArgumentException("no PEM private key in it");
    }

    /**
     * Reads what {@link #keyPair(KeyPair)} wrote.
     *
     * @throws IllegalArgumentException when the private or the public key is missing or broken
     */
    public static KeyPair keyPair(String pem) {
        PrivateKey privateKey = privateKey(pem);
        for (Object object : objects(pem)) {
            if (object instanceof SubjectPublicKeyInfo info) {
                try {
                    return new KeyPair(new JcaPEMKeyConverter().getPublicKey(info), privateKey);
                } catch (IOException e) {
                    throw new IllegalArgumentException("not a valid public key (" + e.getMessage() + ")", e);
                }
            }
        }
        throw new IllegalArgumentException("no PEM public key in it");
    }

    /**
     * Whether {@code key} belongs to {@code certificate}: a few bytes signed with the key verify
     * with the certificate's public key.
     */
    public static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "hop3".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static List<Object> objects(String pem) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not valid PEM (" + e.getMessage() + ")", e);
        }
        return objects;
    }

    private static String write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PEM cannot be written: " + e.getMessage(), e);
        }
        return text.toString();
    }
}
