package cloud.hop3.core.impl.shell;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.modules.ldap.LDAPLoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Grant;
import cloud.hop3.core.impl.actor.DirectoryGrant;

/**
 * Karaf's LDAP login (a user name and password checked by binding to the directory, the user's
 * groups read from it), with the groups turned into Hop3 roles by {@link DirectoryGroups}: the
 * subject gets one {@link DirectoryGrant} per role, which the authorization service decides
 * from, and the Karaf roles of those grants for Karaf's command ACLs, in place of the group
 * names (a directory group named {@code admin} is no Karaf admin unless mapped to it). A user
 * in no mapped group, or whose name is no valid Hop3 user name, is refused. Loaded by Karaf's
 * JAAS proxy from this bundle; {@link LdapDirectory} puts it in the shell's realm.
 */
public class DirectoryLoginModule extends LDAPLoginModule {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLoginModule.class);

    private DirectoryGroups groups;

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        super.initialize(subject, handler, sharedState, options);
        groups = DirectoryGroups.of(options);
    }

    @Override
    public boolean login() throws LoginException {
        if (!super.login()) {
            return false;
        }
        if (user == null || !Actor.USER_NAME.matcher(user).matches()) {
            principals.clear();
            throw new FailedLoginException("The directory user '" + user + "' has no valid Hop3 user name");
        }
        List<String> found = principals.stream().filter(p -> p instanceof RolePrincipal).map(Principal::getName).toList();
        List<Grant> grants = groups.grants(found);
        if (grants.isEmpty()) {
            principals.clear();
            LOG.info("Directory user {} refused: none of its groups {} gives a Hop3 role", user, found);
            throw new FailedLoginException("The directory user '" + user + "' is in no group that Hop3 maps to a role");
        }
        principals.removeIf(p -> p instanceof RolePrincipal);
        for (String role : DirectoryGroups.karafRoles(grants)) {
            principals.add(new RolePrincipal(role));
        }
        for (Grant grant : grants) {
            principals.add(new DirectoryGrant(grant));
        }
        LOG.info("Directory user {} logged in as {}", user, grants);
        return true;
    }
}
