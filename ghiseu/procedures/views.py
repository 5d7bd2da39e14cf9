"""The staff work screens, under /lucrari/: the dashboard, the work queues and the case page.

Thin views: every action is a POST form (no JavaScript needed) that calls one engine service; a
refusal of the engine is shown on the case page with its message (4xx), nothing is written. Who may
see what is the engine's rule (`permissions`): a case the user may not see is a 404, like one that
does not exist; the screens are for staff only (403 otherwise).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ghiseu.accounts.models import STAFF_ROLES, Department
from ghiseu.core.errors import DomainError, NotFound
from ghiseu.core.errors import PermissionDenied as DomainPermissionDenied
from ghiseu.procedures import permissions, selectors, services
from ghiseu.procedures.forms import CompletionRequestForm, IssueForm, TaskAssignForm, TaskCompleteForm
from ghiseu.procedures.models import Case, CaseStatus, CaseTask, TaskKind, TaskStatus

View = Callable[..., HttpResponse]

# What the history says for each audit action of a case and its tasks.
ACTION_LABELS: dict[str, Any] = {
    "procedures.case.started": gettext_lazy("Dosar deschis"),
    "procedures.case.approved": gettext_lazy("Dosar aprobat"),
    "procedures.case.signed": gettext_lazy("Dosar semnat"),
    "procedures.case.clock_stopped": gettext_lazy("Termen oprit până la răspunsul petentului"),
    "procedures.case.work_completed": gettext_lazy("Etapele procedurii încheiate"),
    "procedures.case.rejected": gettext_lazy("Dosar respins"),
    "procedures.case.issued": gettext_lazy("Act emis"),
    "procedures.case.closed": gettext_lazy("Dosar închis"),
    "procedures.case.cancelled": gettext_lazy("Dosar anulat"),
    "procedures.stage.opened": gettext_lazy("Etapă deschisă"),
    "procedures.stage.completed": gettext_lazy("Etapă încheiată"),
    "procedures.case.completion_requested": gettext_lazy("Completare cerută petentului"),
    "procedures.case.completion_answered": gettext_lazy("Petentul a răspuns"),
    "procedures.task.opened": gettext_lazy("Sarcină deschisă"),
    "procedures.task.completed": gettext_lazy("Sarcină încheiată"),
    "procedures.task.assigned": gettext_lazy("Sarcină repartizată"),
    "procedures.task.cancelled": gettext_lazy("Sarcină anulată"),
    "procedures.task.escalated": gettext_lazy("Sarcină escaladată"),
}


def staff_required(view: View) -> View:
    """Signed in (else to the login page) and staff (else 403)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.is_staff(request.user):
            raise HttpPermissionDenied(_("Pagina este doar pentru personalul primăriei."))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _visible_case(request: HttpRequest, pk: int) -> Case:
    case = (
        permissions.visible_cases(request.user)
        .select_related("entry", "department", "applicant", "version__definition")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _visible_task(request: HttpRequest, pk: int) -> CaseTask:
    task = CaseTask.objects.select_related("case").filter(pk=pk).first()
    if task is None or not permissions.can_view_case(request.user, task.case):
        raise Http404
    return task


def service_request_of(case: Case) -> Any:
    """The online request the case works on, if it came from the portal (None otherwise).

    Read through the reverse relation the eservices app declares, so this app imports nothing from it.
    """
    try:
        return case.service_request
    except (AttributeError, ObjectDoesNotExist):
        return None


def _raise_http(exc: DomainError) -> None:
    if isinstance(exc, NotFound):
        raise Http404(str(exc.message)) from exc
    if isinstance(exc, DomainPermissionDenied):
        raise HttpPermissionDenied(str(exc.message)) from exc


# --- Dashboard and queues -------------------------------------------------------------------------


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    counts = selectors.dashboard_counts(request.user)
    mine = list(selectors.tasks_for_user(request.user)[:10])
    return render(
        request,
        "procedures/dashboard.html",
        {
            "counts": counts,
            "tasks": mine,
            "due_soon": _due_soon(request.user),
            "status_rows": [(label, counts.by_status.get(value, 0)) for value, label in CaseStatus.choices],
            "is_head": str(getattr(request.user, "role", "")) == "head",
        },
    )


def _due_soon(user: Any) -> int:
    today = timezone.localdate()
    limit = today + dt.timedelta(days=settings.GHISEU_DUE_SOON_DAYS)
    return selectors.tasks_for_user(user).filter(due_date__gte=today, due_date__lte=limit).count()


def _queue_rows(tasks: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for task in tasks:
        soon = not task.overdue and task.due_date is not None and (task.due_date - today).days <= 2  # within two days
        rows.append({"task": task, "case": task.case, "overdue": task.overdue, "soon": soon})
    return rows


@require_GET
@staff_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = selectors.tasks_for_user(request.user)[:500]
    return render(
        request,
        "procedures/queue.html",
        {"title": _("Sarcinile mele"), "rows": _queue_rows(tasks), "department": None, "departments": []},
    )


@require_GET
@staff_required
def department_tasks(request: HttpRequest) -> HttpResponse:
    """A head sees their department; the leadership picks one (`?department=<id>`)."""
    user: Any = request.user
    wide = str(user.role) in permissions.INSTITUTION_WIDE
    department = user.department if not wide else None
    raw = request.GET.get("department", "")
    if wide and raw.isdigit():
        department = Department.objects.filter(pk=int(raw)).first()
    elif wide and user.department_id:
        department = user.department
    if department is None:
        raise Http404
    try:
        tasks = selectors.tasks_for_department(user, department)[:500]
    except DomainPermissionDenied as exc:
        raise HttpPermissionDenied(str(exc.message)) from exc
    return render(
        request,
        "procedures/queue.html",
        {
            "title": _("Sarcinile compartimentului: %(name)s") % {"name": department.name},
            "rows": _queue_rows(tasks),
            "department": department,
            "departments": list(Department.objects.order_by("name")) if wide else [],
            "show_assignee": True,
        },
    )


# --- The case page --------------------------------------------------------------------------------


def _candidates(task: CaseTask) -> Any:
    """Active staff who hold the task (by department and role): whom it may be given to."""
    department_id = task.department_id or task.case.department_id
    users = get_user_model().objects.filter(is_active=True, role__in=STAFF_ROLES).order_by("last_name", "username")
    pool = users.filter(department_id=department_id) if task.department_id or not task.role else users
    ids = [u.pk for u in pool if permissions.holds(u, task) and u.pk != task.assignee_id]
    return users.filter(pk__in=ids)


def _case_context(request: HttpRequest, case: Case, **overrides: Any) -> dict[str, Any]:
    user: Any = request.user
    timeline = selectors.case_timeline(case)
    req = service_request_of(case)
    waiting = case.status == CaseStatus.WAITING_CITIZEN
    task_forms = overrides.pop("task_forms", {})
    assign_forms = overrides.pop("assign_forms", {})
    open_tasks = []
    for stage in timeline.stages:
        for task in stage.tasks:
            task.case = case
            task.may_complete = (  # type: ignore[attr-defined]
                task.status == TaskStatus.OPEN
                and task.kind != TaskKind.COMPLETION
                and not waiting
                and permissions.can_complete(user, task)
            )
            if task.may_complete:  # type: ignore[attr-defined]
                task.form = task_forms.get(task.pk) or TaskCompleteForm(task=task)  # type: ignore[attr-defined]
            may_assign = (
                task.status in {TaskStatus.OPEN, TaskStatus.PENDING}
                and task.kind != TaskKind.COMPLETION
                and permissions.can_assign(user, task)
            )
            task.assign_form = (  # type: ignore[attr-defined]
                (assign_forms.get(task.pk) or TaskAssignForm(task=task, candidates=_candidates(task)))
                if may_assign
                else None
            )
            task.overdue_now = task.is_overdue()  # type: ignore[attr-defined]
            if task.status == TaskStatus.OPEN:
                open_tasks.append(task)
    completion_asked = next((t for t in open_tasks if t.kind == TaskKind.COMPLETION), None)
    may_ask_completion = case.status == CaseStatus.OPEN and (
        permissions.is_head_of(user, case.department_id)
        or any(permissions.can_complete(user, t) for t in open_tasks if t.kind != TaskKind.COMPLETION)
    )
    issued = req is not None and req.state == "issued"
    may_issue = (
        not issued
        and case.status not in {CaseStatus.ISSUED, CaseStatus.CLOSED, CaseStatus.CANCELLED}
        and services.case_can_issue(case)
        and (permissions.can_manage_case(user, case) or permissions.works_on_case(user, case))
    )
    values: list[tuple[str, Any]] = []
    attachments: list[Any] = []
    if req is not None:
        labels = dict(req.service.fields.values_list("name", "label"))
        values = [(labels.get(k, k), v) for k, v in (req.values or {}).items()]
        attachments = list(req.attachments.select_related("file").order_by("uploaded_at", "pk"))
    events = [
        {
            "event": e,
            "label": ACTION_LABELS.get(e.action, e.action),
            "note": (e.summary or {}).get("comment")
            or (e.summary or {}).get("reason")
            or (e.summary or {}).get("message")
            or "",
            "outcome": (e.summary or {}).get("outcome", ""),
        }
        for e in timeline.events
    ]
    context = {
        "case": case,
        "req": req,
        "values": values,
        "attachments": attachments,
        "applicant": case.applicant,
        "stages": timeline.stages,
        "events": events,
        "completion_asked": completion_asked,
        "may_ask_completion": may_ask_completion,
        "completion_form": overrides.pop("completion_form", None) or CompletionRequestForm(),
        "may_issue": may_issue,
        "issued": issued,
        "issue_form": IssueForm(),
        "case_overdue": case.is_overdue(),
        "action_error": "",
    }
    context.update(overrides)
    return context


@require_GET
@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    return render(request, "procedures/case.html", _case_context(request, case))


def _refused(request: HttpRequest, case: Case, exc: DomainError, **forms: Any) -> HttpResponse:
    """The engine refused: the case page again with the reason, the answer's status the error's."""
    _raise_http(exc)
    case = _visible_case(request, case.pk)
    context = _case_context(request, case, action_error=str(exc.message), **forms)
    return render(request, "procedures/case.html", context, status=exc.status)


@require_POST
@staff_required
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    form = TaskCompleteForm(request.POST, task=task)
    if not form.is_valid():
        error = DomainError(_("Alegeți soluția (favorabil sau nefavorabil)."), field="outcome")
        return _refused(request, task.case, error, task_forms={task.pk: form})
    try:
        services.task_complete(
            task=task, actor=request.user, outcome=form.chosen_outcome, comment=form.cleaned_data.get("comment", "")
        )
    except DomainError as exc:
        return _refused(request, task.case, exc, task_forms={task.pk: form})
    messages.success(request, _("Sarcina „%(name)s” a fost încheiată.") % {"name": task.name})
    return _after_action(request, task.case)


def _after_action(request: HttpRequest, case: Case) -> HttpResponse:
    """Back to the case page, or to the queue when the user may no longer see the case."""
    if permissions.can_view_case(request.user, case):
        return redirect("procedures:case", pk=case.pk)
    return redirect("procedures:my_tasks")


@require_POST
@staff_required
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    if not permissions.can_assign(request.user, task):
        raise HttpPermissionDenied(_("Nu aveți dreptul să repartizați această sarcină."))
    form = TaskAssignForm(request.POST, task=task, candidates=_candidates(task))
    if not form.is_valid():
        error = DomainError(_("Alegeți noul responsabil și scrieți motivul."), field="assignee")
        return _refused(request, task.case, error, assign_forms={task.pk: form})
    assignee = form.cleaned_data["assignee"]
    try:
        services.task_assign(task=task, assignee=assignee, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _refused(request, task.case, exc, assign_forms={task.pk: form})
    messages.success(
        request,
        _("Sarcina „%(name)s” a fost repartizată lui %(who)s.")
        % {"name": task.name, "who": assignee.get_full_name() or assignee.get_username()},
    )
    return _after_action(request, task.case)


def _citizen_url(request: HttpRequest, case: Case) -> str:
    """Where the applicant answers: their request in "my file" (their file's home for other cases)."""
    req = service_request_of(case)
    path = reverse("myfile:request", args=[req.pk]) if req is not None else reverse("myfile:home")
    return request.build_absolute_uri(path)


@require_POST
@staff_required
def case_request_completion(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    form = CompletionRequestForm(request.POST)
    if not form.is_valid():
        error = DomainError(_("Scrieți ce trebuie să completeze petentul."), field="message")
        return _refused(request, case, error, completion_form=form)
    try:
        services.case_request_completion(
            case=case,
            actor=request.user,
            message=form.cleaned_data["message"],
            respond_by=form.cleaned_data.get("respond_by"),
            tracking_url=_citizen_url(request, case),
        )
    except DomainError as exc:
        return _refused(request, case, exc, completion_form=form)
    messages.success(request, _("Petentul a fost anunțat ce are de completat."))
    return redirect("procedures:case", pk=case.pk)


@require_POST
@staff_required
def case_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the issuing of a case that did not come from the portal (a portal request is issued
    by its own form, which renders and delivers the act)."""
    case = _visible_case(request, pk)
    if service_request_of(case) is not None:
        raise Http404
    form = IssueForm(request.POST)
    form.is_valid()
    try:
        services.case_mark_issued(case=case, actor=request.user, comment=form.cleaned_data.get("comment", ""))
    except DomainError as exc:
        return _refused(request, case, exc)
    messages.success(request, _("Dosarul a fost marcat ca emis."))
    return redirect("procedures:case", pk=case.pk)
