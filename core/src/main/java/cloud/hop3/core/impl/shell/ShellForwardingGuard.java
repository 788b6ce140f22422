package cloud.hop3.core.impl.shell;

import java.util.List;

import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.forward.Forwarder;
import org.apache.sshd.common.session.helpers.AbstractConnectionService;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every kind of forwarding on Karaf's shell port: TCP both ways ({@code ssh -L}, {@code -R},
 * {@code -W}), the agent and X11. Karaf 4.4 builds its shell server with a filter that accepts all
 * of them and offers no setting to change that, so any shell key, a viewer's included, could
 * relay traffic through the platform or make it listen on every interface. The git server refuses
 * them by construction; this puts the shell on the same footing.
 *
 * <p>Karaf registers its {@link SshServer} as a service just before starting it, and a new one
 * whenever {@code etc/org.apache.karaf.shell.cfg} changes; the filter is set on each, from the
 * registering thread when core is already running, so before the new server listens. The first
 * server of a boot listens a few seconds before core starts, and on a stock Karaf the shell is up
 * long before hop3 is installed: a session opened earlier asks the server's filter at each new
 * request, so it is refused from then on, and a session that already holds a forward (a channel
 * other than a shell, or a bound port) is closed, so that no forward made earlier outlives the
 * filter. Sessions that only run commands, such as the one installing hop3, stay open. The filter
 * stays when core stops: forwarding is never allowed again on that server.
 */
@Component(service = {}, immediate = true)
public class ShellForwardingGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ShellForwardingGuard.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindShellServer(SshServer server) {
        if (server.getForwardingFilter() instanceof RejectAllForwardingFilter) {
            return;
        }
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        List<AbstractSession> forwarding = server.isStarted()
                ? server.getActiveSessions().stream().filter(ShellForwardingGuard::forwards).toList()
                : List.of();
        for (AbstractSession session : forwarding) {
            session.close(true);
        }
        LOG.info("The shell's SSH server on port {} refuses forwarding{}", server.getPort(),
                forwarding.isEmpty() ? "" : "; closed " + forwarding.size() + " session(s) that forwarded before");
    }

    /**
     * Whether a session holds a forward: a channel other than a shell's, or a port bound for it. A
     * session still logging in (such as {@code bin/hop3 start} polling the shell during a boot) has
     * no connection service yet, which SSHD answers with an exception, not null: it holds nothing.
     */
    static boolean forwards(AbstractSession session) {
        AbstractConnectionService connections;
        try {
            connections = session.getService(AbstractConnectionService.class);
        } catch (IllegalStateException notLoggedIn) {
            return false;
        }
        if (connections == null) {
            return false;
        }
        for (Channel channel : connections.getChannels()) {
            if (!(channel instanceof ChannelSession)) {
                return true;
            }
        }
        Forwarder forwarder = connections.getForwarder();
        return !forwarder.getLocalForwardsBindings().isEmpty() || !forwarder.getRemoteForwardsBindings().isEmpty()
                || !forwarder.getStartedLocalPortForwards().isEmpty() || !forwarder.getStartedRemotePortForwards().isEmpty();
    }

    void unbindShellServer(SshServer server) {
        // the filter stays: a server that core no longer watches keeps refusing forwarding
    }
}
