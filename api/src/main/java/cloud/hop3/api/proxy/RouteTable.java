package cloud.hop3.api.proxy;

import java.util.List;

/**
 * The whole routing state of the platform.
 *
 * @param generation increases with every change, so a proxy can tell old from new
 * @param routes     one route per app that serves
 */
public record RouteTable(long generation, List<Route> routes) {

    public RouteTable {
        routes = List.copyOf(routes);
    }

    /** The table before anything is routed. */
    public static RouteTable empty() {
        return new RouteTable(0, List.of());
    }
}
