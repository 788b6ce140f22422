package cloud.hop3.builder.go;

import java.lang.annotation.Annotation;

/** The component's configuration as a test writes it; DS builds the real one from the PID. */
record TestConfig(int priority, String go, String path, int buildTimeoutMinutes, String proxy)
        implements GoBuilder.Config {

    static TestConfig defaults() {
        return new TestConfig(100, "go", "", 15, "off");
    }

    TestConfig withPriority(int value) {
        return new TestConfig(value, go, path, buildTimeoutMinutes, proxy);
    }

    TestConfig withGo(String value) {
        return new TestConfig(priority, value, path, buildTimeoutMinutes, proxy);
    }

    TestConfig withPath(String value) {
        return new TestConfig(priority, go, value, buildTimeoutMinutes, proxy);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return GoBuilder.Config.class;
    }
}
