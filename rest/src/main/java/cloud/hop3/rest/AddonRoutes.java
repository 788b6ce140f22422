package cloud.hop3.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonInfo;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.AppName;

/** Add-ons, as the shell's {@code addon:} commands: types, list, create, info, attach, detach, destroy. */
final class AddonRoutes {

    private final Services services;

    AddonRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/addon-types", Permission.READ, Route.Scope.PLATFORM, this::types),
                new Route("GET", "/addons", Permission.READ, Route.Scope.PLATFORM, this::list),
                new Route("POST", "/addons", Permission.ADDONS, Route.Scope.PLATFORM, this::create),
                new Route("GET", "/addons/{addon}", Permission.READ, Route.Scope.PLATFORM, this::info),
                new Route("DELETE", "/addons/{addon}", Permission.ADDONS, Route.Scope.PLATFORM, this::destroy),
                new Route("POST", "/addons/{addon}/attachments", Permission.ADDONS,
                        call -> Optional.of(Call.appName(Call.text(call.object("app", "prefix"), "app", true), "invalid-app-name")),
                        this::attach),
                new Route("DELETE", "/addons/{addon}/attachments/{app}", Permission.ADDONS, Route.Scope.PATH_APP, this::detach));
    }

    private Object types(Call call) {
        call.onlyQuery();
        return AppRoutes.page(services.addonService().types(), null);
    }

    private Object list(Call call) {
        call.onlyQuery();
        return AppRoutes.page(services.addonService().list(), null);
    }

    private Object create(Call call) throws Exception {
        call.onlyQuery();
        ObjectNode body = call.object("type", "name", "options");
        String type = Call.text(body, "type", true);
        AddonName name;
        try {
            name = AddonName.of(Call.text(body, "name", true));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-addon-name", e.getMessage());
        }
        Map<String, String> options = new LinkedHashMap<>();
        JsonNode given = body.get("options");
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw Problem.badRequest("invalid-body", "The field 'options' is an object of strings, such as {\"version\": \"15\"}.");
            }
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) given::fields) {
                if (!e.getValue().isTextual()) {
                    throw Problem.badRequest("invalid-body", "The option '" + Texts.shown(e.getKey()) + "' is a string, not "
                            + Call.kind(e.getValue()) + ".");
                }
                options.put(e.getKey(), e.getValue().textValue());
            }
        }
        AddonInfo info = services.addonService().create(type, name, options);
        return Reply.created(info).header("Location", "/api/v1/addons/" + name);
    }

    private Object info(Call call) throws Exception {
        call.onlyQuery();
        return services.addonService().info(call.addon());
    }

    private Object destroy(Call call) throws Exception {
        call.onlyQuery("confirm");
        AddonName addon = call.addon();
        if (!call.query("confirm").filter(addon.value()::equals).isPresent()) {
            throw Problem.badRequest("confirmation-required", "Destroying add-on " + addon + " drops its data for good; nothing"
                    + " was destroyed. To go on, add ?confirm=" + addon + ".");
        }
        services.addonService().destroy(addon);
        return Reply.noContent();
    }

    private Object attach(Call call) throws Exception {
        call.onlyQuery();
        ObjectNode body = call.object("app", "prefix");
        AppName app = Call.appName(Call.text(body, "app", true), "invalid-app-name");
        Optional<String> prefix = Optional.ofNullable(Call.text(body, "prefix", false));
        CollectedLog log = new CollectedLog();
        services.addonService().attach(call.addon(), app, prefix, log);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("addon", services.addonService().info(call.addon()));
        m.put("log", log.lines());
        return Reply.created(m);
    }

    private Object detach(Call call) throws Exception {
        call.onlyQuery();
        CollectedLog log = new CollectedLog();
        services.addonService().detach(call.addon(), call.app(), log);
        return Map.of("log", log.lines());
    }
}
