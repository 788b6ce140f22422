package cloud.hop3.proxy.builtin;

import java.util.Iterator;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * The checks that keep the proxy and the app reading a request the same way. A client that can
 * make the two disagree about where a request ends, or which host it is for, hides a second
 * request in the first one's body (request smuggling): the app answers it without the proxy's
 * routing and without the {@code X-Forwarded-*} headers the proxy sets.
 * <p>
 * Netty's decoder already refuses what its own framing rules catch: a {@code Content-Length} with
 * a {@code Transfer-Encoding}, differing lengths, a {@code Transfer-Encoding} whose last coding is
 * not {@code chunked}, one in an HTTP/1.0 request, and invalid header names; it replaces a folded
 * header line (obs-fold) by a space, as RFC 9112 allows. What is left is checked here:
 * <ul>
 * <li>{@code Connection} names a header that frames or routes the request: a proxy that removes
 * the headers {@code Connection} names (as it must for hop-by-hop ones) would send the body without
 * its length, or the request without its host;</li>
 * <li>more than one {@code Host} header, or one whose value is not a host and port (RFC 9112,
 * section 3.2: the server answers 400).</li>
 * </ul>
 * One pass over the headers, without allocation beyond the iterator.
 */
final class RequestFraming {

    /**
     * Headers that are never hop-by-hop, whatever {@code Connection} says: those that frame the
     * message, route it, or that the proxy sets for the app.
     */
    private static final AsciiString[] END_TO_END = {
        HttpHeaderNames.CONTENT_LENGTH,
        HttpHeaderNames.TRANSFER_ENCODING,
        HttpHeaderNames.HOST,
        HopByHop.X_FORWARDED_FOR,
        HopByHop.X_FORWARDED_PROTO,
        HopByHop.X_FORWARDED_HOST,
        HopByHop.X_FORWARDED_PORT,
        AsciiString.cached("forwarded"),
    };

    private RequestFraming() {
    }

    /**
     * Why the request must be refused with 400, or null when it may be forwarded. Call on a
     * request the decoder accepted.
     */
    static String problem(HttpRequest request) {
        HttpHeaders headers = request.headers();
        int hosts = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = entries.next();
            CharSequence name = header.getKey();
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
                if (++hosts > 1) {
                    return "more than one Host header";
                }
                if (!isHostAndPort(header.getValue())) {
                    return "a Host header that is not a host name and port";
                }
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
                    && namesEndToEnd(header.getValue())) {
                return "a Connection header naming a header that frames or routes the request";
            }
        }
        return null;
    }

    /** Whether {@code name} is a header that {@code Connection} cannot make hop-by-hop. */
    static boolean isEndToEnd(CharSequence name, int start, int end) {
        int length = end - start;
        for (AsciiString header : END_TO_END) {
            if (header.length() == length && header.regionMatches(true, 0, name, start, length)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the comma-separated tokens of a {@code Connection} value is end-to-end. */
    private static boolean namesEndToEnd(CharSequence connection) {
        int length = connection.length();
        int start = 0;
        while (start < length) {
            int comma = start;
            while (comma < length && connection.charAt(comma) != ',') {
                comma++;
            }
            int from = start;
            int to = comma;
            while (from < to && isSpace(connection.charAt(from))) {
                from++;
            }
            while (to > from && isSpace(connection.charAt(to - 1))) {
                to--;
            }
            if (isEndToEnd(connection, from, to)) {
                return true;
            }
            start = comma + 1;
        }
        return false;
    }

    /**
     * Whether a {@code Host} value holds only what a host ({@code reg-name} or IP literal) and a
     * port may hold; an empty value is allowed (RFC 9112, for a URI without a host).
     */
    private static boolean isHostAndPort(CharSequence value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~%:[]!$&'()*+;=".indexOf(c) >= 0;
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
