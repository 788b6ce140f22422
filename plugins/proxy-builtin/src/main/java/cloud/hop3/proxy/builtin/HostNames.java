package cloud.hop3.proxy.builtin;

import java.util.Locale;

/**
 * Host names as the proxy compares them: lower case, without a port, without a trailing dot.
 * A route's host {@code Shop.Example.org.} and a request's {@code Host: shop.example.org:8080}
 * are the same host.
 */
final class HostNames {

    private HostNames() {
    }

    /**
     * The host of a {@code Host} header value, normalised; {@code null} when there is none.
     * Allocates nothing when the value is already normal.
     */
    static String fromHeader(String value) {
        if (value == null) {
            return null;
        }
        int end = value.length();
        if (end > 0 && value.charAt(0) == '[') {
            int close = value.indexOf(']');
            if (close < 0) {
                return null;
            }
            end = close + 1;
        } else {
            int colon = value.indexOf(':');
            if (colon >= 0) {
                end = colon;
            }
        }
        return normalise(value, end);
    }

    /** A server name a client sent (TLS SNI), normalised. */
    static String normalise(String host) {
        return normalise(host.strip(), host.strip().length());
    }

    private static String normalise(String value, int end) {
        while (end > 0 && value.charAt(end - 1) == '.') {
            end--;
        }
        if (end == 0) {
            return null;
        }
        boolean upper = false;
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                upper = true;
                break;
            }
        }
        String host = end == value.length() ? value : value.substring(0, end);
        return upper ? host.toLowerCase(Locale.ROOT) : host;
    }
}
