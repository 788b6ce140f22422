package cloud.hop3.api.addon;

import java.util.Map;

import cloud.hop3.api.app.AppName;

/**
 * A provisioned add-on.
 *
 * @param type the add-on type
 * @param name the instance's name, unique per type
 * @param app  the app it was created for
 * @param env  connection environment for the app ({@code DATABASE_URL}, {@code REDIS_URL}, ...);
 *             secret, stored encrypted by core
 */
public record AddonInstance(String type, String name, AppName app, Map<String, String> env) {

    public AddonInstance {
        env = Map.copyOf(env);
    }
}
