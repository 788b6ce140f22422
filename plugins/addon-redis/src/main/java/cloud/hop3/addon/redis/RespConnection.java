package cloud.hop3.addon.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to a Redis server speaking RESP2, the few lines of the protocol the plugin needs
 * (ACL commands, PING, INFO, SCAN, DUMP and RESTORE), so that no client library is embedded.
 * Replies are a {@link String} (simple string), a {@link Long}, a {@code byte[]} (bulk string),
 * a {@link List} (array) or {@code null}; an error reply is a {@link RedisError} carrying the
 * server's own words. Not thread-safe: one caller at a time.
 */
final class RespConnection implements Closeable {

    /** An error reply of the server ({@code -WRONGPASS ...}), in its own words. */
    static final class RedisError extends IOException {

        private static final long serialVersionUID = 1L;

        RedisError(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** A connection, not authenticated (the server's default user). */
    static RespConnection open(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return new RespConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A connection authenticated as {@code user} ({@code AUTH user password}). */
    static RespConnection open(String host, int port, String user, String password, Duration timeout)
            throws IOException {
        RespConnection connection = open(host, port, timeout);
        try {
            if (user.isEmpty()) {
                connection.call("AUTH", password);
            } else {
                connection.call("AUTH", user, password);
            }
            return connection;
        } catch (IOException e) {
            connection.close();
            throw e;
        }
    }

    /** Sends one command (each argument a {@link String} or a {@code byte[]}) and reads its reply. */
    Object call(Object... arguments) throws IOException {
        send(arguments);
        out.flush();
        return read();
    }

    /** A command whose reply is text (a simple or bulk string), as text; null for a null reply. */
    String text(Object... arguments) throws IOException {
        return asText(call(arguments));
    }

    static String asText(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return reply == null ? null : reply.toString();
    }

    /** Writes one command in RESP (an array of bulk strings) to {@code out}, as {@code redis-cli --pipe} reads it. */
    static void write(OutputStream out, Object... arguments) throws IOException {
        out.write(("*" + arguments.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object argument : arguments) {
            byte[] bytes = argument instanceof byte[] b ? b : String.valueOf(argument).getBytes(StandardCharsets.UTF_8);
            out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
    }

    private void send(Object... arguments) throws IOException {
        write(out, arguments);
    }

    private Object read() throws IOException {
        return read(in);
    }

    /** Reads one RESP value from {@code in}; {@link EOFException} at the end of the stream. */
    static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("The Redis connection closed");
        }
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("A bulk string of the Redis reply was cut");
                }
                return bytes;
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("Not a Redis reply (type byte " + type + ")");
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("The Redis connection closed within a reply");
            }
            if (previous == '\r' && b == '\n') {
                byte[] all = bytes.toByteArray();
                return new String(all, 0, all.length - 1, StandardCharsets.UTF_8);
            }
            bytes.write(b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
