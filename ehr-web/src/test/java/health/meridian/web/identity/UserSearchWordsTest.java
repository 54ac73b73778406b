package health.meridian.web.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserSearchWordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void wordsAreLowerCaseWithoutKeycloakWildcardsOrQuotes() {
        assertThat(KeycloakUserDirectory.words("  Anna  de*Vries \"x\" ")).containsExactly("anna", "de", "vries", "x");
        assertThat(KeycloakUserDirectory.words("*")).isEmpty();
        assertThat(KeycloakUserDirectory.words(null)).isEmpty();
    }

    @Test
    void everyWordMustBeInOneOfTheFields() throws Exception {
        JsonNode anna = JSON.readTree("{\"username\":\"a.devries\",\"firstName\":\"Anna\",\"lastName\":\"de Vries\","
                + "\"email\":\"anna@amstel.example.nl\"}");
        assertThat(KeycloakUserDirectory.matches(anna, List.of("anna", "vries"))).isTrue();
        assertThat(KeycloakUserDirectory.matches(anna, List.of("amstel"))).as("e-mail").isTrue();
        assertThat(KeycloakUserDirectory.matches(anna, List.of("anna", "jansen"))).isFalse();
        assertThat(KeycloakUserDirectory.matches(anna, List.of())).isTrue();
    }
}
