package cloud.hop3.core.impl.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ChoiceTest {

    private static final String NAME = "hop3.proxy";

    /** As SCR keeps tuple references: sorted by ranking, lowest first. */
    private static final List<Map.Entry<Map<String, Object>, String>> PROXIES = List.of(
            Map.entry(Map.of(NAME, "builtin", "service.ranking", -10), "builtin proxy"),
            Map.entry(Map.of(NAME, "nginx", "service.ranking", 0), "nginx proxy"),
            Map.entry(Map.of(NAME, "caddy", "service.ranking", 10), "caddy proxy"));

    @Test
    void theConfiguredNameWinsOverRanking() {
        assertEquals(Optional.of("builtin proxy"), Choice.pick(PROXIES, NAME, "builtin"));
        assertEquals(Optional.of("nginx proxy"), Choice.pick(PROXIES, NAME, "nginx"));
    }

    @Test
    void withoutAConfiguredNameTheHighestRankingIsUsed() {
        assertEquals(Optional.of("caddy proxy"), Choice.pick(PROXIES, NAME, ""));
        assertEquals(Optional.of("caddy proxy"), Choice.pick(PROXIES, NAME, "  "));
        assertEquals(Optional.of("caddy proxy"), Choice.pick(PROXIES, NAME, null));
    }

    @Test
    void aConfiguredNameThatIsNotInstalledGivesNothingRatherThanAnotherPlugin() {
        assertEquals(Optional.empty(), Choice.pick(PROXIES, NAME, "haproxy"));
        assertEquals(Optional.empty(), Choice.pick(PROXIES, NAME, "NGINX"));
    }

    @Test
    void nothingInstalledGivesNothing() {
        assertEquals(Optional.empty(), Choice.pick(List.<Map.Entry<Map<String, Object>, String>>of(), NAME, ""));
        assertEquals(Optional.empty(), Choice.pick(List.<Map.Entry<Map<String, Object>, String>>of(), NAME, "nginx"));
    }

    @Test
    void ofTwoPluginsWithTheConfiguredNameTheHigherRankingIsUsed() {
        List<Map.Entry<Map<String, Object>, String>> twoNginx = List.of(
                Map.entry(Map.of(NAME, "nginx", "service.ranking", 0), "old nginx"),
                Map.entry(Map.of(NAME, "builtin"), "builtin"),
                Map.entry(Map.of(NAME, "nginx", "service.ranking", 5), "new nginx"));
        assertEquals(Optional.of("new nginx"), Choice.pick(twoNginx, NAME, "nginx"));
    }

    @Test
    void aPluginWithoutTheNamePropertyIsOnlyChosenByRanking() {
        List<Map.Entry<Map<String, Object>, String>> unnamed = List.of(Map.entry(Map.of(), "anonymous"));
        assertEquals(Optional.of("anonymous"), Choice.pick(unnamed, NAME, ""));
        assertEquals(Optional.empty(), Choice.pick(unnamed, NAME, "nginx"));
    }
}
