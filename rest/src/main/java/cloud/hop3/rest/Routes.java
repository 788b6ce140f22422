package cloud.hop3.rest;

import java.util.ArrayList;
import java.util.List;

/** Every route of the API, as the OpenAPI document lists them. */
final class Routes {

    /** Where the OpenAPI document is, in the bundle. */
    static final String OPENAPI = "/cloud/hop3/rest/openapi.json";

    private Routes() {
    }

    static List<Route> all(Services services, Logins logins) {
        List<Route> routes = new ArrayList<>();
        byte[] openapi = Api.resource(OPENAPI);
        routes.add(new Route("GET", "/openapi.json", null, Route.Scope.PLATFORM, call -> {
            call.onlyQuery();
            return Reply.ok(openapi).header("Content-Type", Api.JSON);
        }));
        routes.addAll(new SessionRoutes(logins).routes());
        routes.addAll(new AppRoutes(services).routes());
        routes.addAll(new ConfigRoutes(services).routes());
        routes.addAll(new AccessRoutes(services).routes());
        routes.addAll(new AddonRoutes(services).routes());
        routes.addAll(new BackupRoutes(services).routes());
        routes.addAll(new EventRoutes(services).routes());
        routes.addAll(new MetricsRoutes(services).routes());
        routes.addAll(new SlugRoutes(services).routes());
        return routes;
    }
}
