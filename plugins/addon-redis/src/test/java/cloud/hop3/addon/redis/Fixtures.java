package cloud.hop3.addon.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonName;
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

    /**
     * Rotates the add-on's password and checks the rotation as a user meets it: both passwords
     * open it until the old one is retired, then the old one is refused and the new one opens it.
     *
     * @return the new credentials
     */
    static AddonCredentials rotateAndRetire(RedisDatabase redis, AddonName name, AddonCredentials old) throws Exception {
        AddonCredentials rotated = redis.rotate(name, old);
        assertNotEquals(old.get("password"), rotated.get("password"));
        for (AddonCredentials both : List.of(old, rotated)) {
            try (RespConnection connection = connect(both)) {
                assertEquals("PONG", connection.text("PING"));
            }
        }
        redis.retire(name, old, rotated);
        IOException refused = assertThrows(IOException.class, () -> connect(old).close());
        assertTrue(refused.getMessage().startsWith("WRONGPASS"), refused.getMessage());
        try (RespConnection connection = connect(rotated)) {
            assertEquals("PONG", connection.text("PING"));
        }
        return rotated;
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
