import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.access.AccessRegistry;
import cloud.hop3.core.impl.keys.AuthorizedKeys;

/**
 * Run by scripts/bench-api: what the REST API asks of the authorization service for each request
 * (the bearer token authenticated, then the user's right on the app checked), on a registry of
 * 200 users with a token each, every one a deployer of its own app. Prints the median and p99 in
 * microseconds, one figure per line as "name value".
 */
public class AccessCheckBench {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        Clock clock = Clock.systemUTC();
        AccessRegistry access = new AccessRegistry(home, new AuthorizedKeys(home, clock), clock, Optional.empty());
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String user = "user" + i;
            access.addUser(user);
            access.grant(user, Grant.of("deployer", List.of("app" + i)));
            secrets.add(access.createToken(user, Optional.of(Duration.ofDays(1))).secret());
        }
        long[] nanos = new long[runs];
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            for (int i = 0; i < runs; i++) {
                int n = i % secrets.size();
                long t = System.nanoTime();
                String user = access.authenticate(secrets.get(n)).name();
                access.check(new Actor(user, Door.API, "192.0.2.1"), Permission.CONFIG, Optional.of(AppName.of("app" + n)));
                nanos[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("authz_p50_us %.2f%nauthz_p99_us %.2f%n", nanos[runs / 2] / 1e3, nanos[runs * 99 / 100] / 1e3);
    }
}
