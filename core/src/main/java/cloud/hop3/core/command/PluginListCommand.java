package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginRegistry;

@Command(scope = "plugin", name = "list", description = "Lists every installed plugin with its bundle, version, state and whether it is in use.")
@Service
public class PluginListCommand extends GuardedAction {

    @Reference
    private PluginRegistry registry;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() throws Exception {
        Table table = new Table("Kind", "Name", "Bundle", "Version", "State", "In use");
        table.empty("No plugins are installed: install one with feature:install hop3-<plugin>.");
        for (PluginInfo p : registry.plugins()) {
            table.row(p.kind().label(), p.name(), p.bundle() + " [" + p.bundleId() + "]",
                    p.version(), p.state(), p.active() ? "yes" : "no");
        }
        table.print(System.out, noFormat);
        registry.problems().forEach(System.out::println);
        return null;
    }
}
