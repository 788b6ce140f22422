package cloud.hop3.tls.acme;

import java.lang.annotation.Annotation;

import cloud.hop3.plugin.testkit.PebbleServer;

/** {@link AcmeIssuer.Config} values for tests. */
record TestConfig(String directoryUrl, String email, boolean acceptTerms, String trustStore,
        int challengeTimeoutSeconds, int orderTimeoutSeconds, int renewBeforeDays) implements AcmeIssuer.Config {

    static TestConfig pebble(PebbleServer pebble) {
        return new TestConfig(pebble.directoryUrl(), "ops@shop.example.com", true, pebble.trustStore().toString(), 30, 30, 30);
    }

    TestConfig withDirectoryUrl(String url) {
        return new TestConfig(url, email, acceptTerms, trustStore, challengeTimeoutSeconds, orderTimeoutSeconds, renewBeforeDays);
    }

    TestConfig withAcceptTerms(boolean accept) {
        return new TestConfig(directoryUrl, email, accept, trustStore, challengeTimeoutSeconds, orderTimeoutSeconds, renewBeforeDays);
    }

    TestConfig withEmail(String address) {
        return new TestConfig(directoryUrl, address, acceptTerms, trustStore, challengeTimeoutSeconds, orderTimeoutSeconds, renewBeforeDays);
    }

    TestConfig withChallengeTimeoutSeconds(int seconds) {
        return new TestConfig(directoryUrl, email, acceptTerms, trustStore, seconds, orderTimeoutSeconds, renewBeforeDays);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return AcmeIssuer.Config.class;
    }
}
