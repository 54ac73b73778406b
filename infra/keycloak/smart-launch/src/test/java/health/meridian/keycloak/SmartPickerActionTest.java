package health.meridian.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** When the SMART patient picker steps in (ADR 0032), and where it may send the browser. */
class SmartPickerActionTest {

    static final Pattern LOCAL = SmartPickerAction.compile(
            "http://(127\\.0\\.0\\.1|localhost):[0-9]{2,5}(/[A-Za-z0-9._-]+)?");

    @Test
    void onlyAStandaloneLaunchOfABrowserAsksForThePicker() {
        assertTrue(SmartPickerAction.wanted("code", "openid launch/patient patient/*.rs", null));
        assertTrue(SmartPickerAction.wanted("code", "launch/patient", ""));
        assertFalse(SmartPickerAction.wanted("code", "openid launch patient/*.rs", "abc"), "an EHR launch");
        assertFalse(SmartPickerAction.wanted("code", "launch/patient", "abc"), "a launch value is there already");
        assertFalse(SmartPickerAction.wanted("code", "openid profile", null), "an ordinary login");
        assertFalse(SmartPickerAction.wanted("code", "launch/patientX", null));
        assertFalse(SmartPickerAction.wanted(null, "launch/patient", null), "no browser: password grant");
        assertFalse(SmartPickerAction.wanted("code", null, null));
    }

    @Test
    void thePickerLivesOnlyAtAConfiguredMeridian() {
        assertEquals(Optional.of("http://127.0.0.1:8080"), SmartPickerAction.pickerBase("http://127.0.0.1:8080/fhir",
                LOCAL));
        assertEquals(Optional.of("http://localhost:8080"), SmartPickerAction.pickerBase("http://localhost:8080/fhir/",
                LOCAL));
        assertEquals(Optional.of("http://127.0.0.1:8080/ehr-web"), SmartPickerAction.pickerBase(
                "http://127.0.0.1:8080/ehr-web/fhir", LOCAL), "a context root");
        assertEquals(Optional.empty(), SmartPickerAction.pickerBase("https://evil.example/fhir", LOCAL));
        assertEquals(Optional.empty(), SmartPickerAction.pickerBase("http://127.0.0.1:8080/a/b/fhir", LOCAL));
        assertEquals(Optional.empty(), SmartPickerAction.pickerBase("http://127.0.0.1:8080@evil.example/fhir",
                LOCAL));
        assertEquals(Optional.empty(), SmartPickerAction.pickerBase("http://127.0.0.1:8080.evil.example/fhir",
                LOCAL));
        assertEquals(Optional.empty(), SmartPickerAction.pickerBase(null, LOCAL));
        assertEquals(Optional.empty(), SmartPickerAction.pickerBase("http://127.0.0.1:8080/fhir", null),
                "not configured: no picker");
        assertNull(SmartPickerAction.compile("("), "a broken pattern: no picker");
    }
}
