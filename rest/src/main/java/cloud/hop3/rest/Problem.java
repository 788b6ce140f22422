package cloud.hop3.rest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal or failure as the API answers it: an {@code application/problem+json} document
 * (RFC 9457) with a stable {@link #code()} that clients may test, and a detail for people.
 */
final class Problem extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** Where the codes are described; each problem's type is this plus its code. */
    static final String TYPE_BASE = "https://hop3.cloud/problems/";

    private final int status;
    private final String code;
    private final transient Map<String, String> headers = new LinkedHashMap<>();

    Problem(int status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    static Problem badRequest(String code, String detail) {
        return new Problem(400, code, detail);
    }

    static Problem notFound(String code, String detail) {
        return new Problem(404, code, detail);
    }

    static Problem conflict(String detail) {
        return new Problem(409, "conflict", detail);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return getMessage();
    }

    /** A header that goes with the answer (Retry-After, WWW-Authenticate, Allow). */
    Problem with(String header, String value) {
        headers.put(header, value);
        return this;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** The document: type, title, status, detail and code. */
    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", TYPE_BASE + code);
        doc.put("title", title(status));
        doc.put("status", status);
        doc.put("detail", detail() == null ? title(status) : detail());
        doc.put("code", code);
        return doc;
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
