package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.plugin.PluginRegistry;
import cloud.hop3.core.impl.route.RouteManager;

@Command(scope = "plugin", name = "list", description = "Lists every installed plugin with its bundle, version, state and whether it is in use.")
@Service
public class PluginListCommand implements Action {

    @Reference
    private PluginRegistry registry;

    @Reference(optional = true)
    private RouteManager routes;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    public Object execute() {
        Table table = new Table("Kind", "Name", "Bundle", "Version", "State", "In use");
        table.empty("No plugins are installed: install one with feature:install hop3-<plugin>.");
        for (PluginInfo p : registry.plugins()) {
            table.row(p.kind().label(), p.name(), p.bundle() + " [" + p.bundleId() + "]",
                    p.version(), p.state(), p.active() ? "yes" : "no");
        }
        table.print(System.out, noFormat);
        for (PluginKind kind : PluginKind.values()) {
            String choice = registry.configuredChoice(kind);
            if (choice != null && !choice.isBlank() && registry.plugins().stream()
                    .noneMatch(p -> p.kind() == kind && p.name().equals(choice))) {
                if (kind == PluginKind.PROXY && routes != null && routes.problem().isPresent()) {
                    continue; // said below, with the proxy that serves instead
                }
                System.out.println("No " + kind.label() + " named '" + choice + "' is installed (configured in cloud.hop3.core).");
            }
        }
        if (routes != null) {
            routes.problem().ifPresent(System.out::println);
        }
        return null;
    }
}
