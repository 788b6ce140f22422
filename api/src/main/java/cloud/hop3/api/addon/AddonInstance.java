package cloud.hop3.api.addon;

import java.util.Map;

import cloud.hop3.api.app.AppName;

/**
 * Draft, not implemented: a provisioned add-on as first sketched. No add-on is provisioned yet,
 * and core stores no add-on credentials; see the {@linkplain cloud.hop3.api.addon package}
 * description.
 *
 * @param type the add-on type
 * @param name the instance's name, meant to be unique per type
 * @param app  the app it would be created for
 * @param env  the connection environment it would give the app ({@code DATABASE_URL},
 *             {@code REDIS_URL}, ...); secret
 */
public record AddonInstance(String type, String name, AppName app, Map<String, String> env) {

    public AddonInstance {
        env = Map.copyOf(env);
    }
}
