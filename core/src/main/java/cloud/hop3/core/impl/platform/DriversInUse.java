package cloud.hop3.core.impl.platform;

import java.util.Set;

/**
 * The process drivers that apps' current releases run on, as the apps' state records them. The
 * app catalog implements it (and registers it as a service); the plugin registry asks through it,
 * so that it does not depend on the apps' package.
 */
public interface DriversInUse {

    /** The names of the drivers that put at least one app's current release into service. */
    Set<String> runningApps();
}
