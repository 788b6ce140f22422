package cloud.hop3.proxy.haproxy;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The static directories of one route, and the one place that turns a request path into a file,
 * with the platform's rules: the path is percent-decoded once and every segment checked, so
 * {@code ..} and {@code .} segments (encoded or not), back-slashes, NUL bytes and malformed escapes
 * are refused; hidden names (a leading dot, except {@code .well-known}) are missing, and so is a
 * file whose real path (links resolved) leaves its directory.
 */
final class StaticSite {

    private static final String INDEX_FILE = "index.html";
    private static final String WELL_KNOWN = ".well-known";

    /** What a lookup found. */
    sealed interface Lookup permits Found, Redirect, Outcome {
    }

    /** A plain outcome without a file. */
    enum Outcome implements Lookup {
        /** No static prefix matches. */
        NOT_MATCHED,
        /** No file there. */
        MISSING,
        /** The path tries to leave the directory or is malformed. */
        REFUSED
    }

    /** A regular file to serve, by its real path. */
    record Found(Path file, BasicFileAttributes attributes) implements Lookup {
    }

    /** A directory named without its trailing slash. */
    record Redirect(String location) implements Lookup {
    }

    private record Mount(String prefix, Path root) {
    }

    private final List<Mount> mounts;

    private StaticSite(List<Mount> mounts) {
        this.mounts = mounts;
    }

    static StaticSite of(Map<String, Path> statics) {
        List<Mount> mounts = new ArrayList<>();
        statics.forEach((prefix, directory) -> mounts.add(
                new Mount(HaproxyConfigWriter.normalisePrefix(prefix), realOrAbsolute(directory))));
        mounts.sort(Comparator.comparingInt((Mount m) -> m.prefix().length()).reversed());
        return new StaticSite(List.copyOf(mounts));
    }

    private static Path realOrAbsolute(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            return directory.toAbsolutePath().normalize();
        }
    }

    /** Looks up the file that a request target (path and optional query) names. */
    Lookup lookup(String uri) {
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return Outcome.NOT_MATCHED;
        }
        int end = uri.length();
        int query = uri.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        String path = uri.substring(0, end);
        for (Mount mount : mounts) {
            String prefix = mount.prefix();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return find(mount, path, prefix.length(), uri.substring(end));
            }
        }
        return Outcome.NOT_MATCHED;
    }

    private static Lookup find(Mount mount, String path, int from, String queryPart) {
        String rest = decode(path.substring(from));
        if (rest == null) {
            return Outcome.REFUSED;
        }
        Path file = mount.root();
        for (String segment : rest.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Outcome.REFUSED;
            }
            if (segment.charAt(0) == '.' && !segment.equals(WELL_KNOWN)) {
                return Outcome.MISSING;
            }
            file = file.resolve(segment);
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(mount.root())) {
                return Outcome.MISSING;
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                if (!path.endsWith("/")) {
                    return new Redirect("/" + path.substring(1).replaceFirst("^/+", "") + "/" + queryPart);
                }
                real = real.resolve(INDEX_FILE).toRealPath();
                if (!real.startsWith(mount.root())) {
                    return Outcome.MISSING;
                }
                attributes = Files.readAttributes(real, BasicFileAttributes.class);
            }
            return attributes.isRegularFile() ? new Found(real, attributes) : Outcome.MISSING;
        } catch (IOException | SecurityException e) {
            return Outcome.MISSING;
        }
    }

    /** Percent-decodes once as UTF-8; null for a malformed escape, bad UTF-8, a NUL or a back-slash. */
    static String decode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0 ? null : decoded;
    }
}
