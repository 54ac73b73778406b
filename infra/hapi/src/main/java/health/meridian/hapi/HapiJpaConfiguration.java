package health.meridian.hapi;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * HAPI's own JPA configuration for R4 (DAOs, resource providers, search, paging, batch jobs, in-memory channels) on
 * the Spring Boot data source. The storage settings are the starter's defaults; the ones that matter for a comparison
 * are spelled out in {@link #storageSettings()}.
 */
@Configuration
@Import({JpaR4Config.class, HapiJpaConfig.class, ThreadPoolFactoryConfig.class, JpaBatch2Config.class,
        Batch2JobsConfig.class, SubscriptionChannelConfig.class, SubscriptionSubmitterConfig.class})
public class HapiJpaConfiguration {

    /**
     * {@code hapi.reuse-cached-search-results-millis} (default 60000, HAPI's and the starter's): an identical search
     * within that time is answered from HAPI's stored result list instead of being run again; 0 turns that off.
     */
    @Bean
    public JpaStorageSettings storageSettings(
            @Value("${hapi.reuse-cached-search-results-millis:60000}") long reuseCachedSearchResultsMillis) {
        JpaStorageSettings settings = new JpaStorageSettings();
        settings.setAllowExternalReferences(true);
        settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ALPHANUMERIC);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setIndexMissingFields(JpaStorageSettings.IndexEnabledEnum.DISABLED);
        settings.setAdvancedHSearchIndexing(false);
        settings.setHibernateSearchIndexFullText(false);
        settings.setAllowContainsSearches(true);
        settings.setReuseCachedSearchResultsForMillis(reuseCachedSearchResultsMillis);
        return settings;
    }

    /** No subscription types enabled (the starter's default): nothing is matched or delivered on writes. */
    @Bean
    public SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    /** No partitioning (one tenant), as the starter runs by default. */
    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(DataSource dataSource,
            JpaProperties jpaProperties, ConfigurableListableBeanFactory beanFactory, FhirContext fhirContext,
            JpaStorageSettings storageSettings) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.setJpaPropertyMap(jpaProperties.getProperties());
        return factory;
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }
}
