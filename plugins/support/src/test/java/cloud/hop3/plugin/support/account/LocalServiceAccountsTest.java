package cloud.hop3.plugin.support.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.platform.ServiceAccount;

class LocalServiceAccountsTest {

    private static final String NAME = "svctest" + ProcessHandle.current().pid() % 100000;

    private final LocalServiceAccounts accounts = new LocalServiceAccounts();

    @AfterEach
    void removeUser() throws IOException {
        if (RunAs.obstacle().isEmpty()) {
            accounts.remove(NAME);
        }
    }

    @Test
    void aCommandRunsAsTheServicesOwnUserWithoutPrivileges() throws Exception {
        assumeTrue(RunAs.obstacle().isEmpty(), "needs root, setpriv and useradd");
        ServiceAccount account = accounts.account(NAME);
        assertTrue(account.isolated());
        assertEquals("hop3_" + NAME, account.user());
        assertEquals(account, accounts.account(NAME), "asked again, the same account");

        Process p = new ProcessBuilder(account.wrap(List.of("sh", "-c", "id -un; grep NoNewPrivs /proc/self/status")))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertTrue(out.startsWith("hop3_" + NAME + "\n"), out);
        assertTrue(out.matches("(?s).*NoNewPrivs:\\s+1.*"), out);
    }

    @Test
    void withoutIsolationTheServerRunsAsThePlatformAndSaysWhy() throws Exception {
        ServiceAccount account = new LocalServiceAccounts(Optional.of("setpriv is missing")).account("postgres");
        assertFalse(account.isolated());
        assertEquals(List.of("true"), account.wrap(List.of("true")));
        assertEquals("the platform's user, because setpriv is missing", account.describe());
    }

    @Test
    void badNamesAreRefused() {
        for (String bad : new String[] {"", "Postgres", "pg-14", "a_b", "x".repeat(21), null}) {
            assertThrows(IllegalArgumentException.class, () -> accounts.account(bad), String.valueOf(bad));
        }
    }
}
