package cloud.hop3.plugin.support.files;

import java.io.IOException;
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
 * for every proxy plugin that serves files itself (the built-in proxy, HAProxy's file server).
 * It is a security boundary: whatever the request path, a lookup never finds a file outside the
 * route's directories.
 * <p>
 * A file is only ever found inside its directory: the path is percent-decoded once, then every
 * segment is checked, so {@code ..} and {@code .} segments, encoded or not, back-slashes, NUL
 * bytes and malformed escapes are {@linkplain Outcome#REFUSED refused}; hidden names (starting
 * with a dot, except {@code .well-known}) are {@linkplain Outcome#MISSING missing}, and so is a
 * file whose real path (symbolic links resolved) leads out of the directory. Immutable; any thread.
 */
public final class StaticSite {

    /** The file served for a directory. */
    public static final String INDEX_FILE = "index.html";
    private static final String WELL_KNOWN = ".well-known";

    /** What a lookup found. */
    public sealed interface Lookup permits Found, Redirect, Outcome {
    }

    /** A plain outcome without a file. */
    public enum Outcome implements Lookup {
        /** No static prefix matches the path: the request is for the upstreams. */
        NOT_MATCHED,
        /** A prefix matches but there is no file there to serve. */
        MISSING,
        /** The path tries to leave the directory or is malformed. */
        REFUSED
    }

    /** A regular file to serve, by its real path. */
    public record Found(Path file, BasicFileAttributes attributes) implements Lookup {
    }

    /** A directory named without its trailing slash: send the client to {@code location}. */
    public record Redirect(String location) implements Lookup {
    }

    /** One URL prefix and the real path of its directory. */
    private record Mount(String prefix, Path root) {
    }

    private static final StaticSite NONE = new StaticSite(List.of());

    private final Mount[] mounts;

    private StaticSite(List<Mount> mounts) {
        this.mounts = mounts.toArray(new Mount[0]);
    }

    /**
     * The site of a route's statics (URL prefix to directory). Directories that do not exist are
     * kept by their absolute path, so files appear once they do.
     */
    public static StaticSite of(Map<String, Path> statics) {
        if (statics.isEmpty()) {
            return NONE;
        }
        List<Mount> mounts = new ArrayList<>();
        statics.forEach((prefix, directory) -> mounts.add(new Mount(normalisePrefix(prefix), realOrAbsolute(directory))));
        mounts.sort(Comparator.comparingInt((Mount m) -> m.prefix().length()).reversed());
        return new StaticSite(mounts);
    }

    /** Whether the route has no static directory. */
    public boolean isEmpty() {
        return mounts.length == 0;
    }

    /** A URL prefix as mounted: a leading slash, no trailing one ({@code ""} for the whole site). */
    public static String normalisePrefix(String prefix) {
        String p = prefix.strip();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static Path realOrAbsolute(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            return directory.toAbsolutePath().normalize();
        }
    }

    /**
     * Looks up the file a request URI names.
     *
     * @param uri the request target as received (origin form: path and optional query)
     */
    public Lookup lookup(String uri) {
        if (mounts.length == 0 || uri.isEmpty() || uri.charAt(0) != '/') {
            return Outcome.NOT_MATCHED;
        }
        int end = uri.length();
        int query = uri.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = uri.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        String path = uri.substring(0, end);
        for (Mount mount : mounts) {
            String prefix = mount.prefix();
            if (path.startsWith(prefix)
                    && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
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
        int i = 0;
        int n = rest.length();
        while (i < n) {
            int slash = rest.indexOf('/', i);
            if (slash < 0) {
                slash = n;
            }
            if (slash > i) {
                String segment = rest.substring(i, slash);
                if (segment.equals(".") || segment.equals("..")) {
                    return Outcome.REFUSED;
                }
                if (segment.charAt(0) == '.' && !segment.equals(WELL_KNOWN)) {
                    return Outcome.MISSING;
                }
                file = file.resolve(segment);
            }
            i = slash + 1;
        }
        Path real;
        BasicFileAttributes attributes;
        try {
            real = file.toRealPath();
            if (!real.startsWith(mount.root())) {
                return Outcome.MISSING;
            }
            attributes = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return Outcome.MISSING;
        }
        if (attributes.isDirectory()) {
            if (!path.endsWith("/")) {
                // never "//host/": a browser would take that for another site
                String location = "/" + path.substring(1).replaceFirst("^/+", "");
                return new Redirect(location + "/" + queryPart);
            }
            Path index = real.resolve(INDEX_FILE);
            try {
                Path realIndex = index.toRealPath();
                if (!realIndex.startsWith(mount.root())) {
                    return Outcome.MISSING;
                }
                attributes = Files.readAttributes(realIndex, BasicFileAttributes.class);
                real = realIndex;
            } catch (IOException | SecurityException e) {
                return Outcome.MISSING;
            }
        }
        return attributes.isRegularFile() ? new Found(real, attributes) : Outcome.MISSING;
    }

    /**
     * Percent-decodes a path once as UTF-8; {@code null} for a malformed escape, invalid UTF-8,
     * a NUL byte or a back-slash.
     */
    public static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0 ? null : s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length());
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
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                return null;
            }
        }
        bytes.flip();
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0 ? null : decoded;
    }
}
