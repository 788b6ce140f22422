package cloud.hop3.core.impl.limits;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps app ports answering on loopback only: nftables rules in the table {@code inet hop3}
 * drop every TCP connection to the port of a web process that does not come in on {@code lo}.
 * An app that binds all interfaces on its {@code $PORT} (H2's console does) is then reached only
 * through the proxy, with TLS and routing, as on a machine where it bound loopback.
 * <p>
 * Only the ports the platform handed to its processes are in the rule (a set that follows every
 * start and stop), never a range: other servers of the machine that use ephemeral ports are not
 * touched, and connections the apps open themselves are not either (their answers come to the
 * app's own ephemeral port, not to a listening one). Traffic between local addresses always
 * comes in on {@code lo}, so the proxy reaches the apps on any local address.
 * <p>
 * Each installation has a chain and a set of its own in the shared table
 * ({@code input_<tag>}, {@code ports_<tag>}, the tag as for control groups), so two
 * installations on one machine never undo each other's rules. The rules stay when the platform
 * stops: app processes outlive it, and would otherwise be reachable; the next start writes them
 * again. {@code nft delete table inet hop3} removes them once the platform is uninstalled.
 */
public final class AppPortFirewall {

    private static final Logger LOG = LoggerFactory.getLogger(AppPortFirewall.class);
    private static final List<Path> NFT = List.of(Path.of("/usr/sbin/nft"), Path.of("/sbin/nft"), Path.of("/usr/bin/nft"));
    private static final long NFT_TIMEOUT_SECONDS = 10;
    static final String TABLE = "hop3";

    private final Optional<Path> nft;
    private final String tag;
    private volatile String status;
    private Set<Integer> applied;

    AppPortFirewall(Optional<Path> nft, String tag, String status) {
        this.nft = nft;
        this.tag = tag;
        this.status = status;
    }

    /**
     * The firewall of the installation in {@code home}: rules where {@code wanted} and the
     * machine has a working {@code nft}, else a status that says why app ports are reachable.
     */
    public static AppPortFirewall detect(Path home, boolean wanted) {
        String tag = ResourceEnforcer.tag(home);
        if (!wanted) {
            return new AppPortFirewall(Optional.empty(), tag, "reachable from the network: turned off (app.ports.loopback.only)");
        }
        Optional<Path> nft = NFT.stream().filter(Files::isExecutable).findFirst();
        if (nft.isEmpty()) {
            return new AppPortFirewall(Optional.empty(), tag, "reachable from the network: nftables not available (no nft command)");
        }
        return new AppPortFirewall(nft, tag, "loopback only (nftables)");
    }

    /** "loopback only (nftables)", or why app ports are reachable from the network. */
    public String status() {
        return status;
    }

    /**
     * Makes the rules drop outside connections to exactly these ports. Failures are logged and
     * shown by {@link #status()}; apps keep running either way.
     */
    public synchronized void sync(Set<Integer> ports) {
        if (nft.isEmpty()) {
            return;
        }
        Set<Integer> wanted = new TreeSet<>(ports);
        if (wanted.equals(applied)) {
            return;
        }
        String chain = "input_" + tag;
        String set = "ports_" + tag;
        StringBuilder script = new StringBuilder()
                .append("add table inet ").append(TABLE).append('\n')
                .append("add set inet ").append(TABLE).append(' ').append(set).append(" { type inet_service; }\n")
                .append("add chain inet ").append(TABLE).append(' ').append(chain)
                .append(" { type filter hook input priority -10; policy accept; }\n")
                .append("flush chain inet ").append(TABLE).append(' ').append(chain).append('\n')
                .append("add rule inet ").append(TABLE).append(' ').append(chain)
                .append(" iifname != \"lo\" tcp dport @").append(set).append(" drop\n")
                .append("flush set inet ").append(TABLE).append(' ').append(set).append('\n');
        if (!wanted.isEmpty()) {
            script.append("add element inet ").append(TABLE).append(' ').append(set).append(" { ")
                    .append(wanted.stream().map(String::valueOf).collect(Collectors.joining(", "))).append(" }\n");
        }
        String problem = run(script.toString());
        if (problem == null) {
            applied = wanted;
            status = "loopback only (nftables)";
            LOG.info("App ports on loopback only: nftables table inet {} drops outside connections to {}", TABLE,
                    wanted.isEmpty() ? "no port yet" : wanted);
        } else {
            applied = null;
            status = "reachable from the network: nftables failed (" + problem + ")";
            LOG.error("App ports are reachable from the network: nft failed: {}", problem);
        }
    }

    /** Runs an nft script; null when it worked, else what nft said. */
    private String run(String script) {
        try {
            Process p = new ProcessBuilder(nft.get().toString(), "-f", "-").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "no answer within " + NFT_TIMEOUT_SECONDS + " s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : out.isEmpty() ? "exit status " + p.exitValue() : out.lines().findFirst().orElse(out);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
