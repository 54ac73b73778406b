package health.meridian.infrastructure.persistence;

import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
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

/** A row of the append-only resource_version table. */
@Entity
@Table(name = "resource_version")
@IdClass(ResourceVersionRow.Pk.class)
public class ResourceVersionRow {

    @Id
    @Column(name = "tenant_id")
    private String tenantId;
    @Id
    @Column(name = "resource_type")
    private String resourceType;
    @Id
    @Column(name = "resource_id")
    private String resourceId;
    @Id
    private int version;
    @Column(name = "person_id")
    private String personId;
    @Column(name = "effective_at")
    private Instant effectiveAt;
    @Convert(converter = StringListJsonConverter.class)
    private List<String> category;
    @Convert(converter = StringListJsonConverter.class)
    private List<String> codes;
    @Convert(converter = StringListJsonConverter.class)
    private List<String> identifiers;
    @Convert(converter = StringListJsonConverter.class)
    private List<String> sensitivity;
    private String author;
    private boolean deleted;
    private String content;
    @Column(name = "recorded_at", insertable = false, updatable = false)
    private Instant recordedAt;
    @Column(name = "patient_ref")
    private String patientRef;

    protected ResourceVersionRow() {
    }

    ResourceVersionRow(ResourceKey key, int version, RecordEnvelope envelope, String personId, String json) {
        this.tenantId = key.tenant().value();
        this.resourceType = key.type();
        this.resourceId = key.id();
        this.version = version;
        this.personId = personId;
        this.effectiveAt = envelope.effectiveAt();
        this.category = envelope.category();
        this.codes = envelope.codes();
        this.identifiers = envelope.identifiers();
        this.sensitivity = envelope.sensitivity();
        this.author = envelope.author();
        this.deleted = json == null;
        this.content = json;
        this.patientRef = envelope.patientRef();
    }

    ResourceKey key() {
        return new ResourceKey(TenantId.of(tenantId), resourceType, resourceId);
    }

    int version() {
        return version;
    }

    List<String> identifiers() {
        return identifiers;
    }

    String personId() {
        return personId;
    }

    RecordEnvelope envelope() {
        return new RecordEnvelope(patientRef, effectiveAt, category, codes, identifiers, sensitivity, author);
    }

    StoredResource toStored() {
        return new StoredResource(key(), version, personId, deleted, content,
                recordedAt == null ? Instant.now() : recordedAt, envelope());
    }

    /** Composite primary key. */
    public static class Pk implements Serializable {
        private String tenantId;
        private String resourceType;
        private String resourceId;
        private int version;

        public Pk() {
        }

        Pk(ResourceKey key, int version) {
            this.tenantId = key.tenant().value();
            this.resourceType = key.type();
            this.resourceId = key.id();
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pk p && p.version == version && p.tenantId.equals(tenantId)
                    && p.resourceType.equals(resourceType) && p.resourceId.equals(resourceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, resourceType, resourceId, version);
        }
    }
}
