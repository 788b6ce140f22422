package cloud.hop3.addon.redis;

import java.io.IOException;
import java.time.Duration;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.platform.ServiceAccounts;
import cloud.hop3.plugin.support.account.LocalServiceAccounts;

/**
 * What the Redis tests share: a platform home under /tmp that the servers' account can enter (a
 * JUnit temp dir is closed to it), the service account under a test name of its own (so that a
 * test never removes a platform's real {@code hop3_redis}), and connections with credentials.
 */
final class Fixtures {

    /** The account the tests' servers run as, {@code hop3_redistest}. */
    static final String ACCOUNT = "redistest";
    static final LocalServiceAccounts LOCAL = new LocalServiceAccounts();
    static final ServiceAccounts ACCOUNTS = name -> LOCAL.account(ACCOUNT);

    private Fixtures() {
    }

    static RespConnection connect(AddonCredentials credentials) throws IOException {
        return connect(credentials, Integer.parseInt(credentials.get("port")));
    }

    /** A connection to {@code port} with the user and password of {@code credentials}. */
    static RespConnection connect(AddonCredentials credentials, int port) throws IOException {
        return RespConnection.open(credentials.get("host"), port, credentials.get("user"), credentials.get("password"),
                Duration.ofSeconds(5));
    }

    static int port(AddonCredentials credentials) {
        return Integer.parseInt(credentials.get("port"));
    }

    /** Waits up to {@code timeout} for {@code condition}. */
    static boolean eventually(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
