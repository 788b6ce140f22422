package cloud.hop3.core.impl.platform;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Core's configuration as Config Admin would give it: the given attributes, defaults for the others. */
public final class CoreConfigs {

    private CoreConfigs() {
    }

    /** @param attributes attribute name ({@code http_port}) to value */
    public static CoreConfig with(Map<String, Object> attributes) {
        return (CoreConfig) Proxy.newProxyInstance(CoreConfig.class.getClassLoader(), new Class<?>[] {CoreConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> CoreConfig.class;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "CoreConfig " + attributes;
                    default -> attributes.containsKey(method.getName()) ? attributes.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
