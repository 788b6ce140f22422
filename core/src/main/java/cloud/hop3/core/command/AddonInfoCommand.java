package cloud.hop3.core.command;

import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonInfo;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.addon.DatabaseStatus;

@Command(scope = "addon", name = "info", description = "Shows an add-on: its type, server, version, status and the apps it is attached to.")
@Service
public class AddonInfoCommand extends AddonAction {

    /** For Karaf. */
    public AddonInfoCommand() {
    }

    AddonInfoCommand(AddonService addons, String name) {
        super(addons, name);
    }

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() throws Exception {
        AddonInfo info = addons.info(addon());
        DatabaseStatus s = info.status();
        System.out.println("Name:        " + info.name());
        System.out.println("Type:        " + info.type());
        System.out.println("Created:     " + info.created());
        System.out.println("Server:      " + s.server() + (s.serverVersion().isEmpty() ? "" : ", version " + s.serverVersion()));
        System.out.println("Status:      " + (s.reachable() ? "up" : "not reachable") + (s.detail().isEmpty() ? "" : ": " + s.detail()));
        System.out.println("Attached to: " + attachments(info));
        return null;
    }

    /** "shop as DATABASE, blog as ANALYTICS", or "-". */
    static String attachments(AddonInfo info) {
        return info.attachments().isEmpty() ? "-" : info.attachments().entrySet().stream()
                .map(e -> e.getKey() + " as " + e.getValue()).collect(Collectors.joining(", "));
    }
}
