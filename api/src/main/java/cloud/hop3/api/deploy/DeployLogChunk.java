package cloud.hop3.api.deploy;

import java.time.Instant;
import java.util.List;

/**
 * Lines of an app's latest deploy log (the output a {@code git push} shows, or that of a
 * rollback, config change, scaling or restart), and where to read on.
 *
 * @param deploy  which deploy: changes when another one starts; empty when the app had none since
 *                the platform kept its logs
 * @param title   what the deploy does ({@code Deploy 1a2b3c4}, {@code Rollback to v3})
 * @param started when it started; null when there was none
 * @param running whether it is still under way (more lines may come)
 * @param ok      whether it succeeded; null while it runs or when there was none
 * @param lines   the lines from the position asked for, as the pusher sees them
 *                ({@code -----> Building}, indented detail, {@code !} warnings)
 * @param next    the position after the last line returned
 * @since 1.3
 */
public record DeployLogChunk(String deploy, String title, Instant started, boolean running, Boolean ok, List<String> lines,
                             int next) {

    public DeployLogChunk {
        deploy = deploy == null ? "" : deploy;
        title = title == null ? "" : title;
        lines = List.copyOf(lines);
    }
}
