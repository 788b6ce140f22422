package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;

@Command(scope = "app", name = "create", description = "Creates an app without deploying it.")
@Service
public class AppCreateCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "name", required = true, description = "The app's name: lower-case letters, digits and hyphens, starting with a letter.")
    private String name;

    @Override
    Permission permission() {
        return Permission.CREATE_DESTROY;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        apps.create(app);
        System.out.println("Created app " + app + ".");
        return null;
    }
}
