"""Statistical disclosure control of the release: suppression and its independent audit."""

from dashboard.disclosure.audit import AuditReport, audit
from dashboard.disclosure.protect import protect

__all__ = ["AuditReport", "audit", "protect"]
