package cloud.hop3.proxy.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.plugin.support.files.AtomicFiles;
import cloud.hop3.plugin.support.pem.Pem;
import cloud.hop3.plugin.support.files.Trees;

/**
 * The certificates of the routes in the form HAProxy reads: one PEM per app with the chain
 * followed by the key, both read and written again by the one PEM codec (mode 0600, in a 0700
 * directory), so a broken file or a key of another certificate is refused here, by name; and a crt-list that gives each file the
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
                List<X509Certificate> chain = parse(route, tls.certificateChain(), "certificate chain", Pem::certificates);
                PrivateKey key = parse(route, tls.privateKey(), "private key", Pem::privateKey);
                if (!Pem.matches(key, chain.get(0))) {
                    throw new ProxyException("The private key of app '" + route.app() + "' (" + tls.privateKey()
                            + ") does not belong to the certificate in " + tls.certificateChain() + ".");
                }
                Path pem = directory.resolve(route.app() + ".pem");
                AtomicFiles.write(pem, Pem.certificates(chain) + Pem.privateKey(key), AtomicFiles.PRIVATE);
                list.append(pem);
                for (String host : HaproxyConfigWriter.hostsOf(route)) {
                    list.append(' ').append(host);
                }
                list.append('\n');
            }
            Path crtList = directory.resolve("certificates.list");
            AtomicFiles.write(crtList, list.toString(), AtomicFiles.PRIVATE);
            return crtList;
        } catch (IOException e) {
            throw new ProxyException("Cannot write the certificates for HAProxy into " + directory + ": " + e.getMessage(), e);
        }
    }

    private static <T> T parse(Route route, Path file, String what, Function<String, T> parser) throws ProxyException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ProxyException("Cannot read the " + what + " of app '" + route.app() + "' (" + file + "): "
                    + e.getMessage(), e);
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ProxyException("The " + what + " of app '" + route.app() + "' (" + file + ") is unusable: "
                    + e.getMessage() + ".", e);
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
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
        try {
            Trees.delete(tree);
        } catch (IOException e) {
            // left for the next apply
        }
    }
}
