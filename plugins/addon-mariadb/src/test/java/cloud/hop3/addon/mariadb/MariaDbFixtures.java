package cloud.hop3.addon.mariadb;

import cloud.hop3.plugin.support.account.LocalServiceAccounts;
import cloud.hop3.plugin.testkit.PassableHome;
import cloud.hop3.plugin.testkit.TestPlatform;

/** What the MariaDB tests share: the servers' service account, and a platform whose home its servers can reach. */
final class MariaDbFixtures {

    static final LocalServiceAccounts ACCOUNTS = new LocalServiceAccounts();
    /** The account the servers run as. */
    static final String ACCOUNT = "mariadb";

    private MariaDbFixtures() {
    }

    /** A platform in {@code home}; the account is removed after the tests. */
    static TestPlatform platform(PassableHome home) {
        home.afterwards(() -> ACCOUNTS.remove(ACCOUNT));
        return new TestPlatform(home.path().resolve("home"));
    }
}
