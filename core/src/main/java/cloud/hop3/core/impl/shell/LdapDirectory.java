package cloud.hop3.core.impl.shell;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory (LDAP) that users may log in to the shell from, with a password, configured in
 * {@code etc/cloud.hop3.ldap.cfg}: the options of Karaf's LDAP login module ({@code connection.url},
 * {@code user.base.dn}, {@code role.filter}, ...) and the mapping of groups to Hop3 roles
 * ({@code groups.*}, {@link DirectoryGroups}). Present only while that configuration exists;
 * {@link KarafRealmWithOpenSshKeys} adds {@link DirectoryLoginModule} to the shell's realm while
 * a {@code connection.url} is set. A change applies to the next login.
 */
@Component(service = LdapDirectory.class, configurationPid = LdapDirectory.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = LdapDirectory.Config.class)
public class LdapDirectory {

    static final String PID = "cloud.hop3.ldap";
    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectory.class);
    /** Set by Config Admin and DS, not options of the login module. */
    private static final Set<String> NOT_OPTIONS = Set.of(Constants.SERVICE_PID, "component.name", "component.id",
            "felix.fileinstall.filename", "service.factoryPid", "service.bundleLocation");
    /** Defaults of Karaf's module options where Karaf's own differ from what a directory login needs here. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "authentication", "simple",
            "user.filter", "(uid=%u)",
            "user.search.subtree", "true",
            "role.filter", "(member=%fqdn)",
            "role.name.attribute", "cn",
            "role.search.subtree", "true",
            // group changes in the directory apply at the next login
            "disableCache", "true",
            // a directory that does not answer delays a login by seconds, not minutes
            "context.com.sun.jndi.ldap.connect.timeout", "5000",
            "context.com.sun.jndi.ldap.read.timeout", "10000");

    @ObjectClassDefinition(name = "Hop3 LDAP directory", description = "Users who log in to the shell with a password"
            + " checked by an LDAP directory, and the groups that give them Hop3 roles. Every other option of Karaf's LDAP"
            + " login module (connection.username, ssl, authentication, ...) may be set here too.")
    @interface Config {
        @AttributeDefinition(name = "Directory URL", description = "ldap:// or ldaps:// URL of the directory. Empty turns directory logins off.")
        String connection_url() default "";

        @AttributeDefinition(name = "Bind DN", description = "DN to search the directory as; empty searches anonymously.", required = false)
        String connection_username() default "";

        @AttributeDefinition(name = "Bind password", description = "Password of the bind DN.", type = AttributeType.PASSWORD, required = false)
        String connection_password() default "";

        @AttributeDefinition(name = "Users base DN", description = "Where users are searched, such as ou=people,dc=example,dc=org.")
        String user_base_dn() default "";

        @AttributeDefinition(name = "User filter", description = "LDAP filter that finds the user; %u is the login name.")
        String user_filter() default "(uid=%u)";

        @AttributeDefinition(name = "Groups base DN", description = "Where groups are searched, such as ou=groups,dc=example,dc=org.")
        String role_base_dn() default "";

        @AttributeDefinition(name = "Group filter", description = "LDAP filter that finds the user's groups; %u is the login name, %dn the user's DN relative to the users base DN, %fqdn its full DN.")
        String role_filter() default "(member=%fqdn)";

        @AttributeDefinition(name = "Group name attribute", description = "Attribute of a group that holds its name.")
        String role_name_attribute() default "cn";

        @AttributeDefinition(name = "Admin groups", description = "Groups whose members are admins, separated by commas.")
        String groups_admin() default "hop3-admins";

        @AttributeDefinition(name = "Viewer groups", description = "Groups whose members are viewers of every app, separated by commas.")
        String groups_viewer() default "hop3-viewers";

        @AttributeDefinition(name = "Deployer group prefix", description = "A group named this prefix followed by an app name makes its members deployers of that app. Empty turns this off.")
        String groups_deployer_prefix() default "hop3-deployers-";

        @AttributeDefinition(name = "Viewer group prefix", description = "A group named this prefix followed by an app name makes its members viewers of that app. Empty turns this off.")
        String groups_viewer_prefix() default "hop3-viewers-";

        @AttributeDefinition(name = "More groups", description = "Other groups and the role each gives, separated by semicolons: group=admin, group=viewer, group=viewer:app,app or group=deployer:app,app.")
        String groups_mapping() default "";
    }

    private volatile Map<String, String> options = Map.of();

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Map<String, String> next = options(properties);
        DirectoryGroups.of(next); // refuses a mapping that does not parse, naming the option
        options = next;
        LOG.info("LDAP directory logins {}", enabled() ? "on, from " + next.get("connection.url") : "off (no connection.url)");
    }

    /** The module options from a configuration: Karaf's defaults replaced where Hop3's differ, every value a string. */
    static Map<String, String> options(Map<String, ?> properties) {
        Map<String, String> options = new HashMap<>(DEFAULTS);
        options.putAll(DirectoryGroups.DEFAULTS);
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            if (!NOT_OPTIONS.contains(e.getKey()) && e.getValue() != null) {
                options.put(e.getKey(), e.getValue().toString().strip());
            }
        }
        return options;
    }

    boolean enabled() {
        return !options.getOrDefault("connection.url", "").isBlank();
    }

    /** The realm's entry for {@link DirectoryLoginModule}, loaded from {@code context}'s bundle; empty while logins are off. */
    Optional<AppConfigurationEntry> entry(BundleContext context) {
        if (!enabled()) {
            return Optional.empty();
        }
        Map<String, Object> module = new HashMap<>(options);
        module.put(BundleContext.class.getName(), context);
        module.put(ProxyLoginModule.PROPERTY_MODULE, DirectoryLoginModule.class.getName());
        module.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(context.getBundle().getBundleId()));
        return Optional.of(new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.OPTIONAL, module));
    }
}
