package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.secret.KeyRotation;
import cloud.hop3.api.secret.SecretKeys;

/**
 * Rotates the key that encrypts config vars at rest, for an operator who suspects the key file
 * was read, or rotates keys on a schedule. Apps keep running: only stored documents change.
 */
@Command(scope = "platform", name = "rotate-key",
        description = "Encrypts the stored config vars with a new key and retires the old one.")
@Service
public class PlatformRotateKeyCommand extends GuardedAction {

    @Reference
    private SecretKeys keys;

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() throws Exception {
        KeyRotation rotation = keys.rotate();
        System.out.println("Key " + rotation.key() + " now encrypts secrets at rest; " + rotation.documents()
                + (rotation.documents() == 1 ? " app re-encrypted." : " apps re-encrypted."));
        if (!rotation.problems().isEmpty()) {
            throw new IllegalStateException("The old keys are kept, since these could not be re-encrypted: "
                    + String.join("; ", rotation.problems()) + ". Fix them and run platform:rotate-key again.");
        }
        if (!rotation.retired().isEmpty()) {
            System.out.println("Retired the old keys " + String.join(", ", rotation.retired()) + ": they no longer open"
                    + " the platform's state, only backups taken before (keys/retired.json).");
        }
        return null;
    }
}
