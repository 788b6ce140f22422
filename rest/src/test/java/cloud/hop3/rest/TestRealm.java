package cloud.hop3.rest;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;

/**
 * A JAAS realm for tests, run by the JDK's own JAAS: a user's password is their name followed by
 * {@code -pw}; a user whose name starts with {@code d} is a directory user, whose subject gets a
 * principal {@code deployer:shop}, as the directory's login module gives a group's role.
 */
final class TestRealm extends Configuration {

    static final String NAME = "hop3-test";

    /** A role the realm gave, as the directory's login module puts one in the subject. */
    record Granted(String getName) implements java.security.Principal {
    }

    /** The login module of the realm; public, as JAAS makes it by reflection. */
    public static final class PasswordModule implements LoginModule {
        private Subject subject;
        private CallbackHandler handler;
        private String user;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
            this.subject = subject;
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback name = new NameCallback("user");
            PasswordCallback password = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {name, password});
            } catch (Exception e) {
                throw new LoginException(e.toString());
            }
            if (name.getName() == null || password.getPassword() == null
                    || !Arrays.equals(password.getPassword(), (name.getName() + "-pw").toCharArray())) {
                throw new FailedLoginException("wrong password");
            }
            user = name.getName();
            return true;
        }

        @Override
        public boolean commit() {
            subject.getPrincipals().add(new UserPrincipal(user));
            if (user.startsWith("d")) {
                subject.getPrincipals().add(new Granted("deployer:shop"));
            }
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            return true;
        }
    }

    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        return NAME.equals(name) ? new AppConfigurationEntry[] {new AppConfigurationEntry(PasswordModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())} : null;
    }

    /** The logins of an API under test: this realm, sessions of 12 h idle and 24 h at most. */
    static Logins logins(Services services, LoginThrottle throttle, Clock clock) {
        return new Logins(services, throttle, new Sessions(Duration.ofHours(12), Duration.ofHours(24), clock),
                new JaasLogin(NAME, new TestRealm()));
    }
}
