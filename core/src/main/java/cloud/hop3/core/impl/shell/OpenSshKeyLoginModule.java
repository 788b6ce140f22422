package cloud.hop3.core.impl.shell;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.GroupPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.modules.AbstractKarafLoginModule;
import org.apache.karaf.jaas.modules.publickey.PublickeyCallback;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Karaf's public-key login ({@code etc/keys.properties}: {@code user=<base64 key>,role,_g_:group}),
 * with the keys read by Apache SSHD instead of by hand, and with several keys allowed
 * before the roles ({@code user=<key>,<key>,_g_:group}, as hop3 writes a user with several keys): Karaf 4.4's own module knows RSA, DSA and
 * ECDSA only, so the Ed25519 keys that {@code ssh-keygen} makes by default were refused. Users,
 * groups ({@code _g_\:name = group,role,...}) and roles mean what they mean to Karaf's module.
 * Loaded by Karaf's JAAS proxy from this bundle; {@link KarafRealmWithOpenSshKeys} puts it in
 * the shell's realm.
 */
public class OpenSshKeyLoginModule extends AbstractKarafLoginModule {

    static final String USERS = "users";
    private static final String GROUP_PREFIX = "_g_:";

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        super.initialize(subject, handler, options);
    }

    @Override
    public boolean login() throws LoginException {
        Object file = options.get(USERS);
        if (file == null) {
            throw new LoginException("The login module has no '" + USERS + "' option naming the keys file");
        }
        Properties users = load(Path.of(file.toString()));
        NameCallback name = new NameCallback("Username: ");
        PublickeyCallback key = new PublickeyCallback();
        try {
            callbackHandler.handle(new Callback[] {name, key});
        } catch (IOException e) {
            throw new LoginException(e.getMessage());
        } catch (UnsupportedCallbackException e) {
            throw new LoginException(e.getMessage() + " not available to obtain information from user");
        }
        user = name.getName();
        if (user == null) {
            throw new FailedLoginException("Unable to retrieve user name");
        }
        PublicKey offered = key.getPublicKey();
        if (offered == null) {
            throw new FailedLoginException("Unable to retrieve public key");
        }
        String entry = users.getProperty(user);
        if (entry == null || user.startsWith(GROUP_PREFIX)) {
            throw failed("User " + user + " does not exist");
        }
        String[] infos = entry.split(",");
        // the first item is a key; more keys may follow it (a hop3 user with several keys)
        boolean matches = KeyUtils.compareKeys(offered, parse(infos[0].trim()));
        int first = 1;
        while (first < infos.length && looksLikeKey(infos[first].trim())) {
            matches |= KeyUtils.compareKeys(offered, parse(infos[first].trim()));
            first++;
        }
        if (!matches) {
            throw failed("Public key for " + user + " does not match");
        }
        principals = new HashSet<>();
        principals.add(new UserPrincipal(user));
        for (int i = first; i < infos.length; i++) {
            String info = infos[i].trim();
            if (info.startsWith(GROUP_PREFIX)) {
                String group = info.substring(GROUP_PREFIX.length());
                principals.add(new GroupPrincipal(group));
                String roles = users.getProperty(GROUP_PREFIX + group);
                if (roles != null) {
                    String[] list = roles.split(",");
                    // the first item of a group line is the word "group"
                    for (int r = 1; r < list.length; r++) {
                        principals.add(new RolePrincipal(list[r].trim()));
                    }
                }
            } else if (!info.isEmpty()) {
                principals.add(new RolePrincipal(info));
            }
        }
        succeeded = true;
        return true;
    }

    /** Whether an item of a line is a key blob rather than a role or group: every OpenSSH key blob starts so. */
    static boolean looksLikeKey(String item) {
        return item.startsWith("AAAA") && item.length() > 40;
    }

    /** An OpenSSH public key blob in base64, of any type that SSHD reads (Ed25519 included). */
    static PublicKey parse(String base64) throws FailedLoginException {
        try {
            return new ByteArrayBuffer(Base64.getDecoder().decode(base64)).getRawPublicKey();
        } catch (Exception e) {
            FailedLoginException failed = new FailedLoginException("Unreadable public key in the keys file");
            failed.initCause(e);
            throw failed;
        }
    }

    private FailedLoginException failed(String detail) {
        return new FailedLoginException(detailedLoginExcepion ? detail : "login failed");
    }

    private static Properties load(Path file) throws LoginException {
        Properties users = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            users.load(in);
        } catch (IOException e) {
            throw new LoginException("Unable to load the keys file " + file + ": " + e.getMessage());
        }
        return users;
    }
}
