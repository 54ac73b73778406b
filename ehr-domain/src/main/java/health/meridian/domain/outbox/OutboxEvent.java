package health.meridian.domain.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Announces that a resource version was written; consumed by the search mirror. Ids only, no content. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long seq;
    @Column(name = "tenant_id", nullable = false)
    private String tenantId;
    @Column(name = "resource_type", nullable = false)
    private String resourceType;
    @Column(name = "resource_id", nullable = false)
    private String resourceId;
    @Column(nullable = false)
    private int version;
    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;
    @Column(nullable = false)
    private int attempts;
    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;

    protected OutboxEvent() {
    }

    public OutboxEvent(String tenantId, String resourceType, String resourceId, int version) {
        this.tenantId = tenantId;
        this.resourceType = resourceType;
        this.resourceId = resourceId;
        this.version = version;
    }

    public Long seq() {
        return seq;
    }

    public String tenantId() {
        return tenantId;
    }

    public String resourceType() {
        return resourceType;
    }

    public String resourceId() {
        return resourceId;
    }

    public int version() {
        return version;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public int attempts() {
        return attempts;
    }

    /** Schedules another attempt after a failed shipment, with exponential backoff capped at one minute. */
    public void deferAfterFailure(Instant now) {
        attempts++;
        long seconds = Math.min(60, 1L << Math.min(attempts, 6));
        nextAttemptAt = now.plusSeconds(seconds);
    }
}
