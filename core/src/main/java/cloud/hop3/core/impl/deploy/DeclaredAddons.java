package cloud.hop3.core.impl.deploy;

import java.util.List;
import java.util.Map;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.core.impl.manifest.AddonDeclaration;

/**
 * The add-ons that an app declares (hop3.toml {@code [[addons]]}), made ready by a deploy before
 * its release command runs. Implemented by the add-on service; an interface here so that the
 * pipeline does not depend on it.
 */
public interface DeclaredAddons {

    /**
     * Creates each declared add-on that does not exist, and prepares the attachment of each one
     * not attached to {@code app}.
     *
     * @param config the app's config vars now
     * @return the config vars the new release gets, and what to record once it serves
     * @throws DeployException when an add-on cannot be made ready (unknown type, plugin missing,
     *                         a variable taken): the deploy fails and the previous release serves
     */
    Provision provision(AppName app, List<AddonDeclaration> declared, Map<String, String> config, BuildLog log)
            throws DeployException, InterruptedException;

    /** Attachments prepared for one release. */
    interface Provision {

        /** The config vars that the release gets on top of the app's. */
        Map<String, String> variables();

        /** Records the attachments, once the release serves. */
        void commit();
    }

    /** A provision of nothing. */
    Provision NONE = new Provision() {
        @Override
        public Map<String, String> variables() {
            return Map.of();
        }

        @Override
        public void commit() {
        }
    };
}
