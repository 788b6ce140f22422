package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.app.HostName;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "domain", name = "add", description = "Makes an app answer to another host name.")
@Service
public class DomainAddCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "host", required = true, description = "The host name, such as www.example.org.")
    private String host;

    @Override
    Permission permission() {
        return Permission.DOMAINS;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        HostName checked = HostName.of(host);
        apps.addDomain(app, checked);
        System.out.println("App " + app + " now answers to " + checked + ".");
        return null;
    }
}
