package health.meridian.web.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildContainedResources;
import ca.uhn.fhir.context.RuntimeChildExtension;
import ca.uhn.fhir.context.RuntimeChildResourceDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stored resource's JSON written for the API without building HAPI's object model (issue #21): the JSON is read
 * into plain maps and lists, and written again with {@code resourceType} first, every object's members in the order
 * of the FHIR element definitions (HAPI's own order, so the bytes are those HAPI's encoder writes for the parsed
 * resource), numbers as their stored text, and the custodian's tag ({@link CustodianTag}) appended to
 * {@code meta.tag}. Parsing a record into the model and encoding it again was a fifth of an audited read's CPU.
 *
 * <p>Stored JSON is always HAPI's own encoding of a validated resource; PostgreSQL's {@code jsonb} keeps its members
 * but not their order, which is why they are put back in order here. A member the definitions do not know (never
 * expected) makes {@link #write} refuse with {@link Unsupported}; the caller then answers through HAPI's model, as
 * before. {@code StoredJsonTest} and {@code StoredJsonIT} compare the two byte for byte.
 */
public final class StoredJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Map<BaseRuntimeElementDefinition<?>, Map<String, Slot>> ORDERS = new ConcurrentHashMap<>();

    private final FhirContext fhir;

    public StoredJson(FhirContext fhir) {
        this.fhir = fhir;
    }

    /** Thrown when stored JSON holds something this writer does not order; the caller falls back to HAPI's model. */
    public static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    /** A number as the stored text had it (HAPI writes a decimal's original text too). */
    private record Number(String text) {
    }

    private enum Kind { PRIMITIVE, PRIMITIVE_EXTENSION, COMPOSITE, CONTAINED }

    private record Slot(int index, Kind kind, BaseRuntimeElementDefinition<?> definition) {
    }

    /** The resource of {@code json} held by {@code custodian}, as HAPI would encode it (compact). */
    public String toString(String json, String custodian) {
        return toString(read(json), custodian);
    }

    /** As {@link #toString(String, String)}, of JSON already {@link #read}. */
    public String toString(Map<String, Object> resource, String custodian) {
        StringWriter out = new StringWriter(2048);
        write(resource, custodian, out);
        return out.toString();
    }

    /** Writes the resource (JSON {@link #read} before) held by {@code custodian} to {@code out} (compact). */
    public void write(Map<String, Object> resource, String custodian, Writer out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writeResource(resource, custodian, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored JSON as maps, lists, strings, booleans and {@link Number}s, in the stored order. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Unsupported("not a JSON object");
            }
            return (Map<String, Object>) value(p);
        } catch (IOException e) {
            throw new Unsupported("not JSON: " + e.getMessage());
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Number(p.getText());
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new Unsupported("unexpected " + t);
        }
    }

    @SuppressWarnings("unchecked")
    private void writeResource(Map<String, Object> resource, String custodian, JsonGenerator g) throws IOException {
        Object type = resource.get("resourceType");
        if (!(type instanceof String name)) {
            throw new Unsupported("no resourceType");
        }
        RuntimeResourceDefinition definition;
        try {
            definition = fhir.getResourceDefinition(name);
        } catch (RuntimeException e) {
            throw new Unsupported("unknown resource type " + name);
        }
        if (custodian != null) {
            Map<String, Object> meta = resource.get("meta") instanceof Map<?, ?> m ? (Map<String, Object>) m
                    : new LinkedHashMap<>();
            List<Object> tags = meta.get("tag") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
            tags.removeIf(t -> t instanceof Map<?, ?> c && CustodianTag.SYSTEM.equals(c.get("system")));
            Map<String, Object> tag = new LinkedHashMap<>();
            tag.put("system", CustodianTag.SYSTEM);
            tag.put("code", custodian);
            tags.add(tag);
            meta.put("tag", tags);
            resource.put("meta", meta);
        }
        g.writeStartObject();
        g.writeStringField("resourceType", name);
        writeMembers(resource, definition, g, true);
        g.writeEndObject();
    }

    @SuppressWarnings("unchecked")
    private void writeMembers(Map<String, Object> object, BaseRuntimeElementDefinition<?> definition, JsonGenerator g,
                              boolean resource) throws IOException {
        Map<String, Slot> order = order(definition);
        List<Map.Entry<String, Object>> members = new ArrayList<>(object.size());
        for (Map.Entry<String, Object> e : object.entrySet()) {
            if (resource && "resourceType".equals(e.getKey())) {
                continue;
            }
            if (!order.containsKey(e.getKey())) {
                throw new Unsupported("unknown member " + e.getKey() + " of " + definition.getName());
            }
            members.add(e);
        }
        members.sort((a, b) -> Integer.compare(order.get(a.getKey()).index(), order.get(b.getKey()).index()));
        for (Map.Entry<String, Object> e : members) {
            Slot slot = order.get(e.getKey());
            g.writeFieldName(e.getKey());
            Object v = e.getValue();
            if (v instanceof List<?> list) {
                g.writeStartArray();
                for (Object item : list) {
                    writeValue(item, slot, g);
                }
                g.writeEndArray();
            } else {
                writeValue(v, slot, g);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void writeValue(Object v, Slot slot, JsonGenerator g) throws IOException {
        switch (slot.kind()) {
            case PRIMITIVE -> {
                if (v instanceof String s) {
                    g.writeString(s);
                } else if (v instanceof Number n) {
                    // HAPI writes a decimal's exponent out (1.0E-7 as 0.00000010); jsonb never stores one
                    g.writeNumber(n.text().indexOf('e') < 0 && n.text().indexOf('E') < 0 ? n.text()
                            : new java.math.BigDecimal(n.text()).toPlainString());
                } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else if (v == null) {
                    g.writeNull();
                } else {
                    throw new Unsupported("object where a primitive belongs");
                }
            }
            case PRIMITIVE_EXTENSION, COMPOSITE -> {
                if (v == null && slot.kind() == Kind.PRIMITIVE_EXTENSION) {
                    g.writeNull();
                } else if (v instanceof Map<?, ?> m) {
                    g.writeStartObject();
                    writeMembers((Map<String, Object>) m, slot.definition(), g, false);
                    g.writeEndObject();
                } else {
                    throw new Unsupported("a primitive where an element belongs");
                }
            }
            case CONTAINED -> {
                if (!(v instanceof Map<?, ?> m)) {
                    throw new Unsupported("a contained resource that is not an object");
                }
                writeResource((Map<String, Object>) m, null, g);
            }
            default -> throw new Unsupported(slot.kind().name());
        }
    }

    /** Member name → position and kind, in the definition's child order ({@code _name} right after {@code name}). */
    private Map<String, Slot> order(BaseRuntimeElementDefinition<?> definition) {
        Map<String, Slot> known = ORDERS.get(definition);
        if (known != null) {
            return known;
        }
        if (!(definition instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
            throw new Unsupported("not a composite: " + definition.getName());
        }
        Map<String, Slot> order = new LinkedHashMap<>();
        // "_name" holds a primitive's id and extensions: the first two children of Extension, in the same order
        BaseRuntimeElementDefinition<?> element = fhir.getElementDefinition("Extension");
        boolean extension = org.hl7.fhir.instance.model.api.IBaseExtension.class
                .isAssignableFrom(composite.getImplementingClass());
        int i = 0;
        for (BaseRuntimeChildDefinition child : composite.getChildren()) {
            i++;
            if (child instanceof RuntimeChildContainedResources) {
                order.put(child.getElementName(), new Slot(2 * i, Kind.CONTAINED, null));
                continue;
            }
            if (child instanceof RuntimeChildExtension) { // extension, modifierExtension: lists of Extension
                order.put(child.getElementName(), new Slot(2 * i, Kind.COMPOSITE, element));
                continue;
            }
            for (String name : child.getValidChildNames()) {
                BaseRuntimeElementDefinition<?> d;
                try {
                    d = child.getChildByName(name);
                } catch (RuntimeException e) {
                    continue;
                }
                if (d == null || child instanceof RuntimeChildResourceDefinition
                        && !name.equals(child.getElementName())) {
                    continue; // HAPI's "...Resource" names of a reference are not JSON members
                }
                boolean primitive = !(d instanceof BaseRuntimeElementCompositeDefinition<?>);
                // HAPI writes an extension's url before its nested extensions and value
                int at = extension && "url".equals(name) ? 0 : 2 * i;
                order.put(name, new Slot(at, primitive ? Kind.PRIMITIVE : Kind.COMPOSITE, d));
                if (primitive) {
                    order.put("_" + name, new Slot(2 * i + 1, Kind.PRIMITIVE_EXTENSION, element));
                }
            }
        }
        Map<String, Slot> frozen = Map.copyOf(order);
        ORDERS.put(definition, frozen);
        return frozen;
    }
}
