package cloud.hop3.builder.staticsite;

import java.lang.annotation.Annotation;

/** The component's configuration as a test writes it; DS builds the real one from the PID. */
record TestConfig(int publicIndexPriority, int rootIndexPriority, int maxSiteSizeMegabytes)
        implements StaticSiteBuilder.Config {

    static TestConfig defaults() {
        return new TestConfig(50, 20, 512);
    }

    static TestConfig withMaxSiteSize(int megabytes) {
        return new TestConfig(50, 20, megabytes);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return StaticSiteBuilder.Config.class;
    }
}
