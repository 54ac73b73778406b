package health.meridian.infrastructure.persistence;

import health.meridian.domain.record.ResourceKey;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The current version of one resource. */
@Entity
@Table(name = "resource_head")
@IdClass(ResourceHeadRow.Pk.class)
public class ResourceHeadRow {

    @Id
    @Column(name = "tenant_id")
    private String tenantId;
    @Id
    @Column(name = "resource_type")
    private String resourceType;
    @Id
    @Column(name = "resource_id")
    private String resourceId;
    @Column(name = "current_version")
    private int currentVersion;
    private boolean deleted;
    @Column(name = "person_id")
    private String personId;
    @Convert(converter = StringListJsonConverter.class)
    private List<String> identifiers;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected ResourceHeadRow() {
    }

    ResourceHeadRow(ResourceKey key) {
        this.tenantId = key.tenant().value();
        this.resourceType = key.type();
        this.resourceId = key.id();
    }

    void moveTo(int version, boolean isDeleted, String person, List<String> ids) {
        this.currentVersion = version;
        this.deleted = isDeleted;
        this.personId = person;
        this.identifiers = ids;
        this.updatedAt = Instant.now();
    }

    int currentVersion() {
        return currentVersion;
    }

    boolean deleted() {
        return deleted;
    }

    String personId() {
        return personId;
    }

    /** Composite primary key. */
    public static class Pk implements Serializable {
        private String tenantId;
        private String resourceType;
        private String resourceId;

        public Pk() {
        }

        Pk(ResourceKey key) {
            this.tenantId = key.tenant().value();
            this.resourceType = key.type();
            this.resourceId = key.id();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pk p && p.tenantId.equals(tenantId) && p.resourceType.equals(resourceType)
                    && p.resourceId.equals(resourceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, resourceType, resourceId);
        }
    }
}
