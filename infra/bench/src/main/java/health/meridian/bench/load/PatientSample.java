package health.meridian.bench.load;

/** What the read and search workload needs about one imported patient (ids as the server assigned them). */
public record PatientSample(int tenant, String patientId, String family, String gender, String birthDate,
                            String observationId, String observationCode) {
}
