package cloud.hop3.builder.node;

import java.lang.annotation.Annotation;

/** The component's configuration as a test writes it; DS builds the real one from the PID. */
record TestConfig(int priority, String npm, String path, int installTimeoutMinutes, int buildTimeoutMinutes,
                  String registry) implements NodeBuilder.Config {

    static TestConfig defaults() {
        return new TestConfig(100, "npm", "", 15, 15, "");
    }

    TestConfig withPriority(int value) {
        return new TestConfig(value, npm, path, installTimeoutMinutes, buildTimeoutMinutes, registry);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return NodeBuilder.Config.class;
    }
}
