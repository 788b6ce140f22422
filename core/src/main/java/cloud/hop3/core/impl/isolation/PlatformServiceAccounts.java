package cloud.hop3.core.impl.isolation;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.api.platform.ServiceAccounts;
import cloud.hop3.plugin.support.account.LocalServiceAccounts;

/**
 * The platform's {@link ServiceAccounts}: servers of plugins get accounts of their own exactly
 * where apps get users of their own, so that one decision ({@link AppUsers}) says how far the
 * platform keeps things apart, and it is said once, at start.
 */
@Component(service = ServiceAccounts.class)
public class PlatformServiceAccounts implements ServiceAccounts {

    private final LocalServiceAccounts accounts;

    @Activate
    public PlatformServiceAccounts(@Reference AppUsers users) {
        this.accounts = new LocalServiceAccounts(users.notIsolatedBecause());
    }

    @Override
    public ServiceAccount account(String name) throws IOException {
        return accounts.account(name);
    }
}
