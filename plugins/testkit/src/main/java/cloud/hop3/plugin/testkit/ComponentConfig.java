package cloud.hop3.plugin.testkit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A component's configuration as a test writes it: an instance of the component's
 * {@code @interface Config} with the defaults that the annotation declares (the values DS gives a
 * component with no configuration), and the attributes the test names set to other values.
 * <pre>{@code
 * PythonBuilder.Config config = ComponentConfig.of(PythonBuilder.Config.class, "priority", 70);
 * }</pre>
 */
public final class ComponentConfig {

    private ComponentConfig() {
    }

    /**
     * The configuration {@code type} with its defaults, except the attributes given as pairs of a
     * name and a value.
     *
     * @throws IllegalArgumentException for an attribute the type does not have, a value of another
     *                                  type, or an attribute without a default that is not given
     */
    public static <A extends Annotation> A of(Class<A> type, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Give attributes as pairs of a name and a value: "
                    + Arrays.toString(namesAndValues));
        }
        Map<String, Object> values = new TreeMap<>();
        for (Method attribute : type.getDeclaredMethods()) {
            if (attribute.getDefaultValue() != null) {
                values.put(attribute.getName(), attribute.getDefaultValue());
            }
        }
        Map<String, Method> attributes = new HashMap<>();
        Arrays.stream(type.getDeclaredMethods()).forEach(m -> attributes.put(m.getName(), m));
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = String.valueOf(namesAndValues[i]);
            Object value = namesAndValues[i + 1];
            Method attribute = attributes.get(name);
            if (attribute == null) {
                throw new IllegalArgumentException(type.getName() + " has no attribute " + name);
            }
            if (!boxed(attribute.getReturnType()).isInstance(value)) {
                throw new IllegalArgumentException(type.getName() + "." + name + " is a " + attribute.getReturnType()
                        + ", not " + value);
            }
            values.put(name, value);
        }
        for (String name : attributes.keySet()) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException(type.getName() + "." + name + " has no default; give it a value");
            }
        }
        Object config = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.get(method.getName());
                });
        return type.cast(config);
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            default -> Character.class;
        };
    }
}
