package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code app:domains-remove}, the name of {@code domain:remove} that Piku and Dokku users know. */
@Command(scope = "app", name = "domains-remove", description = "Makes an app stop answering to a host name (as domain:remove).")
@Service
public class AppDomainsRemoveCommand extends DomainRemoveCommand {
}
