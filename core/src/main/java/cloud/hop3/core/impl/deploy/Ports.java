package cloud.hop3.core.impl.deploy;

import java.io.IOException;

import cloud.hop3.plugin.support.server.FreePorts;

/**
 * Hands out free loopback ports for web processes: outside the range the kernel takes the local
 * ports of outgoing connections from (the proxy's connections to apps take thousands of them under
 * load), and not handed out again for the next few hundred allocations, so two processes started
 * close together never race for the same port.
 */
final class Ports {

    int allocate() throws IOException {
        return FreePorts.any();
    }
}
