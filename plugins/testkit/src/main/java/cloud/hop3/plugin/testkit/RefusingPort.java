package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as it is open: a socket bound to it that
 * neither listens nor connects. Closing a free port's server socket and using its number races with
 * whatever else the machine starts meanwhile (another test's server can take it, and the client
 * then meets that server instead of a refusal); the bound socket keeps the number from being taken,
 * since it does not share its address.
 */
public final class RefusingPort implements AutoCloseable {

    private final Socket holder;

    private RefusingPort(Socket holder) {
        this.holder = holder;
    }

    /** A port on 127.0.0.1 that refuses until {@link #close()}. */
    public static RefusingPort open() throws IOException {
        Socket holder = new Socket();
        try {
            holder.setReuseAddress(false);
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException | RuntimeException e) {
            holder.close();
            throw e;
        }
        return new RefusingPort(holder);
    }

    public int port() {
        return holder.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        holder.close();
    }
}
