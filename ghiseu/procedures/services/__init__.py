"""Writes of the procedures app: definitions, the case engine, escalation.

Every function is keyword-only, validates before writing, runs in one transaction and writes its
audit events in it. Import from here: `from ghiseu.procedures.services import task_complete`.
"""

from ghiseu.procedures.services.cases import (
    case_can_issue,
    case_can_issue_rejection,
    case_cancel,
    case_mark_issued,
    case_start,
    task_assign,
    task_complete,
)
from ghiseu.procedures.services.completion import case_completion_answered, case_request_completion
from ghiseu.procedures.services.definitions import (
    procedure_version_new_draft,
    procedure_version_problems,
    procedure_version_publish,
)
from ghiseu.procedures.services.escalation import EscalationReport, escalation_recipients, tasks_escalate_overdue

__all__ = [
    "EscalationReport",
    "case_can_issue",
    "case_can_issue_rejection",
    "case_cancel",
    "case_completion_answered",
    "case_mark_issued",
    "case_request_completion",
    "case_start",
    "escalation_recipients",
    "procedure_version_new_draft",
    "procedure_version_problems",
    "procedure_version_publish",
    "task_assign",
    "task_complete",
    "tasks_escalate_overdue",
]
