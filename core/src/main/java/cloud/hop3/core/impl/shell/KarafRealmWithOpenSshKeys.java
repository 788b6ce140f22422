package cloud.hop3.core.impl.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Karaf's {@code karaf} login realm, the one the SSH shell uses, with its public-key module
 * replaced by {@link OpenSshKeyLoginModule}, which also reads Ed25519 keys. Everything else
 * (users.properties, the audit modules, their options) is Karaf's realm as configured, read at
 * each login; and, while {@link LdapDirectory} is configured, the directory's password login
 * ({@link DirectoryLoginModule}) after the key login. Karaf picks the realm of highest rank among those of one name: this one ranks
 * above Karaf's, and without Karaf's it offers no module at all, so logins fail closed.
 */
@Component(service = JaasRealm.class, immediate = true)
public class KarafRealmWithOpenSshKeys implements JaasRealm {

    static final String NAME = "karaf";
    static final int RANK = 1;
    static final String KARAF_PUBLICKEY_MODULE = "org.apache.karaf.jaas.modules.publickey.PublickeyLoginModule";

    private final List<JaasRealm> realms = new CopyOnWriteArrayList<>();
    private BundleContext context;
    private String bundleId;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LdapDirectory directory;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        bundleId = Long.toString(context.getBundle().getBundleId());
    }

    // every realm but this component's own (a component may not be bound to itself)
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(!(component.name=cloud.hop3.core.impl.shell.KarafRealmWithOpenSshKeys))")
    void bindRealm(JaasRealm realm) {
        realms.add(realm);
    }

    void unbindRealm(JaasRealm realm) {
        realms.remove(realm);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getRank() {
        return RANK;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        JaasRealm karaf = realms.stream()
                .filter(r -> NAME.equals(r.getName()) && r.getRank() < RANK)
                .max((a, b) -> Integer.compare(a.getRank(), b.getRank()))
                .orElse(null);
        if (karaf == null) {
            return new AppConfigurationEntry[0];
        }
        LdapDirectory ldap = directory;
        Optional<AppConfigurationEntry> fromDirectory = ldap == null ? Optional.empty() : ldap.entry(context);
        List<AppConfigurationEntry> entries = new ArrayList<>();
        for (AppConfigurationEntry entry : karaf.getEntries()) {
            Map<String, ?> options = entry.getOptions();
            if (KARAF_PUBLICKEY_MODULE.equals(options.get(ProxyLoginModule.PROPERTY_MODULE))) {
                Map<String, Object> ours = new HashMap<>(options);
                ours.put(ProxyLoginModule.PROPERTY_MODULE, OpenSshKeyLoginModule.class.getName());
                ours.put(ProxyLoginModule.PROPERTY_BUNDLE, bundleId);
                entries.add(new AppConfigurationEntry(entry.getLoginModuleName(), entry.getControlFlag(), ours));
                // the directory's password login right after the key login, before Karaf's audit modules
                fromDirectory.ifPresent(entries::add);
                fromDirectory = Optional.empty();
            } else {
                entries.add(entry);
            }
        }
        fromDirectory.ifPresent(entries::add);
        return entries.toArray(AppConfigurationEntry[]::new);
    }
}
