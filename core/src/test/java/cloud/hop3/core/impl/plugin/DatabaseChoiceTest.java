package cloud.hop3.core.impl.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.addon.Database;
import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.core.impl.platform.CoreConfigs;

/** plugin:list shows, for each database type, the one plugin the add-on service uses. */
class DatabaseChoiceTest {

    @Test
    void ofTwoPluginsOfferingOneTypeOnlyTheChosenOneIsInUse() {
        FakeServices.Registration plain = FakeServices.register(Map.of(Database.TYPE_PROPERTY, "postgres"));
        FakeServices.Registration ranked = FakeServices.register(Map.of(Database.TYPE_PROPERTY, "postgres",
                "service.ranking", 5));
        FakeServices.Registration redis = FakeServices.register(Map.of(Database.TYPE_PROPERTY, "redis"));
        PluginTracker tracker = new PluginTracker(CoreConfigs.with(Map.of()), Map.of(PluginKind.DATABASE,
                List.of(plain.reference(), ranked.reference(), redis.reference())), null);

        Map<Long, Boolean> active = new java.util.TreeMap<>();
        for (PluginInfo p : tracker.plugins()) {
            active.put(p.bundleId(), p.active());
        }

        assertEquals(Map.of((Long) plain.properties().get("service.id"), false,
                (Long) ranked.properties().get("service.id"), true,
                (Long) redis.properties().get("service.id"), true), active);
        // the add-on service's chooser picks the same one
        PluginChooser<String> chooser = new PluginChooser<>(PluginKind.DATABASE);
        chooser.add("plain", plain.properties());
        chooser.add("ranked", ranked.properties());
        assertEquals("ranked", chooser.choose("postgres").orElseThrow());
    }
}
