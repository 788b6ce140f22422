package cloud.hop3.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the API answers: a status, headers, and a body written to the client, at once or as it
 * comes (a log stream).
 */
final class ApiResponse {

    /** A body that writes itself. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] bytes;
    private final Body stream;

    ApiResponse(int status, String contentType, byte[] bytes) {
        this.status = status;
        this.bytes = bytes;
        this.stream = null;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    ApiResponse(int status, String contentType, Body stream) {
        this.status = status;
        this.bytes = null;
        this.stream = stream;
        headers.put("Content-Type", contentType);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The whole body, or null when it is streamed. */
    byte[] bytes() {
        return bytes;
    }

    /** Whether the body is written as it comes. */
    boolean streamed() {
        return stream != null;
    }

    void writeTo(OutputStream out) throws IOException {
        if (stream != null) {
            stream.writeTo(out);
        } else if (bytes != null) {
            out.write(bytes);
        }
    }
}
