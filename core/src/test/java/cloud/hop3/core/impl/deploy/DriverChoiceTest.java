package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.core.impl.platform.CoreConfigs;
import cloud.hop3.core.impl.plugin.FakeServices;
import cloud.hop3.core.impl.plugin.FakeServices.Registration;
import cloud.hop3.core.impl.plugin.ChoiceAgreement;

/** The driver that runs apps does not depend on the order drivers are bound in, and plugin:list names it. */
class DriverChoiceTest {

    /** A driver that only has a name: which one is chosen is all this test asks. */
    private static ProcessDriver driver(String name) {
        return (ProcessDriver) java.lang.reflect.Proxy.newProxyInstance(ProcessDriver.class.getClassLoader(),
                new Class<?>[] {ProcessDriver.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "name", "toString" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Binds the registrations' drivers in the given order; the driver in use, checked against plugin:list. */
    private static long usedAndListed(String configured, List<Registration> order) throws Exception {
        ReleaseRunner runner = new ReleaseRunner(null, null, null, null);
        runner.activate(CoreConfigs.with(Map.of("driver", configured)));
        return ChoiceAgreement.usedAndListed(PluginKind.PROCESS_DRIVER, configured, order, DriverChoiceTest::driver,
                runner::addDriver, runner::driver, null);
    }

    @Test
    void onEqualRankingsTheSameDriverIsUsedAndListedWhateverTheBindOrder() throws Exception {
        Registration local = FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "local"));
        Registration kubernetes = FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "kubernetes"));
        long kubernetesId = ChoiceAgreement.id(kubernetes);

        assertEquals(kubernetesId, usedAndListed("", List.of(local, kubernetes)));
        assertEquals(kubernetesId, usedAndListed("", List.of(kubernetes, local)));
    }

    @Test
    void theHighestRankingDriverIsUsedAndListedInEitherOrder() throws Exception {
        Registration local = FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "local", "service.ranking", 1));
        Registration kubernetes = FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "kubernetes"));
        long localId = ChoiceAgreement.id(local);

        assertEquals(localId, usedAndListed("", List.of(local, kubernetes)));
        assertEquals(localId, usedAndListed("", List.of(kubernetes, local)));
    }

    @Test
    void theConfiguredDriverIsUsedAndListedInEitherOrder() throws Exception {
        Registration local = FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "local", "service.ranking", 1));
        Registration kubernetes = FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "kubernetes"));
        long kubernetesId = ChoiceAgreement.id(kubernetes);

        assertEquals(kubernetesId, usedAndListed("kubernetes", List.of(local, kubernetes)));
        assertEquals(kubernetesId, usedAndListed("kubernetes", List.of(kubernetes, local)));
    }

    @Test
    void aConfiguredDriverThatIsNotInstalledIsNotReplacedByAnother() {
        ReleaseRunner runner = new ReleaseRunner(null, null, null, null);
        runner.activate(CoreConfigs.with(Map.of("driver", "kubernetes")));
        runner.addDriver(driver("local"), FakeServices.register(Map.of(ProcessDriver.NAME_PROPERTY, "local")).properties());

        DeployException e = assertThrows(DeployException.class, runner::driver);
        assertTrue(e.getMessage().contains("'kubernetes'") && e.getMessage().contains("not installed"), e.getMessage());
    }
}
