package health.meridian.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchValueTest {

    private static String value(String payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + "A".repeat(43);
    }

    @Test
    void readsPatientAndEncounter() {
        LaunchValue v = LaunchValue.parse(value("1|pat-1|enc-2|person-anna|nl-amstel|sub|app|123")).orElseThrow();
        assertEquals("pat-1", v.patient());
        assertEquals(Optional.of("enc-2"), v.encounter());
    }

    @Test
    void noEncounterWhenEmpty() {
        assertEquals(Optional.empty(), LaunchValue.parse(value("1|pat-1||p|t|s|c|1")).orElseThrow().encounter());
    }

    @Test
    void refusesOtherShapes() {
        assertTrue(LaunchValue.parse(null).isEmpty());
        assertTrue(LaunchValue.parse("patient-1").isEmpty());
        assertTrue(LaunchValue.parse(value("2|pat-1||p|t|s|c|1")).isEmpty());
        assertTrue(LaunchValue.parse(value("1|pat/1||p|t|s|c|1")).isEmpty());
        assertTrue(LaunchValue.parse(value("1")).isEmpty());
    }
}
