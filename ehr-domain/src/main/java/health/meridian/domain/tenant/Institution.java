package health.meridian.domain.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tenant: the institution that is custodian of the records it holds, with its country and data-residency region. */
@Entity
@Table(name = "tenant")
public class Institution {

    @Id
    private String id;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false, length = 2)
    private String country;
    @Column(nullable = false)
    private String region;
    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected Institution() {
    }

    public Institution(TenantId id, String name, String country, String region) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("EHR-0102 institution name is required");
        }
        if (country == null || !country.matches("^[A-Z]{2}$")) {
            throw new IllegalArgumentException("EHR-0103 country must be an ISO 3166-1 alpha-2 code: " + country);
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("EHR-0104 data-residency region is required");
        }
        this.id = id.value();
        this.name = name;
        this.country = country;
        this.region = region;
    }

    public TenantId id() {
        return TenantId.of(id);
    }

    public String name() {
        return name;
    }

    public String country() {
        return country;
    }

    public String region() {
        return region;
    }
}
