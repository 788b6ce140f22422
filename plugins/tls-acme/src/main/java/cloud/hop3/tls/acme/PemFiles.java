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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import cloud.hop3.plugin.support.files.AtomicFiles;
import cloud.hop3.plugin.support.pem.Pem;

/**
 * Writes PEM files (through the plugins' one PEM codec) atomically (a temporary file, fsync,
 * rename): private keys readable by their owner only, certificates by everyone.
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
    static String chain(List<X509Certificate> chain) {
        return Pem.certificates(chain);
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) of {@code key}. */
    static String privateKey(PrivateKey key) {
        return Pem.privateKey(key);
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
        return Pem.keyPair(pair);
    }

    /** Reads what {@link #keyPair(KeyPair)} wrote. */
    static KeyPair readEcKeyPair(String pem) throws IOException {
        try {
            return Pem.keyPair(pem);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a PEM EC key pair: " + e.getMessage(), e);
        }
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

    /** Removes what {@link #writeCertificate} wrote: both files, then the directory if that left it empty. */
    static void deleteCertificate(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve(KEY));
        Files.deleteIfExists(directory.resolve(CHAIN));
        try (java.util.stream.Stream<Path> left = Files.list(directory)) {
            if (left.findAny().isEmpty()) {
                Files.delete(directory);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing left
        }
    }

    /** Replaces {@code file} atomically with {@code text}, readable by its owner only. */
    static void writePrivate(Path file, String text) throws IOException {
        AtomicFiles.write(file, text, AtomicFiles.PRIVATE);
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
