package cloud.hop3.proxy.caddy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** One HTTP/1.1 request on a fresh connection (plain, or TLS with a chosen SNI name), read to its end. */
final class RawClient {

    /** A response: status, headers (names lower case), body, and the server certificate on TLS. */
    record Response(int status, Map<String, String> headers, String body, X509Certificate certificate) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawClient() {
    }

    static Response get(int port, String host, String path) throws IOException {
        return send(port, "GET", host, path, null);
    }

    static Response send(int port, String method, String host, String path, SSLContext tls) throws IOException {
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
            OutputStream out = open.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = open.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                throw new IOException("no complete response: " + text);
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
    }

    private static String unchunk(String body) {
        StringBuilder text = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int end = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, end).strip(), 16);
            if (size == 0) {
                break;
            }
            text.append(body, end + 2, end + 2 + size);
            at = end + 2 + size + 2;
        }
        return text.toString();
    }
}
