package cloud.hop3.core.command.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import cloud.hop3.api.addon.AddonService;

/** Completes the names of existing add-ons. */
@Service
public class AddonNameCompleter implements Completer {

    @Reference
    private AddonService addons;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        addons.list().forEach(a -> names.getStrings().add(a.name().value()));
        return names.complete(session, commandLine, candidates);
    }
}
