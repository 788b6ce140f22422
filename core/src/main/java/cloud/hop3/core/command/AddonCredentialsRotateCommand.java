package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonService;

@Command(scope = "addon", name = "credentials-rotate", description = "Gives an add-on a new password: each attached app moves to it in a new release, then the old one stops working.")
@Service
public class AddonCredentialsRotateCommand extends AddonAction {

    /** For Karaf. */
    public AddonCredentialsRotateCommand() {
    }

    AddonCredentialsRotateCommand(AddonService addons, String name) {
        super(addons, name);
    }

    @Override
    Permission permission() {
        return Permission.ADDONS;
    }

    @Override
    Object run() throws Exception {
        addons.rotate(addon(), new ShellBuildLog(System.out));
        System.out.println("Credentials of " + name + " rotated; the old ones no longer work.");
        return null;
    }
}
