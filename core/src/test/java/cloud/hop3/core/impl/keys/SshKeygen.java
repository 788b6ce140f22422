package cloud.hop3.core.impl.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** Real keys made by OpenSSH's ssh-keygen, as users make theirs. */
final class SshKeygen {

    /** A generated key pair: the private key file and its .pub. */
    record KeyFiles(Path privateKey, Path publicKey) {

        String publicLine() throws IOException {
            return Files.readString(publicKey);
        }

        String privateText() throws IOException {
            return Files.readString(privateKey);
        }

        /** The public key as an SSH server sees it when the client logs in. */
        PublicKey presented() throws Exception {
            return AuthorizedKeyEntry.parseAuthorizedKeyEntry(publicLine().strip())
                    .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        }

        /** "SHA256:..." as {@code ssh-keygen -lf} prints it. */
        String fingerprint() throws Exception {
            return run("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()).split(" ")[1];
        }

        /** "type base64", without the comment. */
        String withoutComment() throws IOException {
            String[] parts = publicLine().strip().split(" ");
            return parts[0] + " " + parts[1];
        }
    }

    private SshKeygen() {
    }

    static KeyFiles generate(Path dir, String name, String type, String comment) throws Exception {
        return generate(dir, name, type, comment, type.equals("rsa") ? 2048 : 0);
    }

    /** A key of a given size ({@code -b}); 0 for the default of its type. */
    static KeyFiles generate(Path dir, String name, String type, String comment, int bits) throws Exception {
        Files.createDirectories(dir);
        Path key = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment,
                "-f", key.toString()));
        if (bits > 0) {
            command.addAll(List.of("-b", String.valueOf(bits)));
        }
        run(command.toArray(String[]::new));
        return new KeyFiles(key, dir.resolve(name + ".pub"));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ssh-keygen did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output.strip();
    }
}
