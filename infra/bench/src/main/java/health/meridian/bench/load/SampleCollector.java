package health.meridian.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.bench.importer.CommitListener;
import health.meridian.bench.importer.ImportJob;
import health.meridian.bench.synthea.ImportPayload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Takes the server-assigned ids out of each transaction-response (its entries answer the request entries in order)
 * together with the patient's name, gender, birth date and one LOINC-coded Observation.
 */
public final class SampleCollector implements CommitListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> tenantIndex;
    private final List<PatientSample> samples = Collections.synchronizedList(new ArrayList<>());

    public SampleCollector(Map<String, Integer> tenantIndex) {
        this.tenantIndex = tenantIndex;
    }

    @Override
    public void committed(ImportJob job, ImportPayload payload, String responseBody) {
        try {
            JsonNode answers = JSON.readTree(responseBody).path("entry");
            JsonNode entries = payload.bundle().path("entry");
            String patientId = null;
            String obsId = null;
            String obsCode = null;
            JsonNode patient = null;
            for (int i = 0; i < entries.size() && i < answers.size(); i++) {
                JsonNode resource = entries.get(i).path("resource");
                String id = idOf(answers.get(i).path("response").path("location").asText(""));
                String type = resource.path("resourceType").asText();
                if (type.equals("Patient")) {
                    patientId = id;
                    patient = resource;
                } else if (type.equals("Observation") && obsId == null && loinc(resource) != null) {
                    obsId = id;
                    obsCode = loinc(resource);
                }
            }
            if (patientId != null && obsId != null) {
                samples.add(new PatientSample(tenantIndex.getOrDefault(job.tenant().name(), 0), patientId,
                        patient.path("name").get(0).path("family").asText(), patient.path("gender").asText(),
                        patient.path("birthDate").asText(), obsId, obsCode));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("meridian: bench: BENCH-0510 cannot read the transaction-response of "
                    + job.file().name() + ": " + e.getMessage());
        }
    }

    public List<PatientSample> samples() {
        return List.copyOf(samples);
    }

    private static String idOf(String location) {
        String[] parts = location.split("/");
        return parts.length >= 2 ? parts[1] : null;
    }

    private static String loinc(JsonNode observation) {
        for (JsonNode coding : observation.path("code").path("coding")) {
            if ("http://loinc.org".equals(coding.path("system").asText())) {
                return "http://loinc.org|" + coding.path("code").asText();
            }
        }
        return null;
    }
}
