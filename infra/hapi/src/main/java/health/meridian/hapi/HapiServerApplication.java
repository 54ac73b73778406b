package health.meridian.hapi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;

/**
 * A plain HAPI FHIR JPA server (R4, PostgreSQL, no authentication) to benchmark Meridian against: the library's
 * defaults as the hapi-fhir-jpaserver-starter ships them, nothing of Meridian's. Started by {@code ./meridian hapi up};
 * its settings are in {@code application.properties} and {@link HapiJpaConfiguration}. The Elasticsearch client and
 * Thymeleaf that HAPI's libraries bring along are not configured (the starter excludes the former too): no
 * Elasticsearch, no web UI.
 */
@SpringBootApplication(exclude = {ElasticsearchRestClientAutoConfiguration.class, ThymeleafAutoConfiguration.class})
public class HapiServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(HapiServerApplication.class, args);
    }
}
