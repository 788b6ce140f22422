package cloud.hop3.rest;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers when it is more than a 200 with a JSON body: another status, headers, a stream. */
final class Reply {

    final int status;
    final Object body;
    final Map<String, String> headers = new LinkedHashMap<>();
    final ApiResponse.Body stream;
    final String contentType;

    private Reply(int status, Object body, ApiResponse.Body stream, String contentType) {
        this.status = status;
        this.body = body;
        this.stream = stream;
        this.contentType = contentType;
    }

    static Reply ok(Object body) {
        return new Reply(200, body, null, null);
    }

    static Reply created(Object body) {
        return new Reply(201, body, null, null);
    }

    static Reply accepted(Object body) {
        return new Reply(202, body, null, null);
    }

    static Reply noContent() {
        return new Reply(204, null, null, null);
    }

    static Reply stream(String contentType, ApiResponse.Body stream) {
        return new Reply(200, null, stream, contentType);
    }

    Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
