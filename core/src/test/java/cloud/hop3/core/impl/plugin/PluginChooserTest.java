package cloud.hop3.core.impl.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.plugin.PluginKind;

/** The rule itself; the tests of RouteManager, Certificates and ReleaseRunner show it in use. */
class PluginChooserTest {

    private static final String NAME = "hop3.proxy";

    private static Map<String, Object> plugin(String name, Integer ranking, long id) {
        return ranking == null ? Map.of(NAME, name, "service.id", id)
                : Map.of(NAME, name, "service.ranking", ranking, "service.id", id);
    }

    /** Binds {@code plugins} in the given order and returns the name of the one chosen. */
    @SafeVarargs
    private static Optional<String> chosen(String configured, Map<String, Object>... plugins) {
        PluginChooser<String> chooser = new PluginChooser<>(PluginKind.PROXY);
        for (Map<String, Object> p : plugins) {
            chooser.add(p.get(NAME) + "#" + p.get("service.id"), p);
        }
        return chooser.choose(configured);
    }

    @Test
    void theHighestRankingIsChosenWhateverTheBindOrder() {
        Map<String, Object> builtin = plugin("builtin", -10, 1);
        Map<String, Object> nginx = plugin("nginx", null, 2);
        Map<String, Object> caddy = plugin("caddy", 10, 3);

        assertEquals(Optional.of("caddy#3"), chosen("", builtin, nginx, caddy));
        assertEquals(Optional.of("caddy#3"), chosen("", caddy, nginx, builtin));
        assertEquals(Optional.of("caddy#3"), chosen(null, nginx, caddy, builtin));
    }

    @Test
    void onEqualRankingsTheNameThatSortsFirstIsChosenInEitherOrder() {
        Map<String, Object> nginx = plugin("nginx", 5, 1);
        Map<String, Object> caddy = plugin("caddy", 5, 2);

        assertEquals(Optional.of("caddy#2"), chosen("", nginx, caddy));
        assertEquals(Optional.of("caddy#2"), chosen("", caddy, nginx));
    }

    @Test
    void onEqualRankingsAndNamesTheFirstRegisteredIsChosenInEitherOrder() {
        Map<String, Object> older = plugin("nginx", 0, 7);
        Map<String, Object> newer = plugin("nginx", 0, 9);

        assertEquals(Optional.of("nginx#7"), chosen("nginx", older, newer));
        assertEquals(Optional.of("nginx#7"), chosen("nginx", newer, older));
    }

    @Test
    void theConfiguredNameWinsOverRanking() {
        Map<String, Object> builtin = plugin("builtin", -10, 1);
        Map<String, Object> caddy = plugin("caddy", 10, 2);

        assertEquals(Optional.of("builtin#1"), chosen("builtin", caddy, builtin));
        assertEquals(Optional.of("builtin#1"), chosen(" builtin ", builtin, caddy));
    }

    @Test
    void ofTwoPluginsWithTheConfiguredNameTheHigherRankingIsChosen() {
        Map<String, Object> oldNginx = plugin("nginx", 0, 1);
        Map<String, Object> builtin = plugin("builtin", 50, 2);
        Map<String, Object> newNginx = plugin("nginx", 5, 3);

        assertEquals(Optional.of("nginx#3"), chosen("nginx", oldNginx, builtin, newNginx));
        assertEquals(Optional.of("nginx#3"), chosen("nginx", newNginx, builtin, oldNginx));
    }

    @Test
    void aConfiguredNameThatIsNotInstalledGivesNothingRatherThanAnotherPlugin() {
        assertEquals(Optional.empty(), chosen("haproxy", plugin("nginx", 0, 1), plugin("caddy", 0, 2)));
        assertEquals(Optional.empty(), chosen("NGINX", plugin("nginx", 0, 1)));
        assertEquals(Optional.empty(), chosen("nginx"));
        assertEquals(Optional.empty(), chosen(""));
    }

    @Test
    void aRankingThatIsNotAnIntegerCountsAsZero() {
        Map<String, Object> text = Map.of(NAME, "builtin", "service.ranking", "100", "service.id", 1L);
        Map<String, Object> nginx = plugin("nginx", 1, 2);

        assertEquals(Optional.of("nginx#2"), chosen("", text, nginx));
    }

    @Test
    void anUnnamedPluginIsChosenOnlyByRankingAndLastOnATie() {
        Map<String, Object> unnamed = Map.of("service.id", 1L);
        Map<String, Object> nginx = plugin("nginx", 0, 2);

        assertEquals(Optional.of("nginx#2"), chosen("", unnamed, nginx));
        assertEquals(Optional.of("null#1"), chosen("", unnamed));
        assertEquals(Optional.empty(), chosen("nginx", unnamed));
    }

    @Test
    void aRemovedPluginIsNoLongerChosen() {
        PluginChooser<String> chooser = new PluginChooser<>(PluginKind.PROXY);
        String caddy = "caddy";
        chooser.add(caddy, plugin("caddy", 10, 1));
        chooser.add("nginx", plugin("nginx", 0, 2));

        chooser.remove(caddy);

        assertEquals(Optional.of("nginx"), chooser.choose(""));
    }

    @Test
    void theSameRuleAppliesToAnythingWithProperties() {
        List<Map<String, Object>> references = List.of(plugin("nginx", 3, 1), plugin("caddy", 3, 2), plugin("builtin", 1, 3));

        assertEquals(Optional.of(references.get(1)),
                PluginChooser.choose(PluginKind.PROXY, references, Map::get, ""));
        assertEquals(Optional.of(references.get(2)),
                PluginChooser.choose(PluginKind.PROXY, references, Map::get, "builtin"));
    }

    @Test
    void eachKindReadsItsOwnNameProperty() {
        Map<String, Object> both = Map.of("hop3.proxy", "nginx", "hop3.driver", "local", "service.id", 1L);

        assertEquals(Optional.of(both), PluginChooser.choose(PluginKind.PROCESS_DRIVER, List.of(both), Map::get, "local"));
        assertEquals(Optional.empty(), PluginChooser.choose(PluginKind.PROCESS_DRIVER, List.of(both), Map::get, "nginx"));
        assertEquals(Optional.of(both), PluginChooser.choose(PluginKind.PROXY, List.of(both), Map::get, "nginx"));
    }
}
