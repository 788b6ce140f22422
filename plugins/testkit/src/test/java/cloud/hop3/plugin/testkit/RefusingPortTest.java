package cloud.hop3.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

class RefusingPortTest {

    @Test
    void refusesConnectionsAndCannotBeTakenByAServerWhileOpen() throws Exception {
        try (RefusingPort refusing = RefusingPort.open()) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), refusing.port());
            try (Socket client = new Socket()) {
                assertThrows(ConnectException.class, () -> client.connect(address, 2000));
            }
            // even a server that asks for address reuse, as most servers do, cannot bind the port
            try (ServerSocket server = new ServerSocket()) {
                server.setReuseAddress(true);
                assertThrows(BindException.class, () -> server.bind(address));
            }
        }
    }
}
