package cloud.hop3.tls.acme;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes PEM files atomically (a temporary file, fsync, rename): private keys readable by their
 * owner only, certificates by everyone.
 * Stateless.
 */
final class PemFiles {

    static final String CHAIN = "chain.pem";
    static final String KEY = "key.pem";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private PemFiles() {
    }

    /** PEM of the certificate, then its intermediates. */
    static String chain(List<X509Certificate> chain) throws CertificateEncodingException {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            pem.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        return pem.toString();
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) of {@code key}. */
    static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("A " + key.getAlgorithm() + " key in " + key.getFormat() + " is not PKCS#8");
        }
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * A new EC key pair on the P-256 curve, from the JDK's own provider (acme4j's
     * {@code KeyPairUtils} asks for BouncyCastle's JCA provider, which need not be registered in
     * the platform).
     */
    static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java has no EC P-256 keys: " + e.getMessage(), e);
        }
    }

    /** PEM of an EC key pair: its PKCS#8 private key, then its public key. */
    static String keyPair(KeyPair pair) {
        return privateKey(pair.getPrivate()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** Reads what {@link #keyPair(KeyPair)} wrote. */
    static KeyPair readEcKeyPair(String pem) throws IOException {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(block(pem, "PRIVATE KEY")));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(block(pem, "PUBLIC KEY")));
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("not a PEM EC key pair: " + e.getMessage(), e);
        }
    }

    private static byte[] block(String pem, String type) throws IOException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end, Math.max(from, 0));
        if (from < 0 || to < 0) {
            throw new IOException("no " + type + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * Writes {@value #CHAIN} and {@value #KEY} into {@code directory} (created when missing). Each
     * file is replaced atomically; when the second cannot be written, neither is left new.
     */
    static void writeCertificate(Path directory, String chain, String key) throws IOException {
        Files.createDirectories(directory);
        Path keyTemp = temporary(directory.resolve(KEY), key, OWNER_ONLY);
        try {
            Path chainTemp = temporary(directory.resolve(CHAIN), chain, PUBLIC);
            try {
                Files.move(keyTemp, directory.resolve(KEY), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.move(chainTemp, directory.resolve(CHAIN), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(chainTemp);
            }
        } finally {
            Files.deleteIfExists(keyTemp);
        }
    }

    /** Replaces {@code file} atomically with {@code text}, readable by its owner only. */
    static void writePrivate(Path file, String text) throws IOException {
        Path temp = temporary(file, text, OWNER_ONLY);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path temporary(Path file, String text, Set<PosixFilePermission> permissions) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(permissions);
        try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
            Files.setPosixFilePermissions(temp, permissions); // the umask may have narrowed them
        } catch (FileAlreadyExistsException e) {
            throw new IOException("Temporary file " + temp + " exists already", e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }
}
