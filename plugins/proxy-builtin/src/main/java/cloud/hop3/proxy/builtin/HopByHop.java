package cloud.hop3.proxy.builtin;

import java.util.List;

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

    /** Removes the hop-by-hop headers of a message, including those its {@code Connection} names. */
    static void strip(HttpMessage message) {
        HttpHeaders headers = message.headers();
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        if (!connection.isEmpty()) {
            for (String value : connection) {
                for (String token : value.split(",")) {
                    String name = token.strip();
                    if (!name.isEmpty() && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
                        headers.remove(name);
                    }
                }
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
