package cloud.hop3.rest;

import java.util.Arrays;
import java.util.Optional;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user name and password with a JAAS login realm: Karaf's {@code karaf} realm, the one
 * the SSH shell uses, so that directory (LDAP) users log in with their directory password and a
 * user of {@code users.properties} with theirs, and the subject carries what the realm's modules
 * put in it (the roles that a directory's groups give), which the authorization service decides
 * from while a request runs as that subject. The subject is given a client principal
 * {@code api(<address>)} before the login, so that the platform's audit of the realm's failed
 * logins leaves the API's to the API. Called by the API's session login, on the request's thread;
 * thread-safe (each login has its own context).
 */
final class JaasLogin {

    /** The client principal's method: where the login comes from. */
    static final String METHOD = "api";
    private static final Logger LOG = LoggerFactory.getLogger(JaasLogin.class);

    private final String realm;
    private final Configuration configuration;

    /**
     * @param realm         the realm's name
     * @param configuration the JAAS configuration that has the realm; null for the platform's
     *                      (Karaf's, installed as the JVM's)
     */
    JaasLogin(String realm, Configuration configuration) {
        if (realm == null || realm.isBlank()) {
            throw new IllegalArgumentException("The login realm needs a name, such as karaf");
        }
        this.realm = realm.strip();
        this.configuration = configuration;
    }

    String realm() {
        return realm;
    }

    /**
     * Logs {@code user} in with {@code password} (which is blanked afterwards).
     *
     * @return the subject of the login, whose user principal is {@code user}; empty when the realm
     *         refuses it (wrong password, no such user, no role from the directory, the directory
     *         down: the realm's log says which)
     */
    Optional<Subject> login(String user, char[] password, String address) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal(METHOD, address));
        CallbackHandler handler = callbacks -> answer(callbacks, user, password);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        // the realm's modules are loaded through Karaf's JAAS proxy, from the loader of Karaf's boot classes
        thread.setContextClassLoader(UserPrincipal.class.getClassLoader());
        try {
            LoginContext context = configuration == null ? new LoginContext(realm, subject, handler)
                    : new LoginContext(realm, subject, handler, configuration);
            context.login();
        } catch (LoginException | SecurityException e) {
            LOG.info("API: the {} realm refused the password of '{}' from {}: {}", realm, user, address, e.getMessage());
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(before);
            Arrays.fill(password, '\0');
        }
        boolean named = subject.getPrincipals(UserPrincipal.class).stream().anyMatch(p -> user.equals(p.getName()));
        if (!named) {
            LOG.warn("API: the {} realm let '{}' in without naming that user; refused", realm, user);
            return Optional.empty();
        }
        return Optional.of(subject);
    }

    /** The name and password; nothing else (a public key, say) is known here. */
    private static void answer(Callback[] callbacks, String user, char[] password) throws UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback n) {
                n.setName(user);
            } else if (c instanceof PasswordCallback p) {
                p.setPassword(password);
            } else {
                throw new UnsupportedCallbackException(c, "A login of the API has a user name and a password only");
            }
        }
    }
}
