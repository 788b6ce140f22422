package cloud.hop3.proxy.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.TlsCertificate;

/**
 * The certificates of the routes in the form HAProxy reads: one PEM per app with the chain
 * followed by the key (mode 0600, in a 0700 directory), and a crt-list that gives each file the
 * app's host names as SNI filters. Each apply writes a fresh directory, so the files of the
 * configuration that serves are never touched by one that may be refused.
 */
final class TlsFiles {

    private TlsFiles() {
    }

    /**
     * Writes the PEM files and crt-list of the routes that have a certificate into {@code directory}.
     *
     * @return the crt-list, or null when no route has a certificate (nothing is written then)
     */
    static Path write(List<Route> routes, Path directory) throws ProxyException {
        if (routes.stream().noneMatch(r -> r.tls().isPresent())) {
            return null;
        }
        StringBuilder list = new StringBuilder();
        try {
            createPrivateDirectory(directory);
            for (Route route : routes) {
                if (route.tls().isEmpty()) {
                    continue;
                }
                TlsCertificate tls = route.tls().get();
                String chain = read(route, tls.certificateChain(), "certificate chain");
                String key = read(route, tls.privateKey(), "private key");
                if (!chain.contains("-----BEGIN CERTIFICATE-----")) {
                    throw new ProxyException("The certificate of app '" + route.app() + "' (" + tls.certificateChain()
                            + ") holds no PEM certificate.");
                }
                if (!key.contains("PRIVATE KEY-----")) {
                    throw new ProxyException("The key of app '" + route.app() + "' (" + tls.privateKey()
                            + ") holds no PEM private key.");
                }
                Path pem = directory.resolve(route.app() + ".pem");
                writePrivate(pem, (chain.endsWith("\n") ? chain : chain + "\n") + (key.endsWith("\n") ? key : key + "\n"));
                list.append(pem);
                for (String host : HaproxyConfigWriter.hostsOf(route)) {
                    list.append(' ').append(host);
                }
                list.append('\n');
            }
            Path crtList = directory.resolve("certificates.list");
            writePrivate(crtList, list.toString());
            return crtList;
        } catch (IOException e) {
            throw new ProxyException("Cannot write the certificates for HAProxy into " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String read(Route route, Path file, String what) throws ProxyException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ProxyException("Cannot read the " + what + " of app '" + route.app() + "' (" + file + "): "
                    + e.getMessage(), e);
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes every directory under {@code parent} except {@code keep} (which may be null). */
    static void deleteAllBut(Path parent, Path keep) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> children = Files.list(parent)) {
            for (Path child : children.toList()) {
                if (!child.equals(keep)) {
                    delete(child);
                }
            }
        } catch (IOException e) {
            // left for the next apply
        }
    }

    static void delete(Path tree) {
        if (tree == null || !Files.exists(tree)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // left for the next apply
        }
    }
}
