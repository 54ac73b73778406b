package health.meridian.web.ingest;

import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resources a job brings, by their ids in the source ({@code Type/id}), and the ids they get here. An id is
 * derived from the job and the source id (a name-based UUID), so every run of the job — the first, a resumed one —
 * gives a line the same id, and a reference between two inputs of the job resolves whichever was committed first.
 */
final class JobIds {

    private final UUID job;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, String> typeOfId = new ConcurrentHashMap<>();
    /** {@code Type|system|value} → source id: conditional references to the job's own resources. */
    private final Map<String, String> byIdentifier = new ConcurrentHashMap<>();

    JobIds(UUID job) {
        this.job = job;
    }

    /** Notes the type and source id of each line of an input (a fast scan: only the top-level members). */
    void scan(BufferedReader lines) throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            note(scanned(line));
        }
    }

    /** What the scan of one line found: its type, source id and top-level identifiers (null: no resource). */
    record Scanned(String type, String id, List<String> identifiers) {
    }

    /**
     * Scans one line; thread-safe and without effect, so the lines of a chunk can be scanned on all cores and then
     * noted in line order with {@link #note} (which keeps "the first line wins" whatever thread scanned which line).
     */
    static Scanned scanned(String line) {
        List<String> identifiers = new ArrayList<>();
        String[] typeAndId = scanLine(line, identifiers);
        return typeAndId == null || typeAndId[1] == null ? null : new Scanned(typeAndId[0], typeAndId[1], identifiers);
    }

    /** Notes a scanned line (null: nothing to note); call in line order. */
    void note(Scanned s) {
        if (s == null) {
            return;
        }
        known.add(s.type() + "/" + s.id());
        typeOfId.putIfAbsent(s.id(), s.type());
        for (String identifier : s.identifiers()) {
            byIdentifier.putIfAbsent(s.type() + "|" + identifier, s.id());
        }
    }

    boolean contains(String type, String sourceId) {
        return known.contains(type + "/" + sourceId);
    }

    /** The source id of the job's resource of this type with the identifier {@code system|value}, or null. */
    String withIdentifier(String type, String identifier) {
        return byIdentifier.get(type + "|" + identifier);
    }

    /** The type of the job's resource with this source id ({@code urn:uuid:} references), or null. */
    String typeOf(String sourceId) {
        return typeOfId.get(sourceId);
    }

    /** The id a resource of the job gets here. */
    String id(String type, String sourceId) {
        return UUID.nameUUIDFromBytes((job + "|" + type + "|" + sourceId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** The id of a line without a source id: derived from where it is. */
    String idOfLine(int ordinal, int line) {
        return UUID.nameUUIDFromBytes((job + "|line|" + ordinal + "|" + line).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** {resourceType, id} of a resource's JSON (id may be null); null if the line is no JSON object. */
    static String[] typeAndId(String line) {
        return scanLine(line, null);
    }

    /** As {@link #typeAndId}; with {@code identifiers} also collects the top-level identifiers (system|value). */
    static String[] scanLine(String line, List<String> identifiers) {
        if (line.isBlank()) {
            return null;
        }
        String type = null;
        String id = null;
        try (JsonParser p = Json.createParser(new StringReader(line))) {
            if (!p.hasNext() || p.next() != JsonParser.Event.START_OBJECT) {
                return null;
            }
            while (p.hasNext()) {
                JsonParser.Event e = p.next();
                if (e == JsonParser.Event.END_OBJECT) {
                    break;
                }
                if (e != JsonParser.Event.KEY_NAME) {
                    continue;
                }
                String key = p.getString();
                JsonParser.Event value = p.next();
                if (value == JsonParser.Event.START_ARRAY && "identifier".equals(key) && identifiers != null) {
                    identifiers(p, identifiers);
                    continue;
                }
                if (value == JsonParser.Event.VALUE_STRING && "resourceType".equals(key)) {
                    type = p.getString();
                } else if (value == JsonParser.Event.VALUE_STRING && "id".equals(key)) {
                    id = p.getString();
                } else if (value == JsonParser.Event.START_OBJECT) {
                    p.skipObject();
                } else if (value == JsonParser.Event.START_ARRAY) {
                    p.skipArray();
                }
                if (type != null && id != null && identifiers == null) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            return type == null ? null : new String[] {type, id};
        }
        return type == null ? null : new String[] {type, id};
    }

    /** The system|value of each Identifier of an array (the parser stands after its START_ARRAY). */
    private static void identifiers(JsonParser p, List<String> out) {
        while (p.hasNext()) {
            JsonParser.Event e = p.next();
            if (e == JsonParser.Event.END_ARRAY) {
                return;
            }
            if (e != JsonParser.Event.START_OBJECT) {
                continue;
            }
            String system = "";
            String value = null;
            while (p.hasNext() && (e = p.next()) != JsonParser.Event.END_OBJECT) {
                if (e != JsonParser.Event.KEY_NAME) {
                    continue;
                }
                String key = p.getString();
                JsonParser.Event v = p.next();
                if (v == JsonParser.Event.VALUE_STRING && "system".equals(key)) {
                    system = p.getString();
                } else if (v == JsonParser.Event.VALUE_STRING && "value".equals(key)) {
                    value = p.getString();
                } else if (v == JsonParser.Event.START_OBJECT) {
                    p.skipObject();
                } else if (v == JsonParser.Event.START_ARRAY) {
                    p.skipArray();
                }
            }
            if (value != null) {
                out.add(system + "|" + value);
            }
        }
    }
}
