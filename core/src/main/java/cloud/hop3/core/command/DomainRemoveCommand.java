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

@Command(scope = "domain", name = "remove", description = "Makes an app stop answering to a host name added with domain:add.")
@Service
public class DomainRemoveCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "host", required = true, description = "The host name to remove.")
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
        apps.removeDomain(app, checked);
        System.out.println("App " + app + " no longer answers to " + checked + ".");
        return null;
    }
}
