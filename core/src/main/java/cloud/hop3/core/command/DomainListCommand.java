package cloud.hop3.core.command;

import java.util.Optional;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "domain", name = "list", description = "Lists the host names each app answers to.")
@Service
public class DomainListCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Argument(index = 0, name = "app", description = "Only this app's host names.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Optional<AppName> app() {
        return Optional.ofNullable(name).map(AppName::of);
    }

    @Override
    Object run() throws Exception {
        List<AppName> which = name == null ? apps.list().stream().map(AppInfo::name).filter(this::mayRead).toList() : List.of(AppName.of(name));
        Table table = new Table("App", "Host", "Kind");
        table.empty(name == null ? "No apps yet." : "App " + name + " answers to no host.");
        for (AppName app : which) {
            List<String> hosts = apps.hosts(app);
            for (int i = 0; i < hosts.size(); i++) {
                table.row(app.value(), hosts.get(i), i == 0 ? "default" : "added");
            }
        }
        table.print(System.out, noFormat);
        return null;
    }
}
