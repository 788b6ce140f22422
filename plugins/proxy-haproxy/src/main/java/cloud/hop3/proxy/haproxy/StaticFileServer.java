package cloud.hop3.proxy.haproxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import cloud.hop3.plugin.support.files.StaticSite;

/**
 * The apps' static files, for HAProxy, which cannot read files itself: a small HTTP/1.1 server on
 * a loopback port that only HAProxy talks to. HAProxy names the app in the
 * {@value HaproxyConfigWriter#STATIC_HEADER} header (it removes any such header a client sent), and
 * the server looks the path up in that app's {@link StaticSite}: GET and HEAD only, one response
 * per connection ({@code Connection: close}), {@code Last-Modified} / {@code If-Modified-Since}.
 */
final class StaticFileServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StaticFileServer.class);
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("xml", "application/xml"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
            Map.entry("pdf", "application/pdf"), Map.entry("wasm", "application/wasm"));

    private final ServerSocket socket;
    private final ExecutorService workers;
    private final Thread acceptor;
    private volatile Map<String, StaticSite> sites = Map.of();

    StaticFileServer(int port) throws IOException {
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        AtomicInteger count = new AtomicInteger();
        workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "hop3-haproxy-static-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::accept, "hop3-haproxy-static-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Serves these sites from now on (app name to site). */
    void sites(Map<String, StaticSite> sites) {
        this.sites = Map.copyOf(sites);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                try {
                    workers.execute(() -> serve(client));
                } catch (RejectedExecutionException e) {
                    client.close();
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("Static file server: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(client.getInputStream());
            String head = readHead(in);
            OutputStream out = client.getOutputStream();
            if (head == null) {
                page(out, 400, "Bad Request", false);
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length != 3) {
                page(out, 400, "Bad Request", false);
                return;
            }
            String method = requestLine[0];
            boolean headOnly = method.equals("HEAD");
            if (!headOnly && !method.equals("GET")) {
                page(out, 405, "Method Not Allowed", false);
                return;
            }
            String app = header(lines, HaproxyConfigWriter.STATIC_HEADER);
            String since = header(lines, "If-Modified-Since");
            StaticSite site = app == null ? null : sites.get(app);
            StaticSite.Lookup lookup = site == null ? StaticSite.Outcome.NOT_MATCHED : site.lookup(requestLine[1]);
            if (lookup instanceof StaticSite.Found found) {
                file(out, found, since, headOnly);
            } else if (lookup instanceof StaticSite.Redirect redirect) {
                out.write(("HTTP/1.1 301 Moved Permanently\r\nLocation: " + redirect.location()
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } else if (lookup == StaticSite.Outcome.REFUSED) {
                page(out, 400, "Bad Request", headOnly);
            } else {
                page(out, 404, "Not Found", headOnly);
            }
            out.flush();
        } catch (SocketTimeoutException e) {
            // the client went quiet: close
        } catch (IOException e) {
            LOG.debug("Static file server: {}", e.getMessage());
        }
    }

    private static void file(OutputStream out, StaticSite.Found found, String since, boolean headOnly) throws IOException {
        long modified = found.attributes().lastModifiedTime().toMillis() / 1000 * 1000;
        String lastModified = HTTP_DATE.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(modified), ZoneOffset.UTC));
        if (since != null) {
            try {
                if (modified <= ZonedDateTime.parse(since.strip(), HTTP_DATE).toInstant().toEpochMilli()) {
                    out.write(("HTTP/1.1 304 Not Modified\r\nLast-Modified: " + lastModified
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
            } catch (DateTimeParseException e) {
                // not a date: send the file
            }
        }
        String name = found.file().getFileName().toString();
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? "application/octet-stream"
                : TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
        long length = found.attributes().size();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + length
                + "\r\nLast-Modified: " + lastModified + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            try (InputStream file = Files.newInputStream(found.file())) {
                file.transferTo(out);
            }
        }
    }

    private static void page(OutputStream out, int status, String reason, boolean headOnly) throws IOException {
        String text = status == 404 ? "There is nothing at this address."
                : status == 405 ? "This address accepts GET and HEAD requests only." : "The request could not be served.";
        byte[] body = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + status + " " + reason
                + "</title></head>\n<body><h1>" + status + " " + reason + "</h1><p>" + text + "</p></body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            out.write(body);
        }
    }

    private static String header(String[] lines, String name) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** The request head up to the blank line; null when it is too long or the connection ends first. */
    private static String readHead(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_HEAD_BYTES];
        int n = 0;
        while (n < buffer.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            buffer[n++] = (byte) b;
            if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n') {
                return new String(buffer, 0, n - 4, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdown();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
