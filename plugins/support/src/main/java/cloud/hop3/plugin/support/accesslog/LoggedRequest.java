package cloud.hop3.plugin.support.accesslog;

import java.util.Locale;

/**
 * One request as a proxy's access log tells it: the host it was sent to, the status answered and
 * how long it took. The parsing helpers here are shared by the proxies' log formats.
 *
 * @param host   the host name, in lower case, without a port
 * @param status the HTTP status sent (100 to 599)
 * @param nanos  the time the proxy spent on the request, in nanoseconds (0 or more)
 */
public record LoggedRequest(String host, int status, long nanos) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /**
     * A request from a line of three fields separated by spaces: host, status and time, the time
     * in seconds with a decimal fraction ({@code 0.004}) or in whole milliseconds
     * ({@code millis}); null when the line is not one (a server's own message, a request that
     * never got a status).
     */
    public static LoggedRequest ofFields(String line, boolean millis) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        if (first <= 0 || second < 0) {
            return null;
        }
        int status = status(line.substring(first + 1, second));
        long nanos = millis ? millis(line.substring(second + 1).strip()) : seconds(line.substring(second + 1).strip());
        return status < 0 || nanos < 0 ? null : new LoggedRequest(host(line.substring(0, first)), status, nanos);
    }

    /** A status code from its text, or -1 when it is not one from 100 to 599. */
    public static int status(String text) {
        if (text.length() != 3) {
            return -1;
        }
        int status = 0;
        for (int i = 0; i < 3; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            status = status * 10 + (c - '0');
        }
        return status >= 100 && status <= 599 ? status : -1;
    }

    /** Nanoseconds from seconds written as digits with an optional decimal fraction ({@code 1.25}); -1 when not that. */
    public static long seconds(String text) {
        int dot = text.indexOf('.');
        String whole = dot < 0 ? text : text.substring(0, dot);
        String fraction = dot < 0 ? "" : text.substring(dot + 1);
        if (whole.isEmpty() || whole.length() > 9 || !digits(whole) || !digits(fraction)) {
            return -1;
        }
        long nanos = Long.parseLong(whole) * NANOS_PER_SECOND;
        long scale = NANOS_PER_SECOND / 10;
        for (int i = 0; i < fraction.length() && scale > 0; i++, scale /= 10) {
            nanos += (fraction.charAt(i) - '0') * scale;
        }
        return nanos;
    }

    /** Nanoseconds from whole milliseconds; -1 when the text is not a number of them. */
    public static long millis(String text) {
        return text.isEmpty() || text.length() > 12 || !digits(text) ? -1 : Long.parseLong(text) * NANOS_PER_MILLI;
    }

    /** Nanoseconds from seconds as a number ({@code 0.000123}); -1 when negative or not finite. */
    public static long seconds(double seconds) {
        return Double.isFinite(seconds) && seconds >= 0 && seconds < 1e9 ? Math.round(seconds * NANOS_PER_SECOND) : -1;
    }

    /**
     * A host as a proxy matches it: in lower case, without a port ({@code Shop.Example:8080} is
     * {@code shop.example}); a bracketed IPv6 address keeps its brackets and loses its port.
     */
    public static String host(String text) {
        String host = text;
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon && digits(host.substring(colon + 1))) {
            host = host.substring(0, colon);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
