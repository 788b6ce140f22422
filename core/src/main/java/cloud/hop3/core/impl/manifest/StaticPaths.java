package cloud.hop3.core.impl.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.api.build.StaticMapping;

/**
 * Checks and normalises the two halves of a static mapping written by a developer: a URL prefix
 * and a directory of the app. The directory is relative and never leaves the app; the checks here
 * say why in words a developer can act on, before {@link StaticMapping}'s own guard.
 */
final class StaticPaths {

    private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

    private StaticPaths() {
    }

    /**
     * A mapping from the two values as written.
     *
     * @throws IllegalArgumentException with the reason
     */
    static StaticMapping mapping(String urlPrefix, String directory) {
        return new StaticMapping(urlPrefix(urlPrefix), directory(directory));
    }

    static String urlPrefix(String value) {
        if (!URL_PATH.matcher(value).matches()) {
            throw new IllegalArgumentException("the URL prefix '" + value
                    + "' must start with '/' and hold only URL path characters");
        }
        for (String segment : value.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("the URL prefix '" + value + "' may not contain '.' or '..' segments");
            }
        }
        String prefix = value.replaceAll("/{2,}", "/");
        return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    static String directory(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the static directory is empty");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the static directory contains a control character");
        }
        if (value.startsWith("/") || value.startsWith("~") || value.matches("[A-Za-z]:.*")) {
            throw new IllegalArgumentException("the static directory '" + value
                    + "' must be relative to the app, not absolute");
        }
        if (value.contains("\\")) {
            throw new IllegalArgumentException("the static directory '" + value + "' must use '/' between names");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : value.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("the static directory '" + value + "' leaves the app ('..')");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments.isEmpty() ? "." : String.join("/", segments);
    }
}
