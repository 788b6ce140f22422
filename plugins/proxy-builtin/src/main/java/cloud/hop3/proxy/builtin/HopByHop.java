package cloud.hop3.proxy.builtin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * Header rewriting of a forwarding proxy (RFC 9110, section 7.6.1): hop-by-hop headers stay on
 * their hop, and the upstream learns who the client is through {@code X-Forwarded-*}.
 * {@code Transfer-Encoding} is kept: the codecs on each side re-frame the body, chunk by chunk.
 */
final class HopByHop {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    static final AsciiString HTTP = AsciiString.cached("http");
    static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private HopByHop() {
    }

    /**
     * Removes the hop-by-hop headers of a message, including those its {@code Connection} names,
     * except the headers that frame or route a message ({@link RequestFraming#isEndToEnd}): a
     * request that names them is refused before it gets here, and a response keeps its framing.
     */
    static void strip(HttpMessage message) {
        HttpHeaders headers = message.headers();
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                removeNamed(headers, value);
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.UPGRADE);
        headers.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
        headers.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    }

    /** Removes the headers named by one {@code Connection} value, except the end-to-end ones. */
    private static void removeNamed(HttpHeaders headers, String connection) {
        int length = connection.length();
        int start = 0;
        while (start < length) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = start;
            int to = end;
            while (from < to && RequestFraming.isSpace(connection.charAt(from))) {
                from++;
            }
            while (to > from && RequestFraming.isSpace(connection.charAt(to - 1))) {
                to--;
            }
            if (from < to && !RequestFraming.isEndToEnd(connection, from, to) && !isRemovedAnyway(connection, from, to)) {
                headers.remove(connection.substring(from, to));
            }
            start = end + 1;
        }
    }

    /** {@code keep-alive}, {@code close} and {@code upgrade}: the common tokens, handled without a lookup. */
    private static boolean isRemovedAnyway(String connection, int from, int to) {
        int length = to - from;
        return length == 10 && connection.regionMatches(true, from, "keep-alive", 0, 10)
                || length == 5 && connection.regionMatches(true, from, "close", 0, 5)
                || length == 7 && connection.regionMatches(true, from, "upgrade", 0, 7);
    }

    /**
     * Adds the forwarding headers to a request.
     *
     * @param clientAddress the client's IP address, appended to {@code X-Forwarded-For}
     * @param host          the request's {@code Host} header, or null
     * @param port          the port the request came in on, as text
     */
    static void addForwarded(HttpRequest request, String clientAddress, String host, String port) {
        addForwarded(request, clientAddress, host, port, false);
    }

    /** As above; {@code secure} when the client came over HTTPS. */
    static void addForwarded(HttpRequest request, String clientAddress, String host, String port, boolean secure) {
        HttpHeaders headers = request.headers();
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null || forwardedFor.isBlank()
                ? clientAddress : forwardedFor + ", " + clientAddress);
        headers.set(X_FORWARDED_PROTO, secure ? HTTPS : HTTP);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
        headers.set(X_FORWARDED_PORT, port);
    }
}
