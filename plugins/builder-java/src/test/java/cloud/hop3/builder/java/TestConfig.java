package cloud.hop3.builder.java;

import java.lang.annotation.Annotation;

/** The component's configuration as a test writes it; DS builds the real one from the PID. */
record TestConfig(int priority, String mvn, String javaHome, String path, String mavenSettings,
                  String mavenOpts, int buildTimeoutMinutes) implements JavaBuilder.Config {

    static TestConfig defaults() {
        return new TestConfig(110, "mvn", "", "", "", "-XX:TieredStopAtLevel=1", 15);
    }

    TestConfig withMvn(String value) {
        return new TestConfig(priority, value, javaHome, path, mavenSettings, mavenOpts, buildTimeoutMinutes);
    }

    TestConfig withJavaHome(String value) {
        return new TestConfig(priority, mvn, value, path, mavenSettings, mavenOpts, buildTimeoutMinutes);
    }

    TestConfig withPriority(int value) {
        return new TestConfig(value, mvn, javaHome, path, mavenSettings, mavenOpts, buildTimeoutMinutes);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return JavaBuilder.Config.class;
    }
}
