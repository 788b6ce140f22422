package cloud.hop3.rest;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupId;

/**
 * The API's JSON: field names in snake_case, times as ISO-8601 text, names as strings, empty
 * optionals as null; bodies read strictly (no duplicate keys, bounded nesting and lengths).
 */
final class Json {

    static final ObjectMapper MAPPER = mapper();
    static final ObjectReader READER = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    private static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(Api.MAX_BODY).build())
                .build();
        ObjectMapper m = new ObjectMapper(factory);
        m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        m.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        m.enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
        SimpleModule names = new SimpleModule("hop3-names");
        names.addSerializer(Instant.class, toText());
        names.addSerializer(AppName.class, toText());
        names.addSerializer(AddonName.class, toText());
        names.addSerializer(BackupId.class, toText());
        names.addSerializer(cloud.hop3.api.app.HostName.class, toText());
        names.addKeySerializer(AppName.class, new JsonSerializer<AppName>() {
            @Override
            public void serialize(AppName value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeFieldName(value.value());
            }
        });
        @SuppressWarnings({"rawtypes", "unchecked"})
        JsonSerializer<Optional> optional = new JsonSerializer<>() {
            @Override
            public void serialize(Optional value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                if (value.isPresent()) {
                    serializers.defaultSerializeValue(value.get(), gen);
                } else {
                    gen.writeNull();
                }
            }
        };
        names.addSerializer(Optional.class, optional);
        m.registerModule(names);
        return m;
    }

    private static <T> JsonSerializer<T> toText() {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        };
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the answer as JSON: " + e.getMessage(), e);
        }
    }
}
