"""Staff pages for proposals: the list with filters and search, the detail with actions,
the received items that need a decision, raw downloads and the outbox."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retning.consultation import export, intake, outlook, review
from retning.consultation.matching import STEP_LETTERS
from retning.consultation.models import (
    Attachment,
    OutgoingMail,
    ReceivedItem,
    Submission,
    SubmissionTag,
)
from retning.consultation.staff_forms import (
    ACTION_FORMS,
    ActionForm,
    ItemDecisionForm,
    ItemFilter,
    SubmissionFilter,
)
from retning.strategy.selectors import current_strategy

can_view = permission_required(review.VIEW, raise_exception=True)
audit_log = logging.getLogger("retning.audit")
LIST_PAGE = 100


def _submissions(strategy):
    return (
        Submission.objects.filter(round__strategy=strategy)
        .select_related("round", "municipality")
        .annotate(n_attachments=Count("attachments", distinct=True))
        .prefetch_related(
            Prefetch("tags", SubmissionTag.objects.select_related("main_strategy", "focus_area"))
        )
        .order_by("-reached_us_at", "-id")
    )


@login_required
@can_view
def submission_list(request):
    strategy = current_strategy()
    filters = SubmissionFilter(request.GET or None, _submissions(strategy), strategy=strategy)
    page = Paginator(filters.qs, LIST_PAGE).get_page(request.GET.get("page"))
    pending = ReceivedItem.objects.filter(
        round__strategy=strategy,
        status__in=[
            ReceivedItem.Status.UNMATCHED,
            ReceivedItem.Status.FAILED,
            ReceivedItem.Status.AUTOMATIC,
            ReceivedItem.Status.DUPLICATE,
            ReceivedItem.Status.OVERSIZED,
            ReceivedItem.Status.PENDING,
        ],
    ).count()
    return render(
        request,
        "staff/submission_list.html",
        {
            "strategy": strategy,
            "submissions": page.object_list,
            "list_page": page,
            "export_formats": [("csv", "CSV"), ("xlsx", "Excel"), ("json", "JSON")],
            "can_export_personal_data": request.user.has_perm(review.REVIEW),
            "filter": filters,
            "rounds": filters.rounds,
            "pending_items": pending,
        },
    )


@login_required
@can_view
def submission_detail(request, pk: int):
    strategy = current_strategy()
    submission = get_object_or_404(
        Submission.objects.select_related("round", "municipality", "item", "duplicate_of"),
        pk=pk,
        round__strategy=strategy,
    )
    failed = None
    if request.method == "POST":
        form_class = ACTION_FORMS.get(request.POST.get("action", ""))
        if form_class is None:
            messages.error(request, _("Ukjent handling."))
            return redirect("staff-submission", pk=submission.pk)
        form = form_class(request.POST, submission=submission)
        if form.is_valid():
            try:
                form.apply(request.user)
            except PermissionDenied:
                messages.error(request, _("Du har ikke tilgang til denne handlingen."))
                return redirect("staff-submission", pk=submission.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Lagret."))
                return redirect("staff-submission", pk=submission.pk)
        messages.error(
            request,
            _("Handlingen ble ikke utført: %(e)s")
            % {"e": " ".join(e for errors in form.errors.values() for e in errors)},
        )
        failed = form
        submission.refresh_from_db()
    return render(
        request,
        "staff/submission_detail.html",
        {
            "strategy": strategy,
            "submission": submission,
            "attachments": submission.attachments.defer("data"),
            "tags": submission.tags.select_related("main_strategy", "focus_area"),
            "events": submission.events.select_related("actor"),
            "can_review": request.user.has_perm(review.REVIEW),
            "can_tag": request.user.has_perm(review.TAG),
            "forms": _action_forms(submission, failed),
            "failed": failed,
        },
    )


def _action_forms(submission: Submission, failed: ActionForm | None) -> dict[str, ActionForm]:
    """Every action's form, the one that just failed with what the user typed and why."""
    forms = {name: cls(submission=submission) for name, cls in ACTION_FORMS.items()}
    if failed is not None:
        forms[failed.action] = failed
    return forms


def file_download(
    data: bytes, filename: str, content_type: str = "application/octet-stream"
) -> HttpResponse:
    """Always a download: received content is never rendered."""
    response = HttpResponse(bytes(data), content_type=content_type)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename) or "fil"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


EXPORT_FILES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@login_required
@can_view
def submission_export(request, slug: str, fmt: str):
    """A round's proposals as a file; personal data only for those who review proposals,
    and every such export is logged with who took it."""
    consultation = get_object_or_404(current_strategy().consultation_rounds.all(), slug=slug)
    if fmt not in EXPORT_FILES:
        raise Http404(f"unknown format {fmt}")
    personal = request.GET.get("personopplysninger") == "1"
    if personal and not request.user.has_perm(review.REVIEW):
        raise PermissionDenied
    if personal:
        audit_log.info(
            "export with personal data: round %s, %s, by %s",
            consultation.slug,
            fmt,
            request.user.get_username(),
        )
    data = export.export(consultation, fmt, include_personal_data=personal)
    name = f"innspill-{slug}{'-med-personopplysninger' if personal else ''}.{fmt}"
    return file_download(data, name, EXPORT_FILES[fmt])


@login_required
@can_view
def item_raw(request, pk: int):
    item = get_object_or_404(ReceivedItem, pk=pk, round__strategy=current_strategy())
    extension = "eml" if item.channel == "email" else "json"
    if outlook.is_msg(bytes(item.raw[:8])):
        extension = "msg"  # kept as Outlook saved it
    return file_download(item.raw, f"mottatt-{item.pk}.{extension}")


@login_required
@can_view
def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        Attachment, pk=pk, submission__round__strategy=current_strategy()
    )
    return file_download(attachment.data, attachment.filename)


@login_required
@can_view
def item_list(request):
    strategy = current_strategy()
    filters = ItemFilter(
        request.GET,
        ReceivedItem.objects.filter(round__strategy=strategy)
        .select_related("round")
        .defer("raw")
        .order_by("-received_at"),
    )
    status = filters.form.cleaned_data.get("status") if filters.is_valid() else ""
    items = filters.qs[:500] if status else ReceivedItem.objects.none()
    return render(
        request,
        "staff/item_list.html",
        {
            "strategy": strategy,
            "items": items,
            "status": status,
            "filter": filters,
            "letters_step": STEP_LETTERS,
            "can_review": request.user.has_perm(review.REVIEW),
            "max_chars": settings.RETNING_PROPOSAL_MAX_CHARS,
            "max_mb": settings.RETNING_PROPOSAL_MAX_BYTES // 1024**2,
        },
    )


@login_required
@require_POST
def item_decide(request, pk: int):
    if not request.user.has_perm(review.REVIEW):
        raise PermissionDenied
    item = get_object_or_404(ReceivedItem, pk=pk, round__strategy=current_strategy())
    form = ItemDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Handlingen ble ikke utført: %(e)s")
            % {"e": " ".join(e for errors in form.errors.values() for e in errors)},
        )
    elif form.cleaned_data["action"] == "accept" and not hasattr(item, "submission"):
        try:
            submission = intake.accept_item(item, request.user)
        except Exception as exc:  # a message that cannot be read cannot be accepted
            messages.error(request, _("Kunne ikke lese meldingen: %(e)s") % {"e": exc})
        else:
            return redirect("staff-submission", pk=submission.pk)
    elif form.cleaned_data["action"] == "dismiss":
        intake.dismiss_item(item, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Meldingen er avvist. Den er fortsatt lagret."))
    return redirect(f"{reverse('staff-items')}?status={item.status}")


@login_required
@can_view
def outbox(request):
    return render(
        request,
        "staff/outbox.html",
        {"strategy": current_strategy(), "mails": OutgoingMail.objects.all()[:200]},
    )
