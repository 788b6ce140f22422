package cloud.hop3.proxy.builtin;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The responses the proxy makes itself: small HTML pages that name the status and nothing else
 * (no server name or version, no app, no upstream address).
 */
final class ErrorPages {

    private static final AsciiString HTML = AsciiString.cached("text/html; charset=utf-8");
    private static final AsciiString NO_STORE = AsciiString.cached("no-store");

    private static final byte[][] BODIES = new byte[600][];

    private ErrorPages() {
    }

    /** A page for {@code status}; {@code close} adds {@code Connection: close}. */
    static FullHttpResponse page(HttpResponseStatus status, boolean close) {
        byte[] body = body(status);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, HTML);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.set(HttpHeaderNames.CACHE_CONTROL, NO_STORE);
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** A redirect to {@code location}, without a body. */
    static FullHttpResponse redirect(String location, boolean close) {
        return redirect(HttpResponseStatus.MOVED_PERMANENTLY, location, close);
    }

    /** A bodiless redirect with {@code status} (301, 308) to {@code location}. */
    static FullHttpResponse redirect(HttpResponseStatus status, String location, boolean close) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.LOCATION, location);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    private static byte[] body(HttpResponseStatus status) {
        int code = status.code();
        byte[] body = code < BODIES.length ? BODIES[code] : null;
        if (body == null) {
            body = render(status);
            if (code < BODIES.length) {
                BODIES[code] = body; // a benign race: every thread renders the same bytes
            }
        }
        return body;
    }

    private static byte[] render(HttpResponseStatus status) {
        String title = status.code() + " " + status.reasonPhrase();
        String text = switch (status.code()) {
            case 404 -> "There is nothing at this address.";
            case 502 -> "The application is not answering. Please try again in a moment.";
            case 504 -> "The application took too long to answer. Please try again in a moment.";
            case 413 -> "The request is too large.";
            case 405 -> "This address accepts GET and HEAD requests only.";
            default -> "The request could not be served.";
        };
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1><p>" + text + "</p></body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
