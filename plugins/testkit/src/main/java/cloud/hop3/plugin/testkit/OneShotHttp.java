package cloud.hop3.plugin.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP/1.1 request on a fresh loopback connection ({@code Connection: close}), with any
 * {@code Host} header, read to its end; over TLS the host is sent as SNI and the server's
 * certificate is kept for the test to look at. For proxy tests that need to control exactly what
 * is sent (a host the machine cannot resolve, a method the proxy refuses).
 */
public final class OneShotHttp {

    /** A response: status, headers (names lower case), body (chunks joined), the server certificate on TLS. */
    public record Response(int status, Map<String, String> headers, String body, X509Certificate certificate) {

        /** A header's value, by a name in any case; null when absent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The subject of the server's certificate ({@code CN=shop.test}). */
        public String peerSubject() {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    private OneShotHttp() {
    }

    public static Response get(int port, String host, String path) throws IOException {
        return send(port, "GET", host, path, Map.of(), null);
    }

    /**
     * {@link #get} on another thread, started now: a request that stays in flight while the test
     * drains, reloads or retires the proxy. The future fails with the request's {@link IOException}.
     */
    public static CompletableFuture<Response> getInBackground(int port, String host, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return get(port, host, path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A GET over TLS to a server whose certificate is reported, not verified. */
    public static Response getTls(int port, String host, String path) throws IOException {
        return send(port, "GET", host, path, Map.of(), trustingAnyCertificate());
    }

    /**
     * Sends one request. A POST carries the body {@code posted} unless {@code headers} set its
     * {@code Content-Length}; other methods no body.
     *
     * @param tls the TLS context, or null for plain HTTP
     */
    public static Response send(int port, String method, String host, String path, Map<String, String> headers,
                                SSLContext tls) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        X509Certificate certificate = null;
        if (tls != null) {
            // keyed by the host name, so that a TLS session of one host is never resumed for another
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            certificate = (X509Certificate) secure.getSession().getPeerCertificates()[0];
            socket = secure;
        }
        try (Socket open = socket) {
            String body = method.equals("POST") && !headers.containsKey("Content-Length") ? "posted" : "";
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            if (!headers.containsKey("Content-Length")) {
                request.append("Content-Length: ").append(body.length()).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n").append(body);
            OutputStream out = open.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            open.getInputStream().transferTo(all);
            return parse(all.toString(StandardCharsets.UTF_8), certificate);
        }
    }

    private static Response parse(String text, X509Certificate certificate) throws IOException {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IOException("No complete response: '" + text + "'");
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(headEnd + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Response(status, headers, body, certificate);
    }

    private static String unchunk(String body) {
        StringBuilder text = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int end = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, end).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            text.append(body, end + 2, end + 2 + size);
            at = end + 2 + size + 2;
        }
        return text.toString();
    }

    /** A TLS context that accepts any server certificate: the test looks at it itself. */
    public static SSLContext trustingAnyCertificate() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
