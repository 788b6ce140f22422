package cloud.hop3.proxy.builtin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;

/**
 * The client of the process that holds the proxy's listening sockets across restarts of the
 * platform ({@code bin/hop3-holder}, named by {@code Platform.socketHolder()}): it asks for a
 * listening socket (the holder binds it the first time) and receives a duplicate of the
 * holder's descriptor over the holder's UNIX socket ({@code SCM_RIGHTS}), through Netty's native
 * library, which must be loaded (the epoll transport is available). Closing that duplicate leaves
 * the socket listening in the holder, so that connections wait in its queue for the next proxy
 * instance or the next platform.
 * <p>
 * One request per connection, one line each way: {@code LISTEN <ip> <port> <backlog>} is
 * answered {@code OK <port>} and then the descriptor; {@code CLOSE <ip> <port>} and {@code PING}
 * with {@code OK ...}; a failure with {@code ERR <reason>}.
 */
final class SocketHolder {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int MAX_LINE = 512;

    private final Path socket;

    SocketHolder(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    /** Whether a holder answers on the socket. */
    boolean answers() {
        try {
            return ask("PING", false).startsWith("OK hop3-holder");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A new descriptor of the holder's listening socket on {@code address}, bound by the holder
     * the first time it is asked for (port 0: a free port, each time). The caller owns it.
     *
     * @throws IOException when the holder does not answer or cannot bind, with its reason
     */
    int listen(InetSocketAddress address, int backlog) throws IOException {
        String answer = ask("LISTEN " + address.getAddress().getHostAddress() + " " + address.getPort()
                + " " + backlog, true);
        return Integer.parseInt(answer);
    }

    /** Asks the holder to close its copy of the socket on {@code address}: another proxy takes the port over. */
    void close(InetSocketAddress address) throws IOException {
        ask("CLOSE " + address.getAddress().getHostAddress() + " " + address.getPort(), false);
    }

    /**
     * Sends {@code request} and reads the answer line; with {@code descriptor}, then receives the
     * descriptor that follows an OK and returns it as text.
     */
    private String ask(String request, boolean descriptor) throws IOException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        Socket connection = Socket.newSocketDomain();
        try {
            if (!connection.connect(new DomainSocketAddress(socket.toString()))) {
                while (!connection.finishConnect()) {
                    pause(deadline, request);
                }
            }
            ByteBuffer out = ByteBuffer.allocateDirect(request.length() + 1);
            out.put((request + "\n").getBytes(StandardCharsets.US_ASCII)).flip();
            while (out.hasRemaining()) {
                int written = connection.write(out, out.position(), out.limit());
                if (written > 0) {
                    out.position(out.position() + written);
                } else {
                    pause(deadline, request);
                }
            }
            String line = readLine(connection, deadline, request);
            if (!line.startsWith("OK")) {
                throw new IOException("The socket holder on " + socket + " refused '" + request + "': "
                        + line.replaceFirst("^ERR ", ""));
            }
            if (!descriptor) {
                return line;
            }
            int fd;
            while ((fd = connection.recvFd()) == 0) {
                pause(deadline, request);
            }
            if (fd < 0) {
                throw new IOException("The socket holder on " + socket + " sent no descriptor for '" + request + "'");
            }
            return Integer.toString(fd);
        } finally {
            connection.close();
        }
    }

    /**
     * One line, read a byte at a time: a larger read could take the byte that carries the
     * descriptor, which would then be lost.
     */
    private String readLine(Socket connection, long deadline, String request) throws IOException {
        ByteBuffer in = ByteBuffer.allocateDirect(MAX_LINE);
        while (in.position() < MAX_LINE) {
            int read = connection.read(in, in.position(), in.position() + 1);
            if (read < 0) {
                break;
            }
            if (read == 0) {
                pause(deadline, request);
                continue;
            }
            in.position(in.position() + 1);
            if (in.get(in.position() - 1) == '\n') {
                break;
            }
        }
        byte[] bytes = new byte[in.position()];
        in.flip().get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII).strip();
    }

    private void pause(long deadline, String request) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException("The socket holder on " + socket + " did not answer '" + request + "' within "
                    + ANSWER_TIMEOUT.toSeconds() + " s");
        }
        LockSupport.parkNanos(POLL_NANOS);
    }
}
