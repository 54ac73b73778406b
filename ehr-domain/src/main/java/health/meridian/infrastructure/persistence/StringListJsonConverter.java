package health.meridian.infrastructure.persistence;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.io.StringReader;
import java.util.List;

/** Stores a list of strings in a jsonb column (sent as text; the data source uses stringtype=unspecified). */
@Converter
public class StringListJsonConverter implements AttributeConverter<List<String>, Object> {

    /**
     * Looked up once: every {@code Json.createReader} call runs a ServiceLoader scan over the class path, which in the
     * application server walks every jar of the WAR and the runtime (measured: a third of the CPU of a FHIR read).
     */
    static final JsonProvider JSON = JsonProvider.provider();

    @Override
    public Object convertToDatabaseColumn(List<String> values) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        if (values != null) {
            values.forEach(array::add);
        }
        return array.build().toString();
    }

    @Override
    public List<String> convertToEntityAttribute(Object column) {
        // The driver hands jsonb back as a PGobject whose toString() is the JSON text.
        String json = column == null ? null : column.toString();
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try (var reader = JSON.createReader(new StringReader(json))) {
            JsonArray array = reader.readArray();
            return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }
    }
}
