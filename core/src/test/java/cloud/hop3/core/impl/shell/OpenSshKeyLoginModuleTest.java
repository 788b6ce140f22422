package cloud.hop3.core.impl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.login.FailedLoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.modules.publickey.PublickeyCallback;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A login line may carry several keys before its roles, as hop3 writes a user with several keys. */
class OpenSshKeyLoginModuleTest {

    @TempDir
    Path etc;

    private static PublicKey newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair().getPublic();
    }

    private static String blob(PublicKey key) {
        ByteArrayBuffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        return Base64.getEncoder().encodeToString(buffer.getCompactData());
    }

    private Subject login(Path file, String user, PublicKey key) throws Exception {
        OpenSshKeyLoginModule module = new OpenSshKeyLoginModule();
        Subject subject = new Subject();
        Map<String, Object> options = new HashMap<>();
        options.put(OpenSshKeyLoginModule.USERS, file.toString());
        module.initialize(subject, callbacks -> {
            for (var c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(user);
                } else if (c instanceof PublickeyCallback p) {
                    p.setPublicKey(key);
                }
            }
        }, new HashMap<>(), options);
        module.login();
        module.commit();
        return subject;
    }

    @Test
    void eachKeyOfAUserLogsInWithTheGroupsRolesAndOthersDoNot() throws Exception {
        PublicKey first = newKey();
        PublicKey second = newKey();
        Path file = etc.resolve("keys.properties");
        Files.writeString(file, "_g_\\:deployergroup = group,deployer,viewer,ssh\n"
                + "dee=" + blob(first) + "," + blob(second) + ",_g_:deployergroup\n");

        for (PublicKey key : new PublicKey[] {first, second}) {
            Set<String> roles = login(file, "dee", key).getPrincipals(RolePrincipal.class).stream()
                    .map(RolePrincipal::getName).collect(Collectors.toSet());
            assertEquals(Set.of("deployer", "viewer", "ssh"), roles);
        }
        assertThrows(FailedLoginException.class, () -> login(file, "dee", newKey()));
        assertTrue(OpenSshKeyLoginModule.looksLikeKey(blob(first)));
    }
}
