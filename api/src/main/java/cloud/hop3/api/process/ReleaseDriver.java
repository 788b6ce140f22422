package cloud.hop3.api.process;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.TlsCertificate;

import java.util.List;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A process driver that puts a whole release into service at once, the way a cluster does: it
 * rolls the release out, checks its readiness and routes requests to it itself (a Kubernetes
 * Deployment, Service and Ingress), so core neither starts the processes one by one, nor checks
 * their health on loopback, nor points the platform's proxy at them.
 * <p>
 * Core hands an app's releases to a {@code ReleaseDriver} when it is the driver chosen for that
 * app ({@code app:driver}, or {@code driver} in hop3.toml). Status, logs and one-off runs are
 * those of {@link ProcessDriver}; {@link #start} and {@link #stop} of single processes are not
 * called by core for such an app.
 * <p>
 * <b>Failures leave the previous release serving.</b> {@link #apply} either returns with the new
 * release serving or throws with the previous one still serving (a rollout that misses its deadline
 * is undone by the driver); its message says why, in the words of the cluster (the pods' reasons).
 * <p>
 * <b>Ownership.</b> Every object the driver makes is marked as the app's; {@link #remove} deletes
 * those and nothing else.
 */
@ConsumerType
public interface ReleaseDriver extends ProcessDriver {

    /**
     * Puts the plan's release into service: runs its release command to success first, then
     * rolls its processes out and waits until they are ready.
     *
     * @param progress receives one line per step, for the deploy log
     * @throws ProcessException when the release does not serve by the plan's deadline, or the
     *                          cluster refuses it; the previous release then still serves
     */
    void apply(ReleasePlan plan, Consumer<String> progress) throws ProcessException, InterruptedException;

    /**
     * What {@link #apply} would send for the plan, as text (YAML documents for Kubernetes),
     * without sending anything.
     */
    String preview(ReleasePlan plan) throws ProcessException;

    /**
     * Changes how many processes of each type the app's serving release runs; types not in
     * {@code formation} keep their count.
     *
     * @throws ProcessException when the app has no release on this driver, or the cluster refuses
     */
    void scale(AppName app, Formation formation) throws ProcessException, InterruptedException;

    /**
     * Changes the host names the app's web processes answer on, and their certificate (null for
     * none), without a new release: after {@code domain:add} or {@code domain:remove}. With no
     * host names, the app is no longer reachable by name from outside.
     *
     * @throws ProcessException when the app has no release on this driver, or the cluster refuses
     */
    void route(AppName app, List<HostName> hosts, TlsCertificate certificate) throws ProcessException, InterruptedException;

    /** Restarts every process of the app's serving release, one after the other (a rolling restart). */
    void restart(AppName app) throws ProcessException, InterruptedException;

    /**
     * Removes every object the driver made for the app, and nothing else. Removing an app that
     * has none does nothing.
     */
    void remove(AppName app) throws ProcessException, InterruptedException;
}
