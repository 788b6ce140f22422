package cloud.hop3.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ComponentConfigTest {

    @interface Config {
        int priority() default 100;

        String path() default "";

        boolean download() default false;
    }

    @interface Required {
        String url();
    }

    @Test
    void attributesNotGivenHaveTheDeclaredDefaults() {
        Config config = ComponentConfig.of(Config.class, "path", "/opt/bin");

        assertEquals(100, config.priority());
        assertEquals("/opt/bin", config.path());
        assertEquals(false, config.download());
        assertEquals(Config.class, config.annotationType());
    }

    @Test
    void mistakesInATestsConfigurationAreReported() {
        assertThrows(IllegalArgumentException.class, () -> ComponentConfig.of(Config.class, "priorty", 1));
        assertThrows(IllegalArgumentException.class, () -> ComponentConfig.of(Config.class, "priority", "1"));
        assertThrows(IllegalArgumentException.class, () -> ComponentConfig.of(Config.class, "priority"));
        assertThrows(IllegalArgumentException.class, () -> ComponentConfig.of(Required.class));
        assertEquals("https://x", ComponentConfig.of(Required.class, "url", "https://x").url());
    }
}
