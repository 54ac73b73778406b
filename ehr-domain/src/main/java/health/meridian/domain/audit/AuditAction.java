package health.meridian.domain.audit;

/** FHIR AuditEvent.action: Create, Read (also search), Update, Delete, Execute (operations, grants, break-glass). */
public enum AuditAction { C, R, U, D, E }
